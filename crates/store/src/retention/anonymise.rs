//! Anonymising a returnee's record: what could name or find the person goes (names,
//! contact details, the exact date of birth, the place of return below the district,
//! household members' names, every free text, documents and receipts), what makes the
//! numbers stays (stage and its dates, package, plan and payments, survey answers, sex,
//! birth year, country and area of return), so every figure is the same afterwards. The
//! audit trail keeps who did what and when; what its entries about the person said is
//! replaced by its digest, so the chain still verifies.

use super::{TermRow, all_due, cases_of_returnees};
use crate::audit::{Change, append};
use crate::cases::log;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::audit::{Action, redacted_side};
use homeward_domain::date::Ymd;
use serde_json::json;

/// Why a record is anonymised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Its cases are past their term.
    Retention,
    /// The returnee asked for erasure and a manager approved it (the request's id).
    Erasure(i64),
}

impl Why {
    fn code(&self) -> &'static str {
        match self {
            Why::Retention => "retention",
            Why::Erasure(_) => "erasure",
        }
    }
}

#[derive(QueryableByName)]
struct Person {
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
    #[diesel(sql_type = Text)]
    phone: String,
    #[diesel(sql_type = Text)]
    email: String,
    #[diesel(sql_type = Text)]
    return_place: String,
}

#[derive(QueryableByName)]
struct Said {
    #[diesel(sql_type = Text)]
    s: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Sides {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    before: String,
    #[diesel(sql_type = Text)]
    after: String,
}

/// The shortest value searched for in the audit trail and saved searches: shorter ones
/// (a two-letter name) would match unrelated entries by chance.
const SHORTEST_SEARCHED: usize = 3;

fn ids(
    c: &mut DbConnection,
    backend: Backend,
    sql: &str,
    of: &[i64],
) -> Result<Vec<i64>, StoreError> {
    if of.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Sql::new(backend);
    q.push(sql).int_list(of);
    Ok(q.load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}

fn run(
    c: &mut DbConnection,
    backend: Backend,
    parts: &[&str],
    of: &[i64],
) -> Result<(), StoreError> {
    if of.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(backend);
    q.push(parts[0]).int_list(of);
    for p in &parts[1..] {
        q.push(p);
    }
    q.execute(c)?;
    Ok(())
}

/// What anonymising one returnee did.
#[derive(Debug, Default)]
pub(crate) struct Anonymised {
    /// The cases anonymised (none when there was nothing to do).
    pub references: Vec<String>,
    /// What was removed, for the audit trail's entries that name it and are not about
    /// the person's own records, when the caller searches them later ([`redact_values`]).
    pub values: Vec<String>,
}

/// When entries naming a removed value (outside the person's own records) are redacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Search {
    /// In the same transaction (one record: an erasure).
    Now,
    /// By the caller, once for a whole run ([`redact_values`]): a search of the whole trail
    /// per record would make a large run slow and hold the write lock through each.
    Later,
}

/// Anonymises the returnee and every case of theirs, inside the caller's transaction.
/// For retention, only when every case is past its term and none is held (checked again
/// here, under the returnee's row lock, so two runs never do it twice).
pub(crate) fn anonymise_returnee(
    c: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    returnee_id: i64,
    today: Ymd,
    why: Why,
    search: Search,
) -> Result<Anonymised, StoreError> {
    let mut lock = Sql::new(backend);
    lock.push("SELECT id FROM returnees WHERE id = ")
        .int(returnee_id);
    if backend == Backend::Postgres {
        lock.push(" FOR UPDATE");
    }
    if lock.load::<Id>(c)?.is_empty() {
        return Err(StoreError::NotFound(format!("returnee {returnee_id}")));
    }
    let cases: Vec<TermRow> = cases_of_returnees(c, backend, &[returnee_id])?;
    let fresh: Vec<&TermRow> = cases.iter().filter(|k| k.anonymised_on.is_none()).collect();
    if fresh.is_empty() || (why == Why::Retention && !all_due(&cases, today)) {
        return Ok(Anonymised::default());
    }
    let case_ids: Vec<i64> = cases.iter().map(|k| k.id).collect();

    // What will be gone, to find it wherever else it was written.
    let mut p = Sql::new(backend);
    p.push("SELECT given_name, family_name, phone, email, return_place FROM returnees WHERE id = ")
        .int(returnee_id);
    let mut values: Vec<String> = Vec::new();
    for r in p.load::<Person>(c)? {
        values.extend([
            r.given_name,
            r.family_name,
            r.phone,
            r.email,
            r.return_place,
        ]);
    }
    let mut h = Sql::new(backend);
    h.push("SELECT name AS s FROM household_members WHERE returnee_id = ")
        .int(returnee_id);
    values.extend(h.load::<Said>(c)?.into_iter().map(|r| r.s));
    let mut searched: Vec<String> = values
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| v.chars().count() >= SHORTEST_SEARCHED)
        .collect();
    searched.sort();
    searched.dedup();

