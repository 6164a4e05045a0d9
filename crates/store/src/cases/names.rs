//! The search keys of returnees, kept in step with their records. Names are indexed in
//! two levels: each distinct name word once with its spelling keys (see
//! `homeward_domain::names`), then the words and the pairs of words each returnee bears,
//! so a misspelt name is found with exact lookups that read each matching person once. The
//! area and place of return are folded for prefix matches; one row per vulnerability. The
//! same on SQLite and PostgreSQL, so any number of app servers can share them.

use crate::db::sql::Sql;
use crate::{Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use homeward_domain::names;
use std::collections::{BTreeMap, BTreeSet};

/// The version of the key rules the index was built with; raising it re-indexes every
/// returnee at the next start. 2: place keys and vulnerability rows; 3: name words and
/// pairs of words; 4: a final "h" after a vowel is silent.
pub(crate) const KEYS_VERSION: i64 = 4;

#[derive(QueryableByName)]
struct Keyed {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    given_name: String,
    #[diesel(sql_type = Text)]
    family_name: String,
    #[diesel(sql_type = Text)]
    return_area: String,
    #[diesel(sql_type = Text)]
    return_place: String,
    #[diesel(sql_type = Text)]
    vulnerabilities: String,
}

const KEYED: &str = "SELECT id, given_name, family_name, return_area, return_place, \
    vulnerabilities FROM returnees";

/// The vulnerability codes of a stored list (`trafficking,health_needs`).
fn codes(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter(|c| !c.is_empty())
}

/// (Re)writes the keys of one returnee from the stored record.
pub(crate) fn index_returnee(
    c: &mut DbConnection,
    backend: Backend,
    returnee_id: i64,
) -> Result<(), StoreError> {
    let mut q = Sql::new(backend);
    q.push(KEYED).push(" WHERE id = ").int(returnee_id);
    for r in q.load::<Keyed>(c)? {
        write_keys(c, backend, &r)?;
    }
    Ok(())
}

fn write_keys(c: &mut DbConnection, backend: Backend, r: &Keyed) -> Result<(), StoreError> {
    for table in [
        "returnee_words",
        "returnee_word_pairs",
        "returnee_vulnerabilities",
    ] {
        let mut del = Sql::new(backend);
        del.push("DELETE FROM ")
            .push(table)
            .push(" WHERE returnee_id = ")
            .int(r.id);
        del.execute(c)?;
    }
    index_names(
        c,
        backend,
        &[(r.id, names::name_words(&r.given_name, &r.family_name))],
    )?;
    let mut vs: Vec<&str> = codes(&r.vulnerabilities).collect();
    vs.sort_unstable();
    vs.dedup();
    if !vs.is_empty() {
        let mut ins = Sql::new(backend);
        ins.push("INSERT INTO returnee_vulnerabilities (code, returnee_id) VALUES ");
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            ins.push("(").text(*v).push(", ").int(r.id).push(")");
        }
        ins.execute(c)?;
    }
    let mut up = Sql::new(backend);
    up.push("UPDATE returnees SET keys_version = ")
        .int(KEYS_VERSION)
        .push(", area_key = ")
        .text(names::fold(&r.return_area))
        .push(", place_key = ")
        .text(names::fold(&r.return_place))
        .push(" WHERE id = ")
        .int(r.id);
    up.execute(c)?;
    Ok(())
}

impl Store {
    /// Indexes the returnees whose keys are missing or made by older rules, in batches;
    /// returns how many were indexed. Runs after migrations.
    pub(crate) fn reindex_names(&self) -> Result<usize, StoreError> {
        let backend = self.backend();
        let mut done = 0;
        loop {
            let n = self.write(|c| {
                let mut q = Sql::new(backend);
                q.push(KEYED)
                    .push(" WHERE keys_version <> ")
                    .int(KEYS_VERSION)
                    .push(" ORDER BY id LIMIT 1000");
                let rows = q.load::<Keyed>(c)?;
                for r in &rows {
                    write_keys(c, backend, r)?;
                }
                Ok(rows.len())
            })?;
            done += n;
            if n < 1000 {
                return Ok(done);
            }
        }
    }
}

