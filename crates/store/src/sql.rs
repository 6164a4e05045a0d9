//! Hand-written SQL for what the query builder cannot say on both databases (full-text
//! search, grouped counts): text plus typed bind values, with each backend's placeholder.

use crate::{Backend, DbConnection};
use diesel::QueryResult;
use diesel::backend::Backend as Backend_;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::query_dsl::RunQueryDsl;
use diesel::serialize::ToSql;
use diesel::sql_types::HasSqlType;
use diesel::sql_types::{BigInt, Binary, Bool, Double, Nullable, Text};
use diesel::sqlite::Sqlite;

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Int(i64),
    OptText(Option<String>),
    OptInt(Option<i64>),
    Bool(bool),
    Bytes(Vec<u8>),
    OptFloat(Option<f64>),
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

    pub fn execute(self, conn: &mut DbConnection) -> QueryResult<usize> {
        match conn {
            DbConnection::Sqlite(c) => self.boxed::<Sqlite>().execute(c),
            DbConnection::Postgres(c) => self.boxed::<Pg>().execute(c),
        }
    }
}
