//! Hand-written SQL for what the query builder cannot say on both databases (full-text
//! search, grouped counts): text plus typed bind values, with each backend's placeholder.

use crate::{Backend, DbConnection, StoreError};
use diesel::QueryResult;
use diesel::backend::Backend as Backend_;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::query_dsl::RunQueryDsl;
use diesel::serialize::ToSql;
use diesel::sql_types::HasSqlType;
use diesel::sql_types::{BigInt, Binary, Bool, Double, Nullable, Text};
use diesel::sqlite::Sqlite;

/// A bind value of one of the types both databases share.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Text(String),
    Int(i64),
    OptText(Option<String>),
    OptInt(Option<i64>),
    Bool(bool),
    Bytes(Vec<u8>),
    OptFloat(Option<f64>),
}

#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct NewId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// SQL text being built, with its bind values in order.
#[derive(Debug, Clone)]
pub(crate) struct Sql {
    backend: Backend,
    text: String,
    binds: Vec<Value>,
}

impl Sql {
    pub fn new(backend: Backend) -> Self {
        Sql {
            backend,
            text: String::new(),
            binds: Vec::new(),
        }
    }

    pub fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    fn placeholder(&mut self, v: Value) {
        self.binds.push(v);
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.binds.len().to_string());
            }
        }
    }

    pub fn text(&mut self, v: impl Into<String>) -> &mut Self {
        self.placeholder(Value::Text(v.into()));
        self
    }

    pub fn int(&mut self, v: i64) -> &mut Self {
        self.placeholder(Value::Int(v));
        self
    }

    pub fn opt_text(&mut self, v: Option<String>) -> &mut Self {
        self.placeholder(Value::OptText(v));
        self
    }

    pub fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        self.placeholder(Value::OptInt(v));
        self
    }

    /// A score or other measure (never money, which is integer minor units).
    pub fn opt_float(&mut self, v: Option<f64>) -> &mut Self {
        self.placeholder(Value::OptFloat(v));
        self
    }

    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.placeholder(Value::Bool(v));
        self
    }

    pub fn bytes(&mut self, v: Vec<u8>) -> &mut Self {
        self.placeholder(Value::Bytes(v));
        self
    }

    /// One bind value, whatever its type.
    pub fn value(&mut self, v: Value) -> &mut Self {
        self.placeholder(v);
        self
    }

    /// `(a, b) VALUES (?, ?)` for columns and their values, as an INSERT takes them.
    pub fn columns_values(&mut self, cols: Vec<(&str, Value)>) -> &mut Self {
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        self.push("(").push(&names.join(", ")).push(") VALUES (");
        for (i, (_, v)) in cols.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.value(v);
        }
        self.push(")")
    }

    /// `a = ?, b = ?` for columns and their values, as an UPDATE sets them.
    pub fn assignments(&mut self, cols: Vec<(&str, Value)>) -> &mut Self {
        for (i, (name, v)) in cols.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.push(name).push(" = ").value(v);
        }
        self
    }

    /// `(?, ?, ?)` for text values; callers never pass an empty list.
    pub fn text_list(&mut self, vs: &[String]) -> &mut Self {
        self.push("(");
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.text(v.clone());
        }
        self.push(")")
    }

    /// `(?, ?, ?)` for the values; callers never pass an empty list.
    pub fn int_list(&mut self, vs: &[i64]) -> &mut Self {
        self.push("(");
        for (i, v) in vs.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.int(*v);
        }
        self.push(")")
    }

    /// The query as Diesel's boxed raw query for one backend, binds attached.
    fn boxed<'a, DB>(self) -> BoxedSqlQuery<'a, DB, SqlQuery>
    where
        DB: Backend_
            + HasSqlType<Text>
            + HasSqlType<BigInt>
            + HasSqlType<Bool>
            + HasSqlType<Binary>
            + HasSqlType<Double>,
        String: ToSql<Text, DB>,
        i64: ToSql<BigInt, DB>,
        bool: ToSql<Bool, DB>,
        Vec<u8>: ToSql<Binary, DB>,
        Option<String>: ToSql<Nullable<Text>, DB>,
        Option<i64>: ToSql<Nullable<BigInt>, DB>,
        Option<f64>: ToSql<Nullable<Double>, DB>,
    {
        let mut q = diesel::sql_query(self.text).into_boxed::<DB>();
        for b in self.binds {
            q = match b {
                Value::Text(s) => q.bind::<Text, _>(s),
                Value::Int(i) => q.bind::<BigInt, _>(i),
                Value::OptText(s) => q.bind::<Nullable<Text>, _>(s),
                Value::OptInt(i) => q.bind::<Nullable<BigInt>, _>(i),
                Value::Bool(b) => q.bind::<Bool, _>(b),
                Value::Bytes(b) => q.bind::<Binary, _>(b),
                Value::OptFloat(f) => q.bind::<Nullable<Double>, _>(f),
            };
        }
        q
    }

    pub fn load<R>(self, conn: &mut DbConnection) -> QueryResult<Vec<R>>
    where
        R: diesel::QueryableByName<Sqlite> + diesel::QueryableByName<Pg> + 'static,
    {
        match conn {
            DbConnection::Sqlite(c) => self.boxed::<Sqlite>().load::<R>(c),
            DbConnection::Postgres(c) => self.boxed::<Pg>().load::<R>(c),
        }
    }

    /// Runs an `INSERT ... RETURNING id` and gives the new row's id.
    pub fn insert_id(self, conn: &mut DbConnection) -> QueryResult<i64> {
        self.load::<NewId>(conn)?
            .first()
            .map(|r| r.id)
            .ok_or(diesel::result::Error::NotFound)
    }

    /// Runs a query for one number named `n` (`SELECT COUNT(*) AS n ...`); none is 0.
    pub fn number(self, conn: &mut DbConnection) -> QueryResult<i64> {
        Ok(self.load::<Number>(conn)?.first().map_or(0, |r| r.n))
    }

    pub fn execute(self, conn: &mut DbConnection) -> QueryResult<usize> {
        match conn {
            DbConnection::Sqlite(c) => self.boxed::<Sqlite>().execute(c),
            DbConnection::Postgres(c) => self.boxed::<Pg>().execute(c),
        }
    }
}

