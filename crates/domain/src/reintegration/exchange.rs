//! Converting an amount paid in one currency to USD at the rate of the day, exactly:
//! rates are decimals held as integers (never floats), results are rounded half to even
//! to the cent, the way accountants expect.

use crate::currency::CurrencyCode;
use crate::money::Money;

/// Decimal places a rate keeps.
const RATE_DIGITS: u32 = 10;

/// How many USD one unit of a currency was worth on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsdRate {
    pub currency: CurrencyCode,
    /// USD per unit × 10^10.
    scaled: i128,
}

impl UsdRate {
    /// Reads `0.0108` (USD per ALL) or `1` (USD per USD). Up to ten decimals; positive.
    pub fn parse(currency: CurrencyCode, text: &str) -> Result<UsdRate, String> {
        let t = text.trim();
        let bad = || format!("{t:?} is not an exchange rate (USD per {currency}, like 0.0108)");
        let scaled = crate::decimal::scaled(t, RATE_DIGITS).map_err(|e| match e {
            crate::decimal::DecimalError::TooManyDecimals => {
                format!("{t:?} has more than {RATE_DIGITS} decimals")
            }
            _ => bad(),
        })?;
        if scaled <= 0 || scaled > 1_000_000 * 10i128.pow(RATE_DIGITS) {
            return Err(format!("{t:?}: a rate must be above 0 and sensible"));
        }
        Ok(UsdRate { currency, scaled })
    }

    /// The rate of USD to itself.
    pub fn usd() -> UsdRate {
        UsdRate {
            currency: CurrencyCode::USD,
            scaled: 10i128.pow(RATE_DIGITS),
        }
    }

    pub fn to_decimal_string(&self) -> String {
        let s = 10i128.pow(RATE_DIGITS);
        let frac = format!("{:0width$}", self.scaled % s, width = RATE_DIGITS as usize);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            format!("{}", self.scaled / s)
        } else {
            format!("{}.{frac}", self.scaled / s)
        }
    }

    /// `amount` in USD, rounded half to even to the cent. The amount must be in this rate's
    /// currency.
    pub fn to_usd(&self, amount: Money) -> Result<Money, String> {
        if amount.currency != self.currency {
            return Err(format!(
                "the rate is for {} but the amount is in {}",
                self.currency, amount.currency
            ));
        }
        let usd_digits = CurrencyCode::USD.minor_digits();
        let from_digits = amount.currency.minor_digits();
        // usd_minor = minor × rate × 10^usd_digits / 10^from_digits, with rate = scaled / 10^10.
        let num = i128::from(amount.minor) * self.scaled * 10i128.pow(usd_digits);
        let den = 10i128.pow(RATE_DIGITS + from_digits);
        let q = num.div_euclid(den);
        let r = num.rem_euclid(den);
        let rounded = match (2 * r).cmp(&den) {
            std::cmp::Ordering::Less => q,
            std::cmp::Ordering::Greater => q + 1,
            std::cmp::Ordering::Equal => q + (q & 1),
        };
        i64::try_from(rounded)
            .map(|m| Money::new(m, CurrencyCode::USD))
            .map_err(|_| "the amount is too large to convert".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(c: &str) -> CurrencyCode {
        c.parse().expect("currency")
    }

    #[test]
    fn converts_in_minor_units_with_half_even_rounding() {
        let all = UsdRate::parse(cur("ALL"), "0.0108").expect("rate");
        // 120,000 ALL (a course fee) at 0.0108 = 1,296.00 USD.
        let fee = Money::parse("120000", cur("ALL")).expect("money");
        assert_eq!(all.to_usd(fee).expect("usd").to_decimal_string(), "1296.00");
        // Half a cent rounds to the even cent: 0.125 → 0.12, 0.135 → 0.14.
        let r = UsdRate::parse(cur("EUR"), "1.25").expect("rate");
        assert_eq!(
            r.to_usd(Money::parse("0.10", cur("EUR")).expect("m"))
                .expect("u")
                .minor,
            12
        );
        let r = UsdRate::parse(cur("EUR"), "1.35").expect("rate");
        assert_eq!(
            r.to_usd(Money::parse("0.10", cur("EUR")).expect("m"))
                .expect("u")
                .minor,
            14
        );
        // A currency without minor units.
        let jpy = UsdRate::parse(cur("JPY"), "0.0067").expect("rate");
        assert_eq!(
            jpy.to_usd(Money::parse("1000", cur("JPY")).expect("m"))
                .expect("u")
                .minor,
            670
        );
        assert_eq!(
            UsdRate::usd()
                .to_usd(Money::new(780_000, CurrencyCode::USD))
                .expect("u")
                .minor,
            780_000
        );
    }

    #[test]
    fn refuses_bad_rates_and_mismatched_currencies() {
        for bad in ["", "-1", "0", "abc", "1.2.3", "0.00000000001"] {
            assert!(UsdRate::parse(cur("ALL"), bad).is_err(), "{bad}");
        }
        let all = UsdRate::parse(cur("ALL"), "0.0108").expect("rate");
        assert!(all.to_usd(Money::new(100, CurrencyCode::USD)).is_err());
        assert_eq!(all.to_decimal_string(), "0.0108");
    }
}

/// How old a rate may be, in days before the day it converts, before a payment says so and
/// waits for the person to confirm it: by default a month.
pub const DEFAULT_MAX_RATE_AGE_DAYS: u32 = 31;

/// Whether the rate of `rate_on` is older than `max_days` on `on`.
pub fn is_old(rate_on: crate::date::Ymd, on: crate::date::Ymd, max_days: u32) -> bool {
    on.to_days() - rate_on.to_days() > i64::from(max_days)
}

#[cfg(test)]
mod age_tests {
    use super::*;

    #[test]
    fn a_rate_is_old_after_the_days_allowed() {
        let d = |s: &str| s.parse::<crate::date::Ymd>().expect("date");
        assert!(!is_old(d("2026-11-03"), d("2026-12-04"), 31));
        assert!(is_old(d("2026-11-02"), d("2026-12-04"), 31));
        assert!(!is_old(d("2026-12-04"), d("2026-12-04"), 0));
    }
}
