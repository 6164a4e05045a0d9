//! What the dashboards know of each case, kept compact so that a million cases fit in a
//! few hundred bytes each: who holds it, whom it concerns (country, sex, age at return,
//! vulnerabilities), where it stands, what was planned, given and charged to projects, and
//! its survey scores under the current instrument. Texts (stages, countries, categories)
//! are held once in [`Facts`] and referred to by a [`Key`].

use crate::case::Vulnerability;
use crate::survey::Band;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A text held once in [`Facts`].
pub type Key = u16;

/// A score from 0 to 1 in ten-thousandths: four decimals are more than any view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Score(u16);

impl Score {
    /// `None` for a score outside 0 to 1 (or not a number).
    pub fn new(v: f64) -> Option<Score> {
        (0.0..=1.0)
            .contains(&v)
            .then(|| Score((v * 10_000.0).round() as u16))
    }

    pub fn get(self) -> f64 {
        f64::from(self.0) / 10_000.0
    }
}

/// Economic, social, psychosocial and composite scores of one survey.
pub type Scores4 = [Option<Score>; 4];

/// The case's latest survey, scored under the current instrument.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    /// `None` when the survey has no composite score.
    pub band: Option<Band>,
    pub composite: Option<Score>,
}

/// The baseline and the latest follow-up, for a case that has both.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pair {
    pub baseline: Scores4,
    pub latest: Scores4,
}

/// Money on a case, in USD minor units, summed by what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Amount {
    /// Plan items of one category.
    Planned { category: Key, usd_minor: i64 },
    /// Payments against plan items of one category.
    Given { category: Key, usd_minor: i64 },
    /// Payments charged to one project.
    Spent { project: i64, usd_minor: i64 },
}

/// One case as the dashboards count it. Record numbers are positive; 0 means none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseFact {
    pub case_id: i64,
    pub owning_office: i64,
    pub assigned_user: i64,
    pub project: i64,
    pub package: i64,
    /// Offices the case is shared with.
    pub shared_with: Box<[i64]>,
    pub status: Key,
    pub return_country: Key,
    pub sex: Key,
    /// One bit per [`Vulnerability`], in the order of `Vulnerability::ALL`.
    pub vulnerabilities: u16,
    pub arrived_year: Option<i16>,
    /// Years between birth and return (or registration, before arrival).
    pub age_at_return: Option<i16>,
    /// Days from arrival to the plan agreed.
    pub plan_days: Option<i32>,
    pub plan_agreed: bool,
    pub amounts: Box<[Amount]>,
    pub latest: Option<Latest>,
    pub pair: Option<Pair>,
}

/// The bit of one vulnerability in [`CaseFact::vulnerabilities`].
pub fn vulnerability_bit(v: Vulnerability) -> u16 {
    let i = Vulnerability::ALL.iter().position(|x| *x == v).unwrap_or(0);
    1 << i
}

/// Every case the dashboards count, in order of case number, with the texts they refer
/// to. Built by the store from the database and kept up to date case by case; stored
/// whole (texts and cases, the index of texts rebuilt on reading) so a server starts from
/// it instead of reading every case.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "Stored")]
pub struct Facts {
    names: Vec<String>,
    keys: HashMap<String, Key>,
    cases: Vec<CaseFact>,
}

/// What of [`Facts`] is stored.
#[derive(Deserialize)]
struct Stored {
    names: Vec<String>,
    cases: Vec<CaseFact>,
}

impl From<Stored> for Facts {
    fn from(s: Stored) -> Facts {
        let keys = s
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), Key::try_from(i).unwrap_or(Key::MAX)))
            .collect();
        Facts {
            names: s.names,
            keys,
            cases: s.cases,
        }
    }
}

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Stored", 2)?;
        st.serialize_field("names", &self.names)?;
        st.serialize_field("cases", &self.cases)?;
        st.end()
    }
}

impl Facts {
    /// The key of a text, adding it if new. Beyond 65,536 distinct texts (which no stage,
    /// country or category list comes near) every further text shares the last key.
    pub fn key(&mut self, text: &str) -> Key {
        if let Some(k) = self.keys.get(text) {
            return *k;
        }
        let k = Key::try_from(self.names.len()).unwrap_or(Key::MAX);
        if usize::from(k) == self.names.len() {
            self.names.push(text.to_owned());
            self.keys.insert(text.to_owned(), k);
        }
        k
    }

