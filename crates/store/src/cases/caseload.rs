//! Lists of cases for caseworkers and managers: my caseload, my office's, those shared
//! with my office; filtered by stage, package, vulnerability, overdue tasks and place of
//! return; searched by case number or by a name however it is spelt. Also the likely
//! duplicates of a new registration and the overdue tasks. Every list that shows names
//! is recorded in the audit trail.

use crate::audit::{Change, append};
use crate::cases::{push_scope, push_scope_checked};
use crate::db::sql::Sql;
use crate::lookups::{Lookups, VERSION};
use crate::{Actor, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::CountryCode;
use homeward_domain::access::{Authorized, Permission, ReadCases, SeeSensitive};
use homeward_domain::audit::Action;
use homeward_domain::case::Vulnerability;
use homeward_domain::date::Ymd;
use homeward_domain::names;
use homeward_domain::reintegration::stage::Stage;
use serde_json::json;
use std::sync::Arc;

/// Whose cases a list shows (always within the reader's scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Assigned to me.
    #[default]
    Mine,
    /// Owned by my office.
    Office,
    /// Shared with, handed over from or referred to my office.
    Shared,
    /// Everything my scope reaches.
    All,
}

impl View {
    pub fn code(&self) -> &'static str {
        match self {
            View::Mine => "mine",
            View::Office => "office",
            View::Shared => "shared",
            View::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<View> {
        [View::Mine, View::Office, View::Shared, View::All]
            .into_iter()
            .find(|v| v.code() == s)
    }
}

/// The filters of a caseload list.
#[derive(Debug, Clone, Default)]
pub struct CaseloadQuery {
    pub view: View,
    pub stage: Option<Stage>,
    pub package: Option<i64>,
    /// Needs the permission to see sensitive fields.
    pub vulnerability: Option<Vulnerability>,
    pub overdue: bool,
    /// Town or area of return, or how either begins; accents and case do not matter.
    pub place: Option<String>,
    /// A case number or a name.
    pub q: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// One line of a caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseLine {
    pub id: i64,
    pub returnee_id: i64,
    pub reference: String,
    pub given_name: String,
    pub family_name: String,
    pub status: String,
    pub package: Option<String>,
    pub return_area: String,
    pub return_place: String,
    pub office: String,
    pub assigned: Option<String>,
    pub next_due: Option<String>,
    pub birth_date: Option<String>,
    pub nationality: String,
}

/// A line as read: the office, package and caseworker by number, named from
/// [`crate::lookups`].
#[derive(QueryableByName)]
struct LineRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    returnee_id: i64,
    #[diesel(sql_type = Text)]
    reference: String,
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    package_id: Option<i64>,
    #[diesel(sql_type = Text)]
    return_area: String,
    #[diesel(sql_type = Text)]
    return_place: String,
    #[diesel(sql_type = BigInt)]
    owning_office_id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    assigned_user_id: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    next_due: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    birth_date: Option<String>,
    #[diesel(sql_type = Text)]
    nationality: String,
    #[diesel(sql_type = BigInt)]
    lookups_version: i64,
}

impl LineRow {
    fn named(self, l: &Lookups) -> CaseLine {
        CaseLine {
            id: self.id,
            returnee_id: self.returnee_id,
            reference: self.reference,
            given_name: self.given_name,
            family_name: self.family_name,
            status: self.status,
            package: self
                .package_id
                .and_then(|p| l.package(p))
                .map(str::to_owned),
            return_area: self.return_area,
            return_place: self.return_place,
            office: l
                .office(self.owning_office_id)
                .unwrap_or_default()
                .to_owned(),
            assigned: self
                .assigned_user_id
                .and_then(|u| l.user(u))
                .map(str::to_owned),
            next_due: self.next_due,
            birth_date: self.birth_date,
            nationality: self.nationality,
        }
    }

    /// Every name the line shows is held.
    fn known(&self, l: &Lookups) -> bool {
        l.office(self.owning_office_id).is_some()
            && self.package_id.is_none_or(|p| l.package(p).is_some())
            && self.assigned_user_id.is_none_or(|u| l.user(u).is_some())
    }
}

