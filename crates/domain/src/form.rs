//! Parsing a form: every problem collected and named by its field, so a person fixes all
//! of them at once.

use crate::currency::CurrencyCode;
use crate::date::Ymd;
use crate::{FieldError, Money};

/// Collects field problems while parsing a form.
#[derive(Default)]
pub(crate) struct Errors(Vec<FieldError>);

impl Errors {
    pub(crate) fn push(&mut self, field: &str, reason: impl Into<String>) {
        self.0.push(FieldError::new(field, reason));
    }

    pub(crate) fn keep<T>(&mut self, field: &str, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| self.0.push(FieldError::new(field, e))).ok()
    }

    pub(crate) fn text(&mut self, field: &str, s: &str, min: usize, max: usize) -> Option<String> {
        let t = s.trim();
        let n = t.chars().count();
        let ok = n >= min && n <= max && !t.chars().any(|c| c.is_control() && c != '\n');
        self.keep(
            field,
            if ok {
                Ok(t.to_owned())
            } else if min > 0 {
                Err(format!("must be {min} to {max} characters"))
            } else {
                Err(format!("must be at most {max} characters"))
            },
        )
    }

    pub(crate) fn date(&mut self, field: &str, s: &str, today: Ymd) -> Option<Ymd> {
        self.keep(
            field,
            s.trim().parse::<Ymd>().and_then(|d| {
                if d > today {
                    Err("is in the future".to_owned())
                } else {
                    Ok(d)
                }
            }),
        )
    }

    pub(crate) fn money(
        &mut self,
        field: &str,
        amount: &str,
        currency: Option<CurrencyCode>,
    ) -> Option<Money> {
        let c = currency?;
        self.keep(field, Money::read(amount, c))
    }

    pub(crate) fn currency(&mut self, field: &str, s: &str) -> Option<CurrencyCode> {
        self.keep(
            field,
            s.trim().parse::<CurrencyCode>().map_err(|e| e.to_string()),
        )
    }

    /// An optional project chosen from a list: empty for none.
    pub(crate) fn project(&mut self, field: &str, s: &str) -> Option<Option<i64>> {
        match s.trim() {
            "" => Some(None),
            p => self.keep(
                field,
                p.parse::<i64>()
                    .map(Some)
                    .map_err(|_| "choose a project".to_owned()),
            ),
        }
    }

    pub(crate) fn done<T>(self, v: Option<T>) -> Result<T, Vec<FieldError>> {
        match v {
            Some(v) if self.0.is_empty() => Ok(v),
            _ => Err(self.0),
        }
    }
}
