//! The forms of case work as typed (package, plan item, payment, follow-up, closure),
//! parsed into the rules' types with every problem named by its field.

use super::plan::{Category, Dimension, Package};
use super::stage::ClosureReason;
use crate::date::Ymd;
use crate::form::Errors;
use crate::{CountryCode, CurrencyCode, FieldError, Money};

/// A reintegration package as configured for a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageDraft {
    pub package: Package,
    pub host_country: Option<CountryCode>,
    pub origin_country: Option<CountryCode>,
    pub beneficiaries: String,
    pub project_id: Option<i64>,
    pub active: bool,
}

/// The package form's fields.
#[derive(Debug, Clone, Default)]
pub struct PackageForm<'a> {
    pub name: &'a str,
    pub cap_usd: &'a str,
    pub components: Vec<&'a str>,
    pub host_country: &'a str,
    pub origin_country: &'a str,
    pub beneficiaries: &'a str,
    pub project_id: &'a str,
    pub active: bool,
}

fn opt_country(e: &mut Errors, field: &str, s: &str) -> Option<Option<CountryCode>> {
    match s.trim() {
        "" => Some(None),
        c => e.keep(
            field,
            c.parse::<CountryCode>()
                .map(Some)
                .map_err(|x| x.to_string()),
        ),
    }
}

impl PackageForm<'_> {
    pub fn parse(&self) -> Result<PackageDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let name = e.text("name", self.name, 3, 200);
        let cap = e.money("cap_usd", self.cap_usd, Some(CurrencyCode::USD));
        if cap.is_some_and(|c| c.minor <= 0) {
            e.push("cap_usd", "must be above zero");
        }
        let components = e.keep(
            "components",
            self.components
                .iter()
                .map(|c| c.parse::<Category>().map_err(|x| x.to_string()))
                .collect::<Result<Vec<_>, _>>()
                .and_then(|v| {
                    if v.is_empty() {
                        Err("choose at least one component".to_owned())
                    } else {
                        Ok(v)
                    }
                }),
        );
        let host = opt_country(&mut e, "host_country", self.host_country);
        let origin = opt_country(&mut e, "origin_country", self.origin_country);
        let beneficiaries = e.text("beneficiaries", self.beneficiaries, 0, 300);
        let project_id = e.project("project_id", self.project_id);
        let v = (|| {
            let mut components = components?;
            components.sort();
            components.dedup();
            Some(PackageDraft {
                package: Package {
                    name: name?,
                    cap: cap?,
                    components,
                },
                host_country: host?,
                origin_country: origin?,
                beneficiaries: beneficiaries?,
                project_id: project_id?,
                active: self.active,
            })
        })();
        e.done(v)
    }
}

/// One item of a plan before conversion: the store adds the USD cost at the day's rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItemDraft {
    pub dimension: Dimension,
    pub category: Category,
    pub description: String,
    pub cost: Money,
    pub supplier: String,
    pub referral: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PlanItemForm<'a> {
    pub dimension: &'a str,
    pub category: &'a str,
    pub description: &'a str,
    pub cost: &'a str,
    pub currency: &'a str,
    pub supplier: &'a str,
    pub referral: bool,
}

impl PlanItemForm<'_> {
    pub fn parse(&self) -> Result<PlanItemDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let category = e.keep(
            "category",
            self.category.parse::<Category>().map_err(|x| x.to_string()),
        );
        // Left empty, the dimension is the one the category serves.
        let dimension = match self.dimension.trim() {
            "" => category.map(Category::dimension),
            d => e.keep(
                "dimension",
                d.parse::<Dimension>().map_err(|x| x.to_string()),
            ),
        };
        let description = e.text("description", self.description, 3, 500);
        let currency = e.currency("currency", self.currency);
        let cost = e.money("cost", self.cost, currency);
        if cost.is_some_and(|c| c.minor <= 0) {
            e.push("cost", "must be above zero");
        }
        let supplier = e.text("supplier", self.supplier, 0, 200);
        let v = (|| {
            Some(PlanItemDraft {
                dimension: dimension?,
                category: category?,
                description: description?,
                cost: cost?,
                supplier: supplier?,
                referral: self.referral,
            })
        })();
        e.done(v)
    }
}

