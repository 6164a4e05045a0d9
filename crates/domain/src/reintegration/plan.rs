//! Reintegration packages, plans and the money given against them: a plan may not exceed
//! its package's cap, nor use a component the package does not offer, unless a manager
//! approved the exception; assistance may not exceed what was approved for an item, nor
//! the package, without approval.

use crate::currency::CurrencyCode;
use crate::money::Money;

code_enum!(
    /// The dimensions of reintegration a plan item serves.
    Dimension {
        Economic = "economic" / "Economic",
        Social = "social" / "Social",
        Psychosocial = "psychosocial" / "Psychosocial",
    }
);

code_enum!(
    /// What a plan item is.
    Category {
        BusinessStartUp = "business_start_up" / "Business start-up",
        VocationalTraining = "vocational_training" / "Vocational training",
        Education = "education" / "Education",
        JobPlacement = "job_placement" / "Job placement",
        Housing = "housing" / "Housing",
        Medical = "medical" / "Medical",
        Psychosocial = "psychosocial" / "Psychosocial",
        Legal = "legal" / "Legal",
        SocialProtection = "social_protection" / "Social protection",
        Childcare = "childcare" / "Childcare",
        ImmediateNeeds = "immediate_needs" / "Immediate needs",
        Other = "other" / "Other",
    }
);

impl Category {
    /// The dimension an item of this category usually serves: what a generated plan
    /// files it under.
    pub fn dimension(self) -> Dimension {
        match self {
            Category::BusinessStartUp | Category::VocationalTraining | Category::JobPlacement => {
                Dimension::Economic
            }
            Category::Psychosocial => Dimension::Psychosocial,
            _ => Dimension::Social,
        }
    }
}

/// A named offer with a cap in USD and the components it pays for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub cap: Money,
    pub components: Vec<Category>,
}

impl Package {
    /// The Vulnerable Groups package of the Norway–Albania story: 7,800 USD for education
    /// and training, housing allowance, medical support and business start-up, for the
    /// returnee and family.
    pub fn vulnerable_groups() -> Package {
        Package {
            name: "Vulnerable Groups (VG): unaccompanied minors and aged-out minors".into(),
            cap: Money::new(780_000, CurrencyCode::USD),
            components: vec![
                Category::Education,
                Category::VocationalTraining,
                Category::Housing,
                Category::Medical,
                Category::BusinessStartUp,
            ],
        }
    }
}

/// One item of a plan, its cost already converted to USD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItem {
    pub dimension: Dimension,
    pub category: Category,
    pub description: String,
    /// The estimate in the currency it was given in.
    pub cost: Money,
    pub cost_usd: Money,
    pub supplier: String,
    pub referral: bool,
}

/// Why a plan cannot be approved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "the plan totals {total} but the package allows {cap}; a manager must approve the exception"
    )]
    OverCap { total: Money, cap: Money },
    #[error(
        "item {item}: the package does not pay for {category}; a manager must approve the exception"
    )]
    NotInPackage { item: usize, category: Category },
    #[error("item {item}: its USD cost must be in USD and not negative")]
    BadCost { item: usize },
}

/// The plan's total in USD.
pub fn total_usd(items: &[PlanItem]) -> Money {
    Money::new(
        items.iter().map(|i| i.cost_usd.minor).sum(),
        CurrencyCode::USD,
    )
}

/// Every reason the plan needs an exception (empty when it fits the package).
pub fn check_plan(package: &Package, items: &[PlanItem]) -> Vec<PlanError> {
    let mut errs = vec![];
    for (n, i) in items.iter().enumerate() {
        if i.cost_usd.currency != CurrencyCode::USD || i.cost_usd.minor < 0 {
            errs.push(PlanError::BadCost { item: n + 1 });
        }
        if !package.components.contains(&i.category) {
            errs.push(PlanError::NotInPackage {
                item: n + 1,
                category: i.category,
            });
        }
    }
    let total = total_usd(items);
    if total.minor > package.cap.minor {
        errs.push(PlanError::OverCap {
            total,
            cap: package.cap,
        });
    }
    errs
}

/// Whether a plan may be approved: it fits, or a manager approved the exception.
pub fn approvable(
    package: &Package,
    items: &[PlanItem],
    exception_approved: bool,
) -> Result<(), Vec<PlanError>> {
    let errs = check_plan(package, items);
    if errs.is_empty()
        || exception_approved && !errs.iter().any(|e| matches!(e, PlanError::BadCost { .. }))
    {
        Ok(())
    } else {
        Err(errs)
    }
}

