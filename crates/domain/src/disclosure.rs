//! Small numbers protected: an aggregate of fewer than five cases shown to someone who
//! cannot read those cases (the public, M&E officers) could point at a person, so it is
//! withheld rather than shown.

/// The fewest cases an aggregate may stand for when shown without access to them.
pub const MIN_CASES: i64 = 5;

/// Whether an aggregate over `cases` cases may be shown to someone who cannot read them.
pub fn may_show(cases: i64) -> bool {
    cases >= MIN_CASES
}

/// Which counts of a breakdown to withhold when it is shown beside its total to someone
/// who cannot read the cases (each count at least 1: only categories that occur are
/// listed). Every count under [`MIN_CASES`] is withheld, and with them the smallest others
/// (counts equal to the one taken join with it) until at least two are withheld, they
/// stand for at least twice [`MIN_CASES`] cases and are not all equal: otherwise a
/// withheld count could be worked out from the total and the counts shown (one withheld
/// count is the total minus the rest; two withheld counts of 1, or three of 4, are all
/// the total leaves). None when that cannot be done: then the breakdown is withheld
/// whole, its categories too. `no_withheld_count_can_be_worked_out` checks this against
/// someone who knows the rule.
pub fn withhold_breakdown(counts: &[i64]) -> Option<Vec<bool>> {
    withhold_breakdown_from(counts, counts.iter().map(|n| !may_show(*n)).collect())
}

/// As [`withhold_breakdown`], starting from the counts already withheld for a reason of
/// their own (as [`differs_by_few`] finds): those stay withheld, and as many others join
/// them as needed.
pub fn withhold_breakdown_from(counts: &[i64], mut withheld: Vec<bool>) -> Option<Vec<bool>> {
    for (w, n) in withheld.iter_mut().zip(counts) {
        *w |= !may_show(*n);
    }
    if !withheld.contains(&true) {
        return Some(withheld);
    }
    loop {
        let hidden: Vec<i64> = counts
            .iter()
            .zip(&withheld)
            .filter(|(_, w)| **w)
            .map(|(n, _)| *n)
            .collect();
        let sum: i64 = hidden.iter().sum();
        // Withheld counts all equal (all 4s, say) are all the total leaves them to be.
        let alike = hidden.windows(2).all(|w| w[0] == w[1]);
        if hidden.len() >= 2 && sum >= 2 * MIN_CASES && !alike {
            return Some(withheld);
        }
        // The smallest count shown joins, with every other count equal to it: picking
        // one of equals would tell which of them the withheld one is.
        let smallest = counts
            .iter()
            .zip(&withheld)
            .filter(|(_, w)| !**w)
            .map(|(n, _)| *n)
            .min()?;
        for (w, n) in withheld.iter_mut().zip(counts) {
            if *n == smallest {
                *w = true;
            }
        }
    }
}

/// Whether a count shown beside the same count with one filter left out would count
/// fewer than five people by their difference (`without` holds the count under each
/// filter left out in turn).
pub fn differs_by_few(count: i64, without: impl IntoIterator<Item = i64>) -> bool {
    without.into_iter().any(|w| {
        let d = w - count;
        d > 0 && !may_show(d)
    })
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
    fn a_breakdown_withholds_small_counts_and_enough_others() {
        assert_eq!(
            withhold_breakdown(&[40, 12, 7]),
            Some(vec![false, false, false])
        );
        // One small count alone would be the total minus the rest.
        assert_eq!(
            withhold_breakdown(&[40, 12, 3]),
            Some(vec![false, true, true])
        );
        // 3 and 4 stand for 7 cases: the smallest other joins them.
        assert_eq!(
            withhold_breakdown(&[40, 12, 3, 4]),
            Some(vec![false, true, true, true])
        );
        assert_eq!(
            withhold_breakdown(&[1, 1, 30, 30]),
            Some(vec![true; 4]),
            "equal counts join together"
        );
        assert_eq!(
            withhold_breakdown(&[4, 4, 4, 5, 20]),
            Some(vec![true, true, true, true, false]),
            "three 4s are all 12 can be"
        );
        // Too few cases to break down at all.
        assert_eq!(withhold_breakdown(&[1, 1]), None);
        assert_eq!(withhold_breakdown(&[4, 5]), None);
        assert_eq!(withhold_breakdown(&[3]), None);
    }

    /// Small numbers generated at random: for every breakdown shown, someone who knows
    /// the rule, the total and the counts shown finds at least two possible values for
    /// every withheld count (every way the withheld counts could add up that the rule
    /// would have withheld the same way).
    #[test]
    fn no_withheld_count_can_be_worked_out() {
        let mut seed: u64 = 0x5EED;
        let mut rand = |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % below
        };
        for _ in 0..3_000 {
            let k = 1 + rand(5) as usize;
            let counts: Vec<i64> = (0..k).map(|_| 1 + rand(12) as i64).collect();
            let Some(mask) = withhold_breakdown(&counts) else {
                continue;
            };
            let hidden: Vec<usize> = (0..k).filter(|i| mask[*i]).collect();
            if hidden.is_empty() {
                continue;
            }
            let sum: i64 = hidden.iter().map(|i| counts[*i]).sum();
            let mut seen: Vec<std::collections::BTreeSet<i64>> =
                vec![Default::default(); hidden.len()];
            let mut guess = counts.clone();
            fn fill(
                at: usize,
                left: i64,
                hidden: &[usize],
                guess: &mut Vec<i64>,
                mask: &[bool],
                seen: &mut [std::collections::BTreeSet<i64>],
            ) {
                if at + 1 == hidden.len() {
                    if left < 1 {
                        return;
                    }
                    guess[hidden[at]] = left;
                    if withhold_breakdown(guess).as_deref() == Some(mask) {
                        for (j, i) in hidden.iter().enumerate() {
                            seen[j].insert(guess[*i]);
                        }
                    }
                    return;
                }
                for v in 1..left {
                    guess[hidden[at]] = v;
                    fill(at + 1, left - v, hidden, guess, mask, seen);
                }
            }
            fill(0, sum, &hidden, &mut guess, &mask, &mut seen);
            for (j, i) in hidden.iter().enumerate() {
                assert!(
                    seen[j].len() >= 2,
                    "{counts:?}: the withheld count {} is {:?}",
                    i,
                    seen[j]
                );
            }
        }
    }

    #[test]
    fn shares_round_half_up_and_need_a_whole() {
        assert_eq!(permille(712_500, 780_000), Some(913));
        assert_eq!(permille(1, 3), Some(333));
        assert_eq!(permille(1, 2_000), Some(1));
        assert_eq!(permille(5, 0), None);
    }
}
