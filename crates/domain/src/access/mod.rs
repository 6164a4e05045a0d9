//! The access policy: roles, permissions and scopes, and the one place a decision is made
//! ([`Principal::authorize`], [`Authorized::covers`], [`Principal::sees_sensitive`]).

mod principal;
mod role;

pub use principal::{
    ApproveCases, AssignCases, Authorized, Capability, CaseFacts, Denied, ExportCases, LendAssets,
    ManageCommunity, ManageInstruments, ManageOffices, ManagePackages, ManageReference,
    ManageRetention, ManageRoles, ManageUsers, Principal, ReadAccessLog, ReadAudit, ReadCases,
    RecordFilter, RespondReferrals, SeeAggregates, SeeSensitive, Via, WriteCases,
};
pub use role::{Grants, Permission, Role, Scope};
