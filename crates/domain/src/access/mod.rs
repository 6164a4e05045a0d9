//! The access policy: roles, permissions and scopes, and the one place a decision is made
//! ([`Principal::authorize`], [`Authorized::covers`], [`Principal::sees_sensitive`]).

mod principal;
mod role;

pub use principal::{
    AssignCases, Authorized, Capability, CaseFacts, Denied, ExportCases, ManageOffices,
    ManageReference, ManageRoles, ManageUsers, Principal, ReadAudit, ReadCases, RecordFilter,
    SeeAggregates, Via, WriteCases,
};
pub use role::{Grants, Permission, Role, Scope};