    // The records about the person, for the audit entries that name them.
    let mut records: Vec<(&str, Vec<i64>)> =
        vec![("case", case_ids.clone()), ("returnee", vec![returnee_id])];
    for (kind, sql) in [
        ("consent", "SELECT id FROM consents WHERE returnee_id IN "),
        (
            "household_member",
            "SELECT id FROM household_members WHERE returnee_id IN ",
        ),
    ] {
        records.push((kind, ids(c, backend, sql, &[returnee_id])?));
    }
    for (kind, sql) in [
        (
            "document",
            "SELECT id FROM case_documents WHERE case_id IN ",
        ),
        ("plan_item", "SELECT id FROM plan_items WHERE case_id IN "),
        (
            "disbursement",
            "SELECT id FROM disbursements WHERE case_id IN ",
        ),
        ("follow_up", "SELECT id FROM follow_ups WHERE case_id IN "),
        ("referral", "SELECT id FROM referrals WHERE case_id IN "),
        ("survey", "SELECT id FROM surveys WHERE case_id IN "),
        ("task", "SELECT id FROM tasks WHERE case_id IN "),
        (
            "receipt",
            "SELECT r.id FROM receipts r JOIN disbursements d ON d.id = r.disbursement_id \
             WHERE d.case_id IN ",
        ),
    ] {
        records.push((kind, ids(c, backend, sql, &case_ids)?));
    }

    // The person.
    let mut up = Sql::new(backend);
    up.push(
        "UPDATE returnees SET given_name = '', family_name = '', phone = '', email = '', \
         return_place = '', place_key = '', health_notes = '', \
         birth_date = SUBSTR(birth_date, 1, 4) WHERE id = ",
    )
    .int(returnee_id);
    up.execute(c)?;
    crate::cases::names::index_returnee(c, backend, returnee_id)?;
    // Name words nobody bears any more are names themselves.
    for sql in [
        "DELETE FROM name_word_keys WHERE word_id IN (SELECT w.id FROM name_words w WHERE \
         NOT EXISTS (SELECT 1 FROM returnee_words rw WHERE rw.word_id = w.id))",
        "DELETE FROM name_words WHERE NOT EXISTS (SELECT 1 FROM returnee_words rw WHERE \
         rw.word_id = name_words.id) AND NOT EXISTS (SELECT 1 FROM returnee_word_pairs p \
         WHERE p.first_id = name_words.id OR p.second_id = name_words.id)",
    ] {
        let mut q = Sql::new(backend);
        q.push(sql);
        q.execute(c)?;
    }
    run(
        c,
        backend,
        &["UPDATE household_members SET name = '' WHERE returnee_id IN "],
        &[returnee_id],
    )?;

    // What was written about them on their cases.
    run(
        c,
        backend,
        &[
            "DELETE FROM receipts WHERE disbursement_id IN \
             (SELECT id FROM disbursements WHERE case_id IN ",
            ")",
        ],
        &case_ids,
    )?;
    for sql in [
        "DELETE FROM case_documents WHERE case_id IN ",
        "UPDATE case_notes SET text = '' WHERE case_id IN ",
        "UPDATE follow_ups SET notes = '' WHERE case_id IN ",
        "UPDATE disbursements SET note = '' WHERE case_id IN ",
        "UPDATE plan_items SET description = '', supplier = '' WHERE case_id IN ",
        "UPDATE referrals SET outcome = '' WHERE case_id IN ",
        "UPDATE case_events SET detail = '' WHERE case_id IN ",
        "UPDATE notifications SET detail = '' WHERE case_id IN ",
        "UPDATE tasks SET title = '' WHERE rule_key IS NULL AND case_id IN ",
    ] {
        run(c, backend, &[sql], &case_ids)?;
    }
    for k in &fresh {
        let mut q = Sql::new(backend);
        q.push("UPDATE cases SET closure_note = '', plan_comment = '', anonymised_on = ")
            .text(today.to_string())
            .push(", version = version + 1 WHERE id = ")
            .int(k.id);
        q.execute(c)?;
    }

    // Saved searches that would find them by name.
    for v in &searched {
        let mut q = Sql::new(backend);
        q.push("DELETE FROM saved_searches WHERE query LIKE ")
            .text(like(v))
            .push(" ESCAPE '\\'");
        q.execute(c)?;
    }

    let now: &[String] = if search == Search::Now {
        &searched
    } else {
        &[]
    };
    redact_trail(c, backend, &records, now)?;

