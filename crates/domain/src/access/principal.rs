//! Who is asking, and the proof that the policy let them: an [`Authorized`] value can only
//! be made by [`Principal::authorize`], and every store function that reaches protected
//! data takes one, so a handler that skipped the check does not compile.

use super::role::{Grants, Permission, Role, Scope};
use std::marker::PhantomData;

/// How the request proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A browser session (cookie), protected against cross-site requests.
    Session,
    /// An API token (bearer), with the id of the token.
    Token(i64),
    /// The command line on the server itself (`homeward user add`, demo data).
    Console,
}

/// A signed-in user (or a token acting for one) with the grants in force for this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    user_id: i64,
    office_id: i64,
    role: Role,
    email: String,
    grants: Grants,
    via: Via,
}

impl Principal {
    /// Built by the store from a live session or token and the role's grants as stored.
    pub fn new(
        user_id: i64,
        office_id: i64,
        role: Role,
        email: String,
        grants: Grants,
        via: Via,
    ) -> Self {
        Principal {
            user_id,
            office_id,
            role,
            email,
            grants,
            via,
        }
    }

    pub fn user_id(&self) -> i64 {
        self.user_id
    }
    pub fn office_id(&self) -> i64 {
        self.office_id
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn email(&self) -> &str {
        &self.email
    }
    pub fn grants(&self) -> &Grants {
        &self.grants
    }
    pub fn via(&self) -> Via {
        self.via
    }

    /// The same principal holding only `wanted` of its grants (an API token's list).
    pub fn restricted_to(&self, wanted: &[Permission]) -> Principal {
        Principal {
            grants: self.grants.restricted_to(wanted),
            ..self.clone()
        }
    }

    pub fn can(&self, p: Permission) -> bool {
        self.grants.has(p)
    }

    /// The one access decision: the proof that this principal holds capability `C`.
    pub fn authorize<C: Capability>(&self) -> Result<Authorized<C>, Denied> {
        match self.grants.scope(C::PERMISSION) {
            Some(scope) => Ok(Authorized {
                principal: self.clone(),
                scope,
                _c: PhantomData,
            }),
            None => Err(Denied(C::PERMISSION)),
        }
    }

    /// Whether sensitive fields of this record may be shown, exported or returned.
    pub fn sees_sensitive(&self, record: &CaseFacts) -> bool {
        self.grants
            .scope(Permission::Sensitive)
            .is_some_and(|s| covers(self, s, record))
    }
}

/// The facts about a case the policy needs: who owns it, who works on it, where it was
/// shared (including handovers and referrals).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub owning_office: i64,
    pub assigned_user: Option<i64>,
    pub shared_with: Vec<i64>,
}

fn covers(p: &Principal, scope: Scope, r: &CaseFacts) -> bool {
    let own = r.assigned_user == Some(p.user_id);
    let office = r.owning_office == p.office_id;
    let shared = r.shared_with.contains(&p.office_id);
    match scope {
        Scope::Own => own,
        Scope::Office => own || office,
        Scope::Shared => own || office || shared,
        Scope::All => true,
    }
}

/// The permission that was missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this needs the permission {0}")]
pub struct Denied(pub Permission);

/// A capability a handler can ask for; each names the permission behind it.
pub trait Capability {
    const PERMISSION: Permission;
}