    /// The key of a text already held, without adding it.
    pub fn find(&self, text: &str) -> Option<Key> {
        self.keys.get(text).copied()
    }

    pub fn name(&self, k: Key) -> &str {
        self.names.get(usize::from(k)).map_or("", String::as_str)
    }

    pub(crate) fn key_count(&self) -> usize {
        self.names.len()
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    pub fn cases(&self) -> &[CaseFact] {
        &self.cases
    }

    pub fn get(&self, case_id: i64) -> Option<&CaseFact> {
        self.cases
            .binary_search_by_key(&case_id, |c| c.case_id)
            .ok()
            .map(|i| &self.cases[i])
    }

    /// Adds a case or replaces what was known of it.
    pub fn put(&mut self, fact: CaseFact) {
        // New cases have the highest numbers: pushing keeps the order without a search.
        if self.cases.last().is_none_or(|l| l.case_id < fact.case_id) {
            self.cases.push(fact);
            return;
        }
        match self
            .cases
            .binary_search_by_key(&fact.case_id, |c| c.case_id)
        {
            Ok(i) => self.cases[i] = fact,
            Err(i) => self.cases.insert(i, fact),
        }
    }

    /// Gives back the room a whole read left over.
    pub fn shrink(&mut self) {
        self.cases.shrink_to_fit();
    }

    /// Forgets a case that no longer exists.
    pub fn remove(&mut self, case_id: i64) {
        if let Ok(i) = self.cases.binary_search_by_key(&case_id, |c| c.case_id) {
            self.cases.remove(i);
        }
    }

    /// Bytes held, roughly: for the benchmark's memory figure.
    pub fn heap_bytes(&self) -> usize {
        let amounts: usize = self
            .cases
            .iter()
            .map(|c| c.amounts.len() * size_of::<Amount>() + c.shared_with.len() * size_of::<i64>())
            .sum();
        self.cases.capacity() * size_of::<CaseFact>()
            + amounts
            + self.names.iter().map(|n| n.len() * 2 + 48).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(case_id: i64) -> CaseFact {
        CaseFact {
            case_id,
            owning_office: 1,
            assigned_user: 0,
            project: 0,
            package: 0,
            shared_with: Box::new([]),
            status: 0,
            return_country: 0,
            sex: 0,
            vulnerabilities: 0,
            arrived_year: None,
            age_at_return: None,
            plan_days: None,
            plan_agreed: false,
            amounts: Box::new([]),
            latest: None,
            pair: None,
        }
    }

    #[test]
    fn cases_stay_in_order_when_put_and_removed() {
        let mut f = Facts::default();
        for id in [3, 5, 9] {
            f.put(fact(id));
        }
        f.put(fact(4));
        let mut again = fact(5);
        again.owning_office = 7;
        f.put(again);
        f.remove(9);
        f.remove(100);
        let ids: Vec<i64> = f.cases().iter().map(|c| c.case_id).collect();
        assert_eq!(ids, [3, 4, 5]);
        assert_eq!(f.get(5).map(|c| c.owning_office), Some(7));
        assert!(f.get(9).is_none());
    }

    #[test]
    fn texts_are_held_once() {
        let mut f = Facts::default();
        let al = f.key("AL");
        assert_eq!(f.key("GE"), al + 1);
        assert_eq!(f.key("AL"), al);
        assert_eq!(f.name(al), "AL");
        assert_eq!(f.find("WS"), None);
        assert_eq!(f.key_count(), 2);
    }

    #[test]
    fn scores_keep_four_decimals_and_refuse_the_impossible() {
        assert_eq!(Score::new(0.73456).map(Score::get), Some(0.7346));
        assert_eq!(Score::new(1.0).map(Score::get), Some(1.0));
        assert_eq!(Score::new(1.2), None);
        assert_eq!(Score::new(f64::NAN), None);
        assert_eq!(
            vulnerability_bit(Vulnerability::Trafficking),
            1 << 2,
            "bits follow Vulnerability::ALL"
        );
    }
}
