//! Small numbers protected: an aggregate of fewer than five cases shown to someone who
//! cannot read those cases (the public, M&E officers) could point at a person, so it is
//! withheld rather than shown.

/// The fewest cases an aggregate may stand for when shown without access to them.
pub const MIN_CASES: i64 = 5;

/// Whether an aggregate over `cases` cases may be shown to someone who cannot read them.
pub fn may_show(cases: i64) -> bool {
    cases >= MIN_CASES
}

/// A share of a whole in tenths of a percent, rounded half up; none without a whole.
pub fn permille(part: i64, whole: i64) -> Option<i64> {
    (whole > 0).then(|| (part * 1000 + whole / 2) / whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_than_five_cases_are_withheld() {
        assert!(!may_show(0) && !may_show(4));
        assert!(may_show(5) && may_show(1_000));
    }

    #[test]
    fn shares_round_half_up_and_need_a_whole() {
        assert_eq!(permille(712_500, 780_000), Some(913));
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(1, 2_000), Some(1));
        assert_eq!(permille(5, 0), None);
    }
}