/// A page of a caseload; `more` when another page follows.
#[derive(Debug, Clone, PartialEq)]
pub struct Caseload {
    pub lines: Vec<CaseLine>,
    pub more: bool,
    /// Every package as (id, name), active ones first: what the caseload can be filtered by.
    pub packages: Vec<(i64, String)>,
}

/// Starts a query for caseload lines as read ([`LineRow`]), up to the WHERE.
fn push_line_select(q: &mut Sql) {
    q.push(
        "SELECT c.id, r.id AS returnee_id, c.reference, r.given_name, r.family_name, \
         c.status, c.package_id, r.return_area, r.return_place, c.owning_office_id, \
         c.assigned_user_id, c.next_due, r.birth_date, r.nationality, ",
    )
    .push(VERSION)
    .push(" FROM cases c JOIN returnees r ON r.id = c.returnee_id");
}

/// `HW-000012`, `hw12` or `12` as a case reference, if the text is one.
pub fn as_reference(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = t
        .strip_prefix("HW-")
        .or_else(|| t.strip_prefix("hw-"))
        .or_else(|| t.strip_prefix("HW"))
        .or_else(|| t.strip_prefix("hw"))
        .unwrap_or(t);
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(format!("HW-{n:06}"))
}

/// At most this many name candidates are ranked; more words narrow them.
const CANDIDATES: i64 = 300;

/// At most this many returnees are taken from the name index for one search, newest
/// first: a single common name matches tens of thousands at a million returnees, and
/// another word narrows it.
const NAME_MATCHES: i64 = 500;

