//! Roles, the permissions they hold and how far each reaches (its scope). The defaults
//! below are what a new database starts with; administrators can change them.

use std::collections::BTreeMap;

code_enum!(
    /// A user's job in Homeward. Every user has exactly one.
    Role {
        Administrator = "administrator" / "Administrator",
        OfficeManager = "office_manager" / "Office manager",
        Caseworker = "caseworker" / "Caseworker",
        ProgrammeManager = "programme_manager" / "Programme manager",
        MeOfficer = "me_officer" / "M&E officer",
        Partner = "partner" / "Partner",
        CentreOperator = "centre_operator" / "Centre operator",
    }
);

code_enum!(
    /// Something a user may do. Case permissions are limited by a [`Scope`].
    Permission {
        CaseRead = "case.read" / "Read cases (names, contacts, case file)",
        CaseWrite = "case.write" / "Register, edit, share and hand over cases",
        CaseAssign = "case.assign" / "Assign cases to caseworkers",
        CaseExport = "case.export" / "Export case lists with personal data",
        Sensitive = "sensitive" / "See sensitive fields (vulnerabilities, health, trafficking, photos)",
        Aggregates = "aggregates" / "See counts and totals, never names",
        AuditRead = "audit.read" / "Search and export the audit trail",
        UsersManage = "users.manage" / "Invite, disable and reset users; change roles",
        OfficesManage = "offices.manage" / "Add and edit offices",
        RolesManage = "roles.manage" / "Change what each role may do",
        ReferenceManage = "reference.manage" / "Maintain reference data (exchange rates)",
        CaseApprove = "case.approve" / "Approve plans, exceptions and closures; reopen cases",
        ReferralRespond = "referral.respond" / "Answer referrals made to the user's office",
        PackageManage = "package.manage" / "Configure reintegration packages and task rules",
        InstrumentsManage = "instruments.manage" / "Load, adopt and export survey instruments",
        CommunityManage = "community.manage" / "Run community projects, asset pools and capacity building",
        AssetsLend = "assets.lend" / "Lend and take back the tools of an asset pool",
        RetentionManage = "retention.manage" / "Set how long closed cases are kept, hold cases and run anonymisation",
        CaseAccessLog = "case.access_log" / "See who viewed, exported or received a case's data",
    }
);

code_enum!(
    /// How far a permission reaches, from narrowest to widest. Each includes the ones
    /// before it.
    Scope {
        Own = "own" / "Cases assigned to the user",
        Office = "office" / "Cases owned by the user's office",
        Shared = "shared" / "Cases owned by or shared with the user's office",
        All = "all" / "Every case",
    }
);

impl Permission {
    /// Whether the scope changes anything for this permission. The others are either held
    /// or not (an administrator's permissions apply to the whole installation).
    pub fn is_scoped(&self) -> bool {
        matches!(
            self,
            Permission::CaseRead
                | Permission::CaseWrite
                | Permission::CaseAssign
                | Permission::CaseExport
                | Permission::Sensitive
                | Permission::Aggregates
                | Permission::CaseApprove
                | Permission::ReferralRespond
                | Permission::CommunityManage
                | Permission::AssetsLend
                | Permission::CaseAccessLog
        )
    }
}

/// The permissions a role (or an API token) holds, each with its scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants(BTreeMap<Permission, Scope>);

impl Grants {
    pub fn new() -> Self {
        Grants::default()
    }

    pub fn with(mut self, p: Permission, s: Scope) -> Self {
        self.0.insert(p, s);
        self
    }

    pub fn insert(&mut self, p: Permission, s: Scope) {
        self.0.insert(p, s);
    }

    /// Adds a grant as stored, by its codes. A code this version does not know (written
    /// by a newer one) grants nothing.
    pub fn insert_codes(&mut self, permission: &str, scope: &str) {
        if let (Ok(p), Ok(s)) = (permission.parse(), scope.parse()) {
            self.insert(p, s);
        }
    }

    pub fn scope(&self, p: Permission) -> Option<Scope> {
        self.0.get(&p).copied()
    }

    pub fn has(&self, p: Permission) -> bool {
        self.0.contains_key(&p)
    }

    pub fn iter(&self) -> impl Iterator<Item = (Permission, Scope)> + '_ {
        self.0.iter().map(|(p, s)| (*p, *s))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What is left of these grants when limited to `wanted` (an API token's list):
    /// nothing is ever widened.
    pub fn restricted_to(&self, wanted: &[Permission]) -> Grants {
        Grants(
            self.0
                .iter()
                .filter(|(p, _)| wanted.contains(p))
                .map(|(p, s)| (*p, *s))
                .collect(),
        )
    }

    /// What a new database gives each role. Least privilege: administrators run the
    /// installation but read no case; M&E officers and programme managers see aggregates
    /// only; partners see only what was shared or referred to their office.
    pub fn default_for(role: Role) -> Grants {
        use Permission::*;
        use Scope::*;
        match role {
            Role::Administrator => Grants::new()
                .with(UsersManage, All)
                .with(OfficesManage, All)
                .with(RolesManage, All)
                .with(ReferenceManage, All)
                .with(PackageManage, All)
                .with(InstrumentsManage, All)
                .with(AuditRead, All)
                .with(RetentionManage, All)
                .with(Aggregates, All),
            Role::OfficeManager => Grants::new()
                .with(CaseRead, Shared)
                .with(CaseWrite, Office)
                .with(CaseAssign, Office)
                .with(CaseApprove, Office)
                .with(CaseExport, Office)
                .with(Sensitive, Shared)
                .with(Aggregates, Office)
                .with(CommunityManage, Office)
                .with(AssetsLend, Office)
                .with(CaseAccessLog, Office),
            Role::Caseworker => Grants::new()
                .with(CaseRead, Shared)
                .with(CaseWrite, Own)
                .with(CaseExport, Own)
                .with(Sensitive, Shared),
            Role::ProgrammeManager => Grants::new()
                .with(Aggregates, All)
                .with(PackageManage, All)
                .with(CommunityManage, All)
                .with(AssetsLend, All),
            Role::MeOfficer => Grants::new().with(Aggregates, All),
            Role::Partner => Grants::new()
                .with(CaseRead, Shared)
                .with(ReferralRespond, Shared),
            Role::CentreOperator => Grants::new().with(AssetsLend, Office),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(*r));
        }
        for p in Permission::ALL {
            assert_eq!(p.code().parse::<Permission>(), Ok(*p));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn scopes_are_ordered_narrow_to_wide() {
        assert!(Scope::Own < Scope::Office && Scope::Office < Scope::Shared);
        assert!(Scope::Shared < Scope::All);
    }

    #[test]
    fn restriction_never_widens() {
        let g = Grants::default_for(Role::Caseworker);
        let t = g.restricted_to(&[Permission::CaseRead, Permission::UsersManage]);
        assert_eq!(t.scope(Permission::CaseRead), Some(Scope::Shared));
        assert!(
            !t.has(Permission::UsersManage),
            "a token cannot add a permission"
        );
        assert!(!t.has(Permission::CaseWrite));
    }

    #[test]
    fn aggregate_roles_read_no_case() {
        for r in [Role::MeOfficer, Role::ProgrammeManager, Role::Administrator] {
            assert!(!Grants::default_for(r).has(Permission::CaseRead), "{r}");
        }
    }
}