    for k in &fresh {
        log::note(c, backend, k.id, actor, "anonymised", why.code())?;
        let mut said = json!({"why": why.code(), "on": today.to_string()});
        if let Why::Erasure(request) = why {
            said["erasure_request"] = json!(request);
        }
        append(
            c,
            backend,
            actor,
            Change::new(Action::Anonymise, "case", k.id).after(said),
        )?;
    }
    Ok(Anonymised {
        references: fresh.iter().map(|k| k.reference.clone()).collect(),
        values: if search == Search::Later {
            searched
        } else {
            vec![]
        },
    })
}

/// How many entries one pass of [`redact_values`] reads at a time.
const SCAN_BATCH: i64 = 5_000;

/// Redacts every entry, sealed or waiting, whose before or after names one of `values`:
/// the trail read once in batches, matched here, each batch's matches rewritten in a
/// transaction of its own. Returns how many entries were redacted.
pub(crate) fn redact_values(store: &Store, values: &[String]) -> Result<usize, StoreError> {
    if values.is_empty() {
        return Ok(0);
    }
    let backend = store.backend();
    let names = |r: &Sides| {
        values
            .iter()
            .any(|v| r.before.contains(v.as_str()) || r.after.contains(v.as_str()))
    };
    let mut redacted = 0;
    for (table, key) in [("audit_events", "seq"), ("audit_pending", "id")] {
        let mut after = 0i64;
        loop {
            let mut q = Sql::new(backend);
            q.push("SELECT ")
                .push(key)
                .push(" AS id, before, after FROM ")
                .push(table)
                .push(" WHERE ")
                .push(key)
                .push(" > ")
                .int(after)
                .push(" ORDER BY ")
                .push(key)
                .push(" LIMIT ")
                .int(SCAN_BATCH);
            let rows = store.read(|c| Ok(q.clone().load::<Sides>(c)?))?;
            let Some(last) = rows.last().map(|r| r.id) else {
                break;
            };
            let hits: Vec<&Sides> = rows.iter().filter(|r| names(r)).collect();
            if !hits.is_empty() {
                store.write(|c| {
                    for r in &hits {
                        rewrite(c, backend, table, key, r)?;
                    }
                    Ok(())
                })?;
                redacted += hits.len();
            }
            after = last;
            if (rows.len() as i64) < SCAN_BATCH {
                break;
            }
        }
    }
    Ok(redacted)
}

/// Replaces what one entry said by its digest.
fn rewrite(
    c: &mut DbConnection,
    backend: Backend,
    table: &str,
    key: &str,
    row: &Sides,
) -> Result<(), StoreError> {
    let (before, after) = (redacted_side(&row.before), redacted_side(&row.after));
    if before == row.before && after == row.after {
        return Ok(());
    }
    let mut u = Sql::new(backend);
    u.push("UPDATE ")
        .push(table)
        .push(" SET before = ")
        .text(before)
        .push(", after = ")
        .text(after)
        .push(" WHERE ")
        .push(key)
        .push(" = ")
        .int(row.id);
    u.execute(c)?;
    Ok(())
}

/// `%value%` for LIKE, with LIKE's own characters taken literally.
fn like(v: &str) -> String {
    let escaped: String = v
        .chars()
        .flat_map(|ch| match ch {
            '%' | '_' | '\\' => vec!['\\', ch],
            _ => vec![ch],
        })
        .collect();
    format!("%{escaped}%")
}

/// Replaces what entries about these records, or naming these values, said by its
/// digest, in the sealed trail and among entries waiting to be sealed.
fn redact_trail(
    c: &mut DbConnection,
    backend: Backend,
    records: &[(&str, Vec<i64>)],
    searched: &[String],
) -> Result<(), StoreError> {
    for (table, key) in [("audit_events", "seq"), ("audit_pending", "id")] {
        let mut q = Sql::new(backend);
        q.push("SELECT ")
            .push(key)
            .push(" AS id, before, after FROM ")
            .push(table)
            .push(" WHERE (1 = 0");
        for (kind, ids) in records {
            if ids.is_empty() {
                continue;
            }
            let as_text: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
            q.push(" OR (record_type = ")
                .text(*kind)
                .push(" AND record_id IN ")
                .text_list(&as_text)
                .push(")");
        }
        // Exact and case-sensitive (LIKE ignores case on SQLite): a name, as written.
        let find = match backend {
            Backend::Sqlite => "instr",
            Backend::Postgres => "strpos",
        };
        for v in searched {
            for side in ["before", "after"] {
                q.push(" OR ")
                    .push(find)
                    .push("(")
                    .push(side)
                    .push(", ")
                    .text(v.clone())
                    .push(") > 0");
            }
        }
        q.push(")");
        for row in q.load::<Sides>(c)? {
            rewrite(c, backend, table, key, &row)?;
        }
    }
    Ok(())
}
