//! Consent per purpose, recorded with its date and who took it, withdrawable, and
//! enforced: nothing is shared with a partner, surveyed or photographed without it.

use crate::date::Ymd;

code_enum!(
    /// What a returnee consents to.
    Purpose {
        Assistance = "assistance" / "Registration and assistance",
        SharePartner = "share_partner" / "Sharing with a named partner",
        Surveys = "surveys" / "Follow-up surveys",
        Photos = "photos" / "Photos",
    }
);

/// One consent as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub purpose: Purpose,
    /// For sharing: the partner office it names.
    pub partner_office: Option<i64>,
    pub given_on: Ymd,
    /// The user who took it.
    pub taken_by: i64,
    pub withdrawn_on: Option<Ymd>,
}

/// Why something needs consent first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the returnee has not consented to {0} (or withdrew it); record their consent first")]
pub struct NoConsent(pub &'static str);

/// Whether the recorded consents allow `purpose` (for sharing: with this partner) on `today`.
pub fn allows(consents: &[Consent], purpose: Purpose, partner: Option<i64>, today: Ymd) -> bool {
    consents.iter().any(|c| {
        c.purpose == purpose
            && c.given_on <= today
            && c.withdrawn_on.is_none_or(|w| w > today)
            && (purpose != Purpose::SharePartner || c.partner_office == partner)
    })
}

/// The same as [`allows`], as an error that says what is missing.
pub fn require(
    consents: &[Consent],
    purpose: Purpose,
    partner: Option<i64>,
    today: Ymd,
) -> Result<(), NoConsent> {
    if allows(consents, purpose, partner, today) {
        Ok(())
    } else {
        Err(NoConsent(match purpose {
            Purpose::Assistance => "registration and assistance",
            Purpose::SharePartner => "sharing their data with this partner",
            Purpose::Surveys => "follow-up surveys",
            Purpose::Photos => "photos",
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Ymd {
        s.parse().expect("date")
    }

    #[test]
    fn consent_is_per_purpose_per_partner_and_withdrawable() {
        let mut cs = vec![
            Consent {
                purpose: Purpose::Assistance,
                partner_office: None,
                given_on: d("2013-01-10"),
                taken_by: 1,
                withdrawn_on: None,
            },
            Consent {
                purpose: Purpose::SharePartner,
                partner_office: Some(4),
                given_on: d("2013-03-01"),
                taken_by: 2,
                withdrawn_on: None,
            },
        ];
        let today = d("2013-04-01");
        assert!(allows(&cs, Purpose::SharePartner, Some(4), today));
        assert!(
            !allows(&cs, Purpose::SharePartner, Some(5), today),
            "another partner"
        );
        assert!(
            !allows(&cs, Purpose::SharePartner, Some(4), d("2013-02-01")),
            "not before it was given"
        );
        assert_eq!(
            require(&cs, Purpose::Surveys, None, today)
                .expect_err("none")
                .to_string(),
            "the returnee has not consented to follow-up surveys (or withdrew it); record their consent first"
        );
        cs[1].withdrawn_on = Some(d("2013-03-15"));
        assert!(
            !allows(&cs, Purpose::SharePartner, Some(4), today),
            "withdrawn"
        );
        assert!(
            allows(&cs, Purpose::SharePartner, Some(4), d("2013-03-10")),
            "valid before withdrawal"
        );
    }
}