#[derive(QueryableByName)]
struct WordId {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    word: String,
}

/// Words looked up or added per statement.
const WORDS_PER_QUERY: usize = 500;

/// The ids of `words`, adding the words (and their spelling keys) not seen before.
fn word_ids(
    c: &mut DbConnection,
    backend: Backend,
    words: &BTreeSet<&str>,
) -> Result<BTreeMap<String, i64>, StoreError> {
    let all: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    let mut ids = BTreeMap::new();
    let find = |c: &mut DbConnection, ws: &[String], ids: &mut BTreeMap<String, i64>| {
        for chunk in ws.chunks(WORDS_PER_QUERY) {
            let mut q = Sql::new(backend);
            q.push("SELECT id, word FROM name_words WHERE word IN ")
                .text_list(chunk);
            for w in q.load::<WordId>(c)? {
                ids.insert(w.word, w.id);
            }
        }
        Ok::<_, StoreError>(())
    };
    find(c, &all, &mut ids)?;
    let new: Vec<String> = all.into_iter().filter(|w| !ids.contains_key(w)).collect();
    if new.is_empty() {
        return Ok(ids);
    }
    // Another writer may add the same word meanwhile (PostgreSQL): theirs is kept, and
    // so are the keys it wrote.
    crate::db::sql::insert_rows_then(
        c,
        backend,
        "INSERT INTO name_words (word)",
        " ON CONFLICT (word) DO NOTHING",
        1,
        new.iter(),
        |q, w| {
            q.text(w.clone());
        },
    )?;
    find(c, &new, &mut ids)?;
    let added: Vec<(String, i64)> = new
        .iter()
        .filter_map(|w| ids.get(w).map(|id| (w.clone(), *id)))
        .collect();
    crate::db::sql::insert_rows_then(
        c,
        backend,
        "INSERT INTO name_word_keys (key, word_id)",
        " ON CONFLICT (key, word_id) DO NOTHING",
        2,
        added
            .iter()
            .flat_map(|(w, id)| names::word_keys(w).into_iter().map(move |k| (k, *id))),
        |q, (k, id)| {
            q.text(k).push(", ").int(id);
        },
    )?;
    Ok(ids)
}

/// Writes which words, and which pairs of words, each returnee bears (their rows must be
/// gone already).
pub(crate) fn index_names(
    c: &mut DbConnection,
    backend: Backend,
    people: &[(i64, Vec<String>)],
) -> Result<(), StoreError> {
    let words: BTreeSet<&str> = people
        .iter()
        .flat_map(|(_, ws)| ws.iter().map(String::as_str))
        .collect();
    if words.is_empty() {
        return Ok(());
    }
    let ids = word_ids(c, backend, &words)?;
    let of =
        |ws: &[String]| -> Vec<i64> { ws.iter().filter_map(|w| ids.get(w).copied()).collect() };
    crate::db::sql::insert_rows(
        c,
        backend,
        "INSERT INTO returnee_words (word_id, returnee_id)",
        2,
        people.iter().flat_map(|(r, ws)| {
            let mut mine = of(ws);
            mine.sort_unstable();
            mine.dedup();
            mine.into_iter().map(move |w| (w, *r))
        }),
        |q, (w, r)| {
            q.int(w).push(", ").int(r);
        },
    )?;
    crate::db::sql::insert_rows(
        c,
        backend,
        "INSERT INTO returnee_word_pairs (first_id, second_id, returnee_id)",
        3,
        people.iter().flat_map(|(r, ws)| {
            names::word_pairs(&of(ws))
                .into_iter()
                .map(move |(a, b)| (a, b, *r))
        }),
        |q, (a, b, r)| {
            q.int(a).push(", ").int(b).push(", ").int(r);
        },
    )?;
    Ok(())
}

/// The ids of the stored name words spelt like `word` (its keys meet theirs).
pub(crate) fn words_like(
    c: &mut DbConnection,
    backend: Backend,
    word: &str,
) -> Result<Vec<i64>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT DISTINCT word_id AS id FROM name_word_keys WHERE key IN ")
        .text_list(&names::word_keys(word));
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }
    Ok(q.load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}