macro_rules! capabilities {
    ($($(#[$m:meta])* $t:ident => $p:ident),+ $(,)?) => {
        $(
            $(#[$m])*
            #[derive(Debug, Clone, Copy)]
            pub struct $t;
            impl Capability for $t {
                const PERMISSION: Permission = Permission::$p;
            }
        )+
    };
}

capabilities!(
    /// Open case files within scope.
    ReadCases => CaseRead,
    /// Register and change cases within scope.
    WriteCases => CaseWrite,
    /// Assign cases within scope.
    AssignCases => CaseAssign,
    /// Export case lists within scope.
    ExportCases => CaseExport,
    /// Counts and totals.
    SeeAggregates => Aggregates,
    /// The audit trail.
    ReadAudit => AuditRead,
    /// Users and their roles.
    ManageUsers => UsersManage,
    /// Offices.
    ManageOffices => OfficesManage,
    /// Roles and their permissions.
    ManageRoles => RolesManage,
    /// Reference data such as exchange rates.
    ManageReference => ReferenceManage,
    /// Sensitive fields (and filtering by them).
    SeeSensitive => Sensitive,
    /// Plan approvals, exceptions, closures and reopening.
    ApproveCases => CaseApprove,
    /// Answering referrals sent to the user's office.
    RespondReferrals => ReferralRespond,
    /// Reintegration packages and task rules.
    ManagePackages => PackageManage,
    /// Survey instruments: load, adopt, export.
    ManageInstruments => InstrumentsManage,
    /// Community projects, asset pools and capacity-building activities within scope.
    ManageCommunity => CommunityManage,
    /// Lending and taking back the tools of asset pools within scope.
    LendAssets => AssetsLend,
    /// How long closed cases are kept, holds, and anonymisation.
    ManageRetention => RetentionManage,
    /// Who viewed, exported or received a case's data, within scope.
    ReadAccessLog => CaseAccessLog,
);

/// Proof that the policy granted capability `C` to a principal, with the scope it
/// reaches. Only [`Principal::authorize`] makes one.
#[derive(Debug, Clone)]
pub struct Authorized<C> {
    principal: Principal,
    scope: Scope,
    _c: PhantomData<C>,
}

/// Which records a scoped query may return, for the store to turn into SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFilter {
    All,
    /// Assigned to this user.
    Own {
        user_id: i64,
    },
    /// Owned by this office (or assigned to the user).
    Office {
        user_id: i64,
        office_id: i64,
    },
    /// Owned by or shared with this office (or assigned to the user).
    Shared {
        user_id: i64,
        office_id: i64,
    },
}

impl<C: Capability> Authorized<C> {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// Whether this record is within the granted scope.
    pub fn covers(&self, record: &CaseFacts) -> bool {
        covers(&self.principal, self.scope, record)
    }

    /// The same decision as [`Authorized::covers`], as a filter for lists.
    pub fn filter(&self) -> RecordFilter {
        let user_id = self.principal.user_id;
        let office_id = self.principal.office_id;
        match self.scope {
            Scope::All => RecordFilter::All,
            Scope::Own => RecordFilter::Own { user_id },
            Scope::Office => RecordFilter::Office { user_id, office_id },
            Scope::Shared => RecordFilter::Shared { user_id, office_id },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, user_id: i64, office_id: i64) -> Principal {
        Principal::new(
            user_id,
            office_id,
            role,
            format!("{role}@example.org"),
            Grants::default_for(role),
            Via::Session,
        )
    }

    const NORWAY: i64 = 1;
    const ALBANIA: i64 = 2;

    #[test]
    fn a_caseworker_opens_only_own_office_or_shared_cases() {
        let oslo = user(Role::Caseworker, 10, NORWAY);
        let read = oslo
            .authorize::<ReadCases>()
            .expect("caseworkers read cases");
        let albanian = CaseFacts {
            owning_office: ALBANIA,
            assigned_user: Some(20),
            shared_with: vec![],
        };
        assert!(!read.covers(&albanian));
        let handed_over = CaseFacts {
            shared_with: vec![NORWAY],
            ..albanian.clone()
        };
        assert!(read.covers(&handed_over));
        assert!(oslo.sees_sensitive(&handed_over));
        assert!(!oslo.sees_sensitive(&albanian));
    }

    #[test]
    fn write_scope_own_means_assigned() {
        let cw = user(Role::Caseworker, 10, NORWAY);
        let write = cw.authorize::<WriteCases>().expect("write");
        let mine = CaseFacts {
            owning_office: NORWAY,
            assigned_user: Some(10),
            shared_with: vec![],
        };
        let colleagues = CaseFacts {
            assigned_user: Some(11),
            ..mine.clone()
        };
        assert!(write.covers(&mine));
        assert!(!write.covers(&colleagues));
        assert_eq!(write.filter(), RecordFilter::Own { user_id: 10 });
    }

    #[test]
    fn aggregate_roles_cannot_read_cases_and_partners_see_no_sensitive_field() {
        for r in [Role::MeOfficer, Role::ProgrammeManager, Role::Administrator] {
            assert_eq!(
                user(r, 1, NORWAY).authorize::<ReadCases>().err(),
                Some(Denied(Permission::CaseRead))
            );
        }
        let partner = user(Role::Partner, 5, ALBANIA);
        let referred = CaseFacts {
            owning_office: NORWAY,
            assigned_user: None,
            shared_with: vec![ALBANIA],
        };
        assert!(
            partner
                .authorize::<ReadCases>()
                .expect("read")
                .covers(&referred)
        );
        assert!(!partner.sees_sensitive(&referred));
    }
}