code_enum!(
    /// How assistance was given.
    Kind {
        Cash = "cash" / "Cash",
        InKind = "in_kind" / "In kind",
    }
);

/// A payment or purchase as recorded, before conversion to USD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentDraft {
    pub plan_item: i64,
    pub kind: Kind,
    pub amount: Money,
    pub paid_on: Ymd,
    pub project_id: Option<i64>,
    pub note: String,
    /// A manager approves going beyond the approved item or the package.
    pub approve_excess: bool,
    /// The person saw that the latest rate is older than `max_rate_age_days` and uses it.
    pub old_rate_accepted: bool,
    /// How old a rate may be before the payment waits for that confirmation; none for no
    /// such check (history loaded in bulk, the demo).
    pub max_rate_age_days: Option<u32>,
}

#[derive(Debug, Clone, Default)]
pub struct PaymentForm<'a> {
    pub plan_item: &'a str,
    pub kind: &'a str,
    pub amount: &'a str,
    pub currency: &'a str,
    pub paid_on: &'a str,
    pub project_id: &'a str,
    pub note: &'a str,
    pub approve_excess: bool,
    pub accept_old_rate: bool,
}

impl PaymentForm<'_> {
    pub fn parse(&self, today: Ymd) -> Result<PaymentDraft, Vec<FieldError>> {
        let mut e = Errors::default();
        let plan_item = e.keep(
            "plan_item",
            self.plan_item
                .trim()
                .parse::<i64>()
                .map_err(|_| "choose the plan item this pays for".to_owned()),
        );
        let kind = e.keep("kind", self.kind.parse::<Kind>().map_err(|x| x.to_string()));
        let currency = e.currency("currency", self.currency);
        let amount = e.money("amount", self.amount, currency);
        if amount.is_some_and(|c| c.minor <= 0) {
            e.push("amount", "must be above zero");
        }
        let paid_on = e.date("paid_on", self.paid_on, today);
        let project_id = e.project("project_id", self.project_id);
        let note = e.text("note", self.note, 0, 1000);
        let v = (|| {
            Some(PaymentDraft {
                plan_item: plan_item?,
                kind: kind?,
                amount: amount?,
                paid_on: paid_on?,
                project_id: project_id?,
                note: note?,
                approve_excess: self.approve_excess,
                old_rate_accepted: self.accept_old_rate,
                max_rate_age_days: None,
            })
        })();
        e.done(v)
    }
}

code_enum!(
    /// How a returnee was followed up.
    FollowUpKind {
        Visit = "visit" / "Visit",
        Call = "call" / "Call",
    }
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub kind: FollowUpKind,
    pub on: Ymd,
    pub notes: String,
}

impl FollowUp {
    pub fn parse(
        kind: &str,
        on: &str,
        notes: &str,
        today: Ymd,
    ) -> Result<FollowUp, Vec<FieldError>> {
        let mut e = Errors::default();
        let kind = e.keep(
            "kind",
            kind.parse::<FollowUpKind>().map_err(|x| x.to_string()),
        );
        let on = e.date("on", on, today);
        let notes = e.text("notes", notes, 3, 4000);
        let v = (|| {
            Some(FollowUp {
                kind: kind?,
                on: on?,
                notes: notes?,
            })
        })();
        e.done(v)
    }
}

/// Why and when a case was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub reason: ClosureReason,
    pub on: Ymd,
    pub note: String,
}

impl Closure {
    pub fn parse(
        reason: &str,
        on: &str,
        note: &str,
        today: Ymd,
    ) -> Result<Closure, Vec<FieldError>> {
        let mut e = Errors::default();
        let reason = e.keep(
            "reason",
            reason.parse::<ClosureReason>().map_err(|x| x.to_string()),
        );
        let on = e.date("closed_on", on, today);
        let note = e.text("note", note, 0, 2000);
        let v = (|| {
            Some(Closure {
                reason: reason?,
                on: on?,
                note: note?,
            })
        })();
        e.done(v)
    }
}

