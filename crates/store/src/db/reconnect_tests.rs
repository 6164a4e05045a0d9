//! A lost connection (a failover, a restart) as the store meets it: the work runs once
//! more on a new connection when nothing was written, and a URL with several hosts reaches
//! the one that answers. PostgreSQL only: SQLite has no connection to lose.

use crate::Store;
use crate::db::{Backend, DbConnection};
use crate::testing::TestDb;
use diesel::PgConnection;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::time::Duration;

/// Ends the server process behind `c` from another connection, as a failover does.
fn lose(url: &str, c: &mut DbConnection) {
    #[derive(diesel::QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }
    let DbConnection::Postgres(pg) = c else {
        panic!("PostgreSQL only")
    };
    let me = diesel::sql_query("SELECT pg_backend_pid() AS pid")
        .get_result::<Pid>(pg)
        .expect("pid")
        .pid;
    let mut other = PgConnection::establish(url).expect("another connection");
    other
        .batch_execute(&format!("SELECT pg_terminate_backend({me})"))
        .expect("terminate");
    // The server process ends asynchronously.
    std::thread::sleep(Duration::from_millis(200));
}

#[test]
fn work_whose_connection_is_lost_runs_once_more_on_a_new_connection() {
    let Some(db) = TestDb::postgres() else { return };
    let s = &db.store;
    s.write(|c| Ok(c.batch_execute("CREATE TABLE lost (x INT)")?))
        .expect("table");
    let mut tries = 0;
    s.write(|c| {
        tries += 1;
        if tries == 1 {
            lose(&db.url, c);
        }
        Ok(c.batch_execute("INSERT INTO lost VALUES (1)")?)
    })
    .expect("written on the second connection");
    assert_eq!(tries, 2);
    assert_eq!(db.number("SELECT COUNT(*) AS n FROM lost"), 1, "once");
    let mut reads = 0;
    let n = s
        .read(|c| {
            reads += 1;
            if reads == 1 {
                lose(&db.url, c);
            }
            let mut q = crate::db::sql::Sql::new(Backend::Postgres);
            q.push("SELECT COUNT(*) AS n FROM lost");
            Ok(q.number(c)?)
        })
        .expect("read on the second connection");
    assert_eq!((reads, n), (2, 1));
    // Any other failure is the caller's, at once.
    let mut fails = 0;
    let e = s.write(|c| {
        fails += 1;
        Ok(c.batch_execute("INSERT INTO no_such_table VALUES (1)")?)
    });
    assert!(e.is_err_and(|e| !e.connection_lost()));
    assert_eq!(fails, 1);
}

#[test]
fn a_url_with_several_hosts_reaches_the_one_that_answers() {
    let Some(db) = TestDb::postgres() else { return };
    // Nothing listens on port 1: libpq tries the next host, as after a failover.
    let url = match db.url.split_once('@') {
        Some((who, rest)) => format!("{who}@127.0.0.1:1,{rest}"),
        None => db.url.replacen("://", "://127.0.0.1:1,", 1),
    };
    let url = format!("{url}?target_session_attrs=read-write&connect_timeout=5");
    let s = Store::open(&url).expect("open through the second host");
    s.record(
        &crate::Actor::console(),
        crate::audit::Change::new(homeward_domain::audit::Action::View, "test", 1),
    )
    .expect("write");
    assert_eq!(s.seal_audit().expect("seal"), 1);
    assert_eq!(s.audit_verify().expect("verify"), Ok(1));
}