/// Bind values per statement, under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_BINDS: usize = 30_000;

/// Runs `head VALUES (..), (..)` over `rows` in as few statements as the bind limit
/// allows; `values` pushes one row's comma-separated values.
pub(crate) fn insert_rows<T>(
    c: &mut DbConnection,
    backend: Backend,
    head: &str,
    columns: usize,
    rows: impl IntoIterator<Item = T>,
    values: impl Fn(&mut Sql, T),
) -> Result<(), StoreError> {
    insert_rows_then(c, backend, head, "", columns, rows, values)
}

/// [`insert_rows`] with `tail` after each statement's values (`ON CONFLICT DO NOTHING`).
pub(crate) fn insert_rows_then<T>(
    c: &mut DbConnection,
    backend: Backend,
    head: &str,
    tail: &str,
    columns: usize,
    rows: impl IntoIterator<Item = T>,
    values: impl Fn(&mut Sql, T),
) -> Result<(), StoreError> {
    let per = (MAX_BINDS / columns).max(1);
    let mut q: Option<Sql> = None;
    let mut n = 0;
    for row in rows {
        let sql = q.get_or_insert_with(|| {
            let mut s = Sql::new(backend);
            s.push(head).push(" VALUES ");
            s
        });
        if n > 0 {
            sql.push(", ");
        }
        sql.push("(");
        values(sql, row);
        sql.push(")");
        n += 1;
        if n == per {
            if let Some(mut full) = q.take() {
                full.push(tail);
                full.execute(c)?;
            }
            n = 0;
        }
    }
    if let Some(mut rest) = q {
        rest.push(tail);
        rest.execute(c)?;
    }
    Ok(())
}