code_enum!(
    /// Where a referral stands.
    ReferralStatus {
        Sent = "sent" / "Sent",
        Accepted = "accepted" / "Accepted",
        Declined = "declined" / "Declined",
        Completed = "completed" / "Completed",
        Cancelled = "cancelled" / "Cancelled (consent withdrawn)",
    }
);

impl ReferralStatus {
    /// Sent → accepted or declined; accepted → completed. Declined, completed and
    /// cancelled (consent withdrawn) are final.
    pub fn can_become(&self, to: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, to),
            (Sent, Accepted) | (Sent, Declined) | (Accepted, Completed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Ymd {
        "2026-11-23".parse().expect("date")
    }

    #[test]
    fn a_plan_items_dimension_left_empty_is_the_one_its_category_serves() {
        let form = |dimension| PlanItemForm {
            dimension,
            category: "vocational_training",
            description: "Car mechanics course",
            cost: "150000",
            currency: "ALL",
            ..Default::default()
        };
        let d = form("").parse().expect("valid");
        assert_eq!(d.dimension, Category::VocationalTraining.dimension());
        assert_eq!(
            form("social").parse().expect("valid").dimension,
            Dimension::Social
        );
        let errs = form("sideways").parse().unwrap_err();
        assert_eq!(errs[0].field, "dimension");
    }

    #[test]
    fn the_vulnerable_groups_package_parses() {
        let p = PackageForm {
            name: "Vulnerable Groups (VG)",
            cap_usd: "7800",
            components: vec![
                "education",
                "housing",
                "medical",
                "business_start_up",
                "education",
            ],
            host_country: "NO",
            origin_country: "AL",
            beneficiaries: "returnee and family",
            project_id: "",
            active: true,
        }
        .parse()
        .expect("valid");
        assert_eq!(p.package.cap.minor, 780_000);
        assert_eq!(p.package.components.len(), 4);
        let errs = PackageForm {
            cap_usd: "-1",
            components: vec!["cows"],
            host_country: "XX",
            ..Default::default()
        }
        .parse()
        .expect_err("bad");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "cap_usd", "components", "host_country"]);
    }

    #[test]
    fn amounts_keep_the_currency_minor_units() {
        let item = PlanItemForm {
            dimension: "economic",
            category: "business_start_up",
            description: "Six cows for the family",
            cost: "540000",
            currency: "ALL",
            supplier: "Livestock market, Tropojë",
            referral: false,
        }
        .parse()
        .expect("valid");
        assert_eq!(item.cost.currency.as_str(), "ALL");
        let bad = PlanItemForm {
            cost: "12.345",
            currency: "USD",
            ..Default::default()
        }
        .parse()
        .expect_err("three decimals in USD");
        assert!(bad.iter().any(|e| e.field == "cost"));
    }

    #[test]
    fn payments_and_follow_ups_refuse_future_dates() {
        let p = PaymentForm {
            plan_item: "1",
            kind: "in_kind",
            amount: "100",
            currency: "EUR",
            paid_on: "2027-01-01",
            ..Default::default()
        }
        .parse(today())
        .expect_err("future");
        assert_eq!(p[0].field, "paid_on");
        assert!(
            FollowUp::parse("visit", "2026-11-01", "Cows healthy; milk sold.", today()).is_ok()
        );
        assert!(FollowUp::parse("letter", "x", "", today()).is_err());
        assert!(Closure::parse("support_ended", "2026-11-20", "", today()).is_ok());
    }

    #[test]
    fn referrals_move_forward_only() {
        use ReferralStatus::*;
        assert!(Sent.can_become(Accepted) && Accepted.can_become(Completed));
        assert!(!Declined.can_become(Accepted) && !Completed.can_become(Sent));
        assert!(!Sent.can_become(Completed));
    }
}