/// Why a payment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DisbursementError {
    #[error(
        "this payment brings the item to {given} of {approved} approved; a manager must approve the excess"
    )]
    OverItem { given: Money, approved: Money },
    #[error(
        "this payment brings the case to {given} of the package's {cap}; a manager must approve the excess"
    )]
    OverPackage { given: Money, cap: Money },
    #[error("an amount must be above zero")]
    NotPositive,
}

/// Checks a new payment (in USD) against the approved item and the package, given what
/// was already paid for the item and for the case.
pub fn check_disbursement(
    new_usd: Money,
    item_approved_usd: Money,
    item_given_usd: Money,
    case_given_usd: Money,
    cap: Money,
    excess_approved: bool,
) -> Result<(), DisbursementError> {
    if new_usd.minor <= 0 {
        return Err(DisbursementError::NotPositive);
    }
    if excess_approved {
        return Ok(());
    }
    let item_total = item_given_usd.minor + new_usd.minor;
    if item_total > item_approved_usd.minor {
        return Err(DisbursementError::OverItem {
            given: Money::new(item_total, CurrencyCode::USD),
            approved: item_approved_usd,
        });
    }
    let case_total = case_given_usd.minor + new_usd.minor;
    if case_total > cap.minor {
        return Err(DisbursementError::OverPackage {
            given: Money::new(case_total, CurrencyCode::USD),
            cap,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(s: &str) -> Money {
        Money::parse(s, CurrencyCode::USD).expect("usd")
    }

    fn item(category: Category, cost: &str) -> PlanItem {
        PlanItem {
            dimension: Dimension::Economic,
            category,
            description: String::new(),
            cost: usd(cost),
            cost_usd: usd(cost),
            supplier: String::new(),
            referral: false,
        }
    }

    #[test]
    fn the_story_plan_fits_the_vulnerable_groups_package() {
        let vg = Package::vulnerable_groups();
        assert_eq!(vg.cap.to_string(), "7,800.00 USD");
        let plan = [
            item(Category::VocationalTraining, "1296.00"), // three-month car mechanics course
            item(Category::BusinessStartUp, "6300.00"),    // six cows, in kind
        ];
        assert_eq!(total_usd(&plan), usd("7596.00"));
        assert_eq!(approvable(&vg, &plan, false), Ok(()));
    }

    #[test]
    fn over_the_cap_or_outside_the_package_needs_an_exception() {
        let vg = Package::vulnerable_groups();
        let plan = [
            item(Category::BusinessStartUp, "7000"),
            item(Category::Legal, "900"),
        ];
        let errs = approvable(&vg, &plan, false).expect_err("needs an exception");
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().any(|e| matches!(e, PlanError::OverCap { .. })));
        assert!(
            errs[0]
                .to_string()
                .contains("item 2: the package does not pay for legal")
        );
        assert_eq!(
            approvable(&vg, &plan, true),
            Ok(()),
            "a manager's exception"
        );
        let negative = [item(Category::Housing, "-5")];
        assert!(
            approvable(&vg, &negative, true).is_err(),
            "no exception for a bad cost"
        );
    }

    #[test]
    fn payments_stay_within_the_item_and_the_package() {
        let cap = usd("7800");
        assert_eq!(
            check_disbursement(usd("1296"), usd("1296"), usd("0"), usd("0"), cap, false),
            Ok(())
        );
        let over = check_disbursement(
            usd("100"),
            usd("1296"),
            usd("1296"),
            usd("1296"),
            cap,
            false,
        );
        assert!(matches!(over, Err(DisbursementError::OverItem { .. })));
        assert!(
            over.expect_err("over")
                .to_string()
                .contains("1,396.00 USD of 1,296.00 USD")
        );
        let over_pkg =
            check_disbursement(usd("500"), usd("9000"), usd("0"), usd("7596"), cap, false);
        assert!(matches!(
            over_pkg,
            Err(DisbursementError::OverPackage { .. })
        ));
        assert_eq!(
            check_disbursement(usd("500"), usd("9000"), usd("0"), usd("7596"), cap, true),
            Ok(())
        );
        assert_eq!(
            check_disbursement(usd("0"), usd("1"), usd("0"), usd("0"), cap, true),
            Err(DisbursementError::NotPositive)
        );
    }
}