/// Returnees whose names hold every word however spelt (at most four words): the ids
/// found through the name index, newest first, at most [`NAME_MATCHES`]. The words are
/// first matched to stored name words (a few thousand at most); a single word then reads
/// who bears those words, and two or more read who bears a pair of them, so each matching
/// person is read once and a common given name with a common family name costs only the
/// people who bear both. Looked up apart from the case filters, so each database plans it
/// the same way: a few index ranges.
fn name_matches(
    c: &mut DbConnection,
    backend: crate::Backend,
    words: &[String],
) -> Result<Vec<i64>, StoreError> {
    let mut like = vec![];
    for w in words.iter().take(4) {
        let ids = crate::cases::names::words_like(c, backend, w)?;
        if ids.is_empty() {
            return Ok(vec![]);
        }
        like.push(ids);
    }
    let mut q = Sql::new(backend);
    match like.as_slice() {
        [] => return Ok(vec![]),
        [one] => {
            q.push("SELECT DISTINCT returnee_id AS id FROM returnee_words WHERE word_id IN ")
                .int_list(one);
        }
        [a, b, rest @ ..] => {
            q.push(
                "SELECT DISTINCT returnee_id AS id FROM returnee_word_pairs WHERE (first_id IN ",
            )
            .int_list(a)
            .push(" AND second_id IN ")
            .int_list(b)
            .push(" OR first_id IN ")
            .int_list(b)
            .push(" AND second_id IN ")
            .int_list(a)
            .push(")");
            for more in rest {
                q.push(
                    " AND returnee_id IN (SELECT returnee_id FROM returnee_words WHERE word_id IN ",
                )
                .int_list(more)
                .push(")");
            }
        }
    }
    q.push(" ORDER BY 1 DESC LIMIT ").int(NAME_MATCHES);
    Ok(q.load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// `AND r.id IN (<the matches>)`; callers skip the query when there are none.
fn push_matches(q: &mut Sql, ids: &[i64]) {
    q.push(" AND r.id IN ").int_list(ids);
}

/// A name candidate: just enough to rank it before its line is read.
#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
}

/// Best match first; equally good matches newest first.
fn rank(found: &mut [Named], query: &str) {
    let score = |n: &Named| names::similarity(query, &n.given_name, &n.family_name);
    found.sort_by_cached_key(|n| {
        (
            std::cmp::Reverse(score(n).to_bits()),
            std::cmp::Reverse(n.id),
        )
    });
}

/// What a name search selects before ranking; the filters that follow name only `c` and `r`.
const NAMED_SELECT: &str = "SELECT c.id, r.given_name, r.family_name \
    FROM cases c JOIN returnees r ON r.id = c.returnee_id";

impl Store {
    /// The lines a query begun by [`push_line_select`] finds, named, and the lookups
    /// they were named from.
    fn lines(
        &self,
        c: &mut DbConnection,
        q: Sql,
    ) -> Result<(Vec<CaseLine>, Arc<Lookups>), StoreError> {
        let rows: Vec<LineRow> = q.load(c)?;
        let backend = self.backend();
        let lookups = match rows.iter().map(|r| r.lookups_version).max() {
            Some(v) => self
                .lookups
                .at(c, backend, v, |l| rows.iter().all(|r| r.known(l)))?,
            None => self.lookups.current(c, backend)?,
        };
        let lines = rows.into_iter().map(|r| r.named(&lookups)).collect();
        Ok((lines, lookups))
    }

    /// A page of cases within the reader's scope, by the filters given; recorded as a
    /// listing of personal data.
    pub fn caseload(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        f: &CaseloadQuery,
    ) -> Result<Caseload, StoreError> {
        let p = auth.principal();
        let sensitive = match f.vulnerability {
            Some(v) => Some((
                v,
                p.authorize::<SeeSensitive>().map_err(|_| {
                    StoreError::Forbidden(format!(
                        "filtering by vulnerability needs {}",
                        Permission::Sensitive.code()
                    ))
                })?,
            )),
            None => None,
        };
        let limit = f.limit.clamp(1, 200);
        let today = crate::today().to_string();
        let backend = self.backend();
        let text = f.q.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let words = text.map(names::words).unwrap_or_default();
        let reference = text.and_then(as_reference);
        if text.is_some() && reference.is_none() && words.is_empty() {
            return Err(StoreError::conflict("q", "type a name or a case number"));
        }
        self.read_recorded(actor, |c| {
            let mut q = Sql::new(backend);
            // A name search ranks its candidates first and reads whole lines only for
            // the page shown.
            let by_name = reference.is_none() && text.is_some();
            if by_name {
                q.push(NAMED_SELECT);
            } else {
                push_line_select(&mut q);
            }
            q.push(" WHERE ");
            push_scope_checked(&mut q, auth.filter());
            match f.view {
                View::Mine => {
                    q.push(" AND c.assigned_user_id = ").int(p.user_id());
                }
                View::Office => {
                    q.push(" AND c.owning_office_id = ").int(p.office_id());
                }
                View::Shared => {
                    q.push(" AND c.owning_office_id <> ")
                        .int(p.office_id())
                        .push(" AND c.id IN (SELECT case_id FROM case_shares WHERE office_id = ")
                        .int(p.office_id())
                        .push(")");
                }
                View::All => {}
            }
            if let Some(s) = f.stage {
                q.push(" AND c.status = ").text(s.code());
            }
            if let Some(pk) = f.package {
                q.push(" AND c.package_id = ").int(pk);
            }
            if let Some((v, see)) = &sensitive {
                q.push(" AND ");
                push_scope_checked(&mut q, see.filter());
                // Probed per case, newest first, rather than driving the query: a common
                // vulnerability matches tens of thousands at a million returnees.
                q.push(
                    " AND EXISTS (SELECT 1 FROM returnee_vulnerabilities v \
                     WHERE v.returnee_id = r.id AND v.code = ",
                )
                .text(v.code())
                .push(")");
            }
            if f.overdue {
                q.push(
                    " AND c.status <> 'closed' AND EXISTS (SELECT 1 FROM tasks t \
                     WHERE t.case_id = c.id AND t.done_on IS NULL AND t.due_on < ",
                )
                .text(today.clone())
                .push(")");
            }
            let place = f.place.as_deref().map(names::fold).unwrap_or_default();
            if !place.is_empty() {
                // Folded keys hold only a-z, 0-9 and spaces, all below '~'. Checked per
                // case, newest first (`|| ''` keeps the planner from starting at a
                // place's tens of thousands of returnees).
                let end = format!("{place}~");
                q.push(" AND ((r.area_key || '') >= ")
                    .text(place.clone())
                    .push(" AND (r.area_key || '') < ")
                    .text(end.clone())
                    .push(" OR (r.place_key || '') >= ")
                    .text(place)
                    .push(" AND (r.place_key || '') < ")
                    .text(end)
                    .push(")");
            }
            let mut lines: Vec<CaseLine>;
            let lookups;
            let more;
            if let Some(r) = &reference {
                q.push(" AND c.reference = ")
                    .text(r.clone())
                    .push(" LIMIT 1");
                (lines, lookups) = self.lines(c, q)?;
                more = false;
            } else if let Some(t) = text {
                let ids = name_matches(c, backend, &words)?;
                let mut found: Vec<Named> = if ids.is_empty() {
                    vec![]
                } else {
                    push_matches(&mut q, &ids);
                    q.push(" ORDER BY c.id DESC LIMIT ").int(CANDIDATES);
                    q.load(c)?
                };
                rank(&mut found, t);
                more = found.len() as i64 > limit;
                found.truncate(limit as usize);
                (lines, lookups) = if found.is_empty() {
                    (vec![], self.lookups.current(c, backend)?)
                } else {
                    let mut l = Sql::new(backend);
                    let page: Vec<i64> = found.iter().map(|n| n.id).collect();
                    push_line_select(&mut l);
                    l.push(" WHERE c.id IN ").int_list(&page);
                    let (mut read, lookups) = self.lines(c, l)?;
                    read.sort_by_key(|line| page.iter().position(|id| *id == line.id));
                    (read, lookups)
                };
            } else {
                q.push(" ORDER BY c.id DESC LIMIT ")
                    .int(limit + 1)
                    .push(" OFFSET ")
                    .int(f.offset.clamp(0, 1_000_000));
                (lines, lookups) = self.lines(c, q)?;
                more = lines.len() as i64 > limit;
                lines.truncate(limit as usize);
            }
            let shown = (!lines.is_empty()).then(|| {
                Change::new(Action::List, "case", "").after(json!({
                    "cases": lines.iter().map(|l| l.id).collect::<Vec<_>>(),
                    "search": text.is_some(),
                }))
            });
            let packages = lookups.package_choices().to_vec();
            Ok((
                Caseload {
                    lines,
                    more,
                    packages,
                },
                shown,
            ))
        })
    }

    /// Cases within the reader's scope whose returnee may be the person being
    /// registered: a similar name, with the same birth date or nationality counting for
    /// more. Best first, at most five. Recorded as a listing when any is shown.
    pub fn likely_duplicates(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        given: &str,
        family: &str,
        birth_date: Option<Ymd>,
        nationality: Option<CountryCode>,
    ) -> Result<Vec<(CaseLine, f64)>, StoreError> {
        let family_words = names::words(family);
        if family_words.is_empty() {
            return Ok(vec![]);
        }
        let backend = self.backend();
        self.write(|c| {
            let mut found =
                self.duplicate_candidates(c, auth, &family_words, &names::words(given), None)?;
            if let Some(b) = birth_date {
                found.extend(self.duplicate_candidates(c, auth, &family_words, &[], Some(b))?);
            }
            found.sort_by_key(|l| l.id);
            found.dedup_by_key(|l| l.id);
            let query = format!("{given} {family}");
            let mut scored: Vec<(CaseLine, f64)> = found
                .into_iter()
                .map(|l| {
                    let mut s = names::similarity(&query, &l.given_name, &l.family_name);
                    if birth_date.is_some_and(|b| l.birth_date.as_deref() == Some(&b.to_string())) {
                        s += 0.3;
                    }
                    if nationality.is_some_and(|n| n.as_str() == l.nationality) {
                        s += 0.1;
                    }
                    (l, s)
                })
                .filter(|(_, s)| *s >= 0.9)
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1));
            scored.truncate(5);
            if !scored.is_empty() {
                append(
                    c,
                    backend,
                    actor,
                    Change::new(Action::List, "case", "").after(json!({
                        "cases": scored.iter().map(|(l, _)| l.id).collect::<Vec<_>>(),
                        "duplicates_of": "new registration",
                    })),
                )?;
            }
            Ok(scored)
        })
    }

    fn duplicate_candidates(
        &self,
        c: &mut DbConnection,
        auth: &Authorized<ReadCases>,
        family: &[String],
        given: &[String],
        birth_date: Option<Ymd>,
    ) -> Result<Vec<CaseLine>, StoreError> {
        let backend = self.backend();
        let mut q = Sql::new(backend);
        push_line_select(&mut q);
        q.push(" WHERE ");
        push_scope(&mut q, auth.filter());
        let words: Vec<String> = family.iter().chain(given).cloned().collect();
        match birth_date {
            // Few people share a birth date: that index comes first, the name keys after.
            Some(b) => {
                q.push(" AND r.birth_date = ").text(b.to_string());
                for w in words.iter().take(4) {
                    let like = crate::cases::names::words_like(c, backend, w)?;
                    if like.is_empty() {
                        return Ok(vec![]);
                    }
                    q.push(
                        " AND r.id IN (SELECT returnee_id FROM returnee_words WHERE word_id IN ",
                    )
                    .int_list(&like)
                    .push(")");
                }
            }
            None => {
                let ids = name_matches(c, backend, &words)?;
                if ids.is_empty() {
                    return Ok(vec![]);
                }
                push_matches(&mut q, &ids);
            }
        }
        q.push(" ORDER BY c.id DESC LIMIT ").int(CANDIDATES);
        Ok(self.lines(c, q)?.0)
    }

    /// Open tasks past their due date in the reader's view, oldest first (at most 200);
    /// recorded as a listing.
    pub fn overdue_tasks(
        &self,
        auth: &Authorized<ReadCases>,
        actor: &Actor,
        view: View,
    ) -> Result<Vec<(crate::cases::tasks::TaskRow, CaseLine)>, StoreError> {
        let p = auth.principal();
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(
                "SELECT t.id, t.case_id, t.rule_key, t.title, t.due_on, t.done_on FROM tasks t \
                 JOIN cases c ON c.id = t.case_id WHERE t.done_on IS NULL AND c.status <> 'closed' \
                 AND t.due_on < ",
            )
            .text(crate::today().to_string())
            .push(" AND ");
            push_scope(&mut q, auth.filter());
            match view {
                View::Mine => {
                    q.push(" AND c.assigned_user_id = ").int(p.user_id());
                }
                View::Office => {
                    q.push(" AND c.owning_office_id = ").int(p.office_id());
                }
                _ => {}
            }
            q.push(" ORDER BY t.due_on, t.id LIMIT 200");
            let tasks: Vec<crate::cases::tasks::TaskRow> = q.load(c)?;
            if tasks.is_empty() {
                return Ok(vec![]);
            }
            let ids: Vec<i64> = tasks.iter().map(|t| t.case_id).collect();
            let mut l = Sql::new(backend);
            push_line_select(&mut l);
                    l.push(" WHERE c.id IN ").int_list(&ids);
            let (lines, _) = self.lines(c, l)?;
            append(
                c,
                backend,
                actor,
                Change::new(Action::List, "case", "")
                    .after(json!({"cases": lines.iter().map(|l| l.id).collect::<Vec<_>>(), "overdue": true})),
            )?;
            Ok(tasks
                .into_iter()
                .filter_map(|t| {
                    let line = lines.iter().find(|l| l.id == t.case_id)?.clone();
                    Some((t, line))
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_are_read_however_typed() {
        assert_eq!(as_reference("HW-000012").as_deref(), Some("HW-000012"));
        assert_eq!(as_reference(" hw12 ").as_deref(), Some("HW-000012"));
        assert_eq!(as_reference("12").as_deref(), Some("HW-000012"));
        assert_eq!(as_reference("Elira"), None);
        assert_eq!(as_reference("HW-"), None);
    }
}
