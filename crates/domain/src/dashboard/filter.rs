//! What a dashboard may be narrowed to, parsed once from the address so every view and
//! every download counts the same cases: country of return, office, funding project,
//! package, year of return, sex, age group at return and vulnerability.

use crate::FieldError;
use crate::case::{Sex, Vulnerability};
use crate::country::CountryCode;

code_enum!(
    /// Age at return, in the bands reintegration work is reported by.
    AgeGroup {
        Child = "0_17" / "0–17",
        Young = "18_34" / "18–34",
        Adult = "35_59" / "35–59",
        Older = "60_plus" / "60 and over",
    }
);

impl AgeGroup {
    /// The ages (inclusive) the band covers; the last is open.
    pub fn years(self) -> (i32, i32) {
        match self {
            AgeGroup::Child => (0, 17),
            AgeGroup::Young => (18, 34),
            AgeGroup::Adult => (35, 59),
            AgeGroup::Older => (60, 200),
        }
    }
}

/// The filters of a dashboard; none set means every case the reader may count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardFilter {
    pub return_country: Option<CountryCode>,
    pub office: Option<i64>,
    pub project: Option<i64>,
    pub package: Option<i64>,
    /// Year of arrival back home.
    pub year: Option<i32>,
    pub sex: Option<Sex>,
    pub age_group: Option<AgeGroup>,
    pub vulnerability: Option<Vulnerability>,
}

fn id(errors: &mut Vec<FieldError>, field: &str, v: &str) -> Option<i64> {
    match v.parse::<i64>() {
        Ok(n) if n > 0 => Some(n),
        _ => {
            errors.push(FieldError::new(
                field,
                format!("{v:?} is not a record number"),
            ));
            None
        }
    }
}

impl DashboardFilter {
    /// Reads `name=value` pairs (the query string); empty values are no filter, unknown
    /// names are ignored (the page's own, such as `lang`), bad values are named.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, Vec<FieldError>> {
        let mut f = DashboardFilter::default();
        let mut errors = vec![];
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k {
                "country" => match v.parse::<CountryCode>() {
                    Ok(c) => f.return_country = Some(c),
                    Err(e) => errors.push(FieldError::new(k, e)),
                },
                "office" => f.office = id(&mut errors, k, v),
                "project" => f.project = id(&mut errors, k, v),
                "package" => f.package = id(&mut errors, k, v),
                "year" => match v.parse::<i32>() {
                    Ok(y) if (1950..=2100).contains(&y) => f.year = Some(y),
                    _ => errors.push(FieldError::new(k, format!("{v:?} is not a year"))),
                },
                "sex" => match v.parse() {
                    Ok(s) => f.sex = Some(s),
                    Err(e) => errors.push(FieldError::new(k, e)),
                },
                "age" => match v.parse() {
                    Ok(a) => f.age_group = Some(a),
                    Err(e) => errors.push(FieldError::new(k, e)),
                },
                "vulnerability" => match v.parse() {
                    Ok(x) => f.vulnerability = Some(x),
                    Err(e) => errors.push(FieldError::new(k, e)),
                },
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(f)
        } else {
            Err(errors)
        }
    }

    /// The same filters with each one that is set left out in turn: what a reader could
    /// ask for next to tell a difference.
    pub fn each_left_out(&self) -> Vec<DashboardFilter> {
        let mut out = vec![];
        let mut push = |clear: &dyn Fn(&mut DashboardFilter)| {
            let mut f = self.clone();
            clear(&mut f);
            if f != *self {
                out.push(f);
            }
        };
        push(&|f| f.return_country = None);
        push(&|f| f.office = None);
        push(&|f| f.project = None);
        push(&|f| f.package = None);
        push(&|f| f.year = None);
        push(&|f| f.sex = None);
        push(&|f| f.age_group = None);
        push(&|f| f.vulnerability = None);
        out
    }

    /// The filters as query pairs, for links and downloads of the same view.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![];
        if let Some(c) = &self.return_country {
            out.push(("country", c.as_str().to_owned()));
        }
        for (k, v) in [
            ("office", self.office),
            ("project", self.project),
            ("package", self.package),
        ] {
            if let Some(v) = v {
                out.push((k, v.to_string()));
            }
        }
        if let Some(y) = self.year {
            out.push(("year", y.to_string()));
        }
        if let Some(s) = self.sex {
            out.push(("sex", s.code().to_owned()));
        }
        if let Some(a) = self.age_group {
            out.push(("age", a.code().to_owned()));
        }
        if let Some(v) = self.vulnerability {
            out.push(("vulnerability", v.code().to_owned()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_say_what_is_wrong() {
        let f = DashboardFilter::parse([
            ("country", "al"),
            ("year", "2013"),
            ("sex", "male"),
            ("age", "18_34"),
            ("lang", "fr"),
            ("office", ""),
        ])
        .expect("valid");
        assert_eq!(
            f.return_country.map(|c| c.as_str().to_owned()).as_deref(),
            Some("AL")
        );
        assert_eq!((f.year, f.office), (Some(2013), None));
        assert_eq!(f.age_group.map(AgeGroup::years), Some((18, 34)));
        let back =
            DashboardFilter::parse(f.pairs().iter().map(|(k, v)| (*k, v.as_str()))).expect("again");
        assert_eq!(back, f);
        let errs = DashboardFilter::parse([
            ("country", "Albania"),
            ("year", "13"),
            ("office", "x"),
            ("vulnerability", "tall"),
        ])
        .expect_err("refused");
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["country", "year", "office", "vulnerability"]);
    }
}
