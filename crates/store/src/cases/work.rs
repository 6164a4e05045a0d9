//! A person's work across cases, for *My work*: the open cases assigned to them, cases in
//! their office waiting for a caseworker (for who assigns), plans waiting for a decision
//! (for who approves), tasks on their cases due within a week or overdue, and the
//! referrals partners answered on their cases in the last two weeks. Each list is within
//! the person's scope and holds at most [`LIMIT`] items.

use super::push_scope;
use crate::db::sql::Sql;
use crate::{Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{ApproveCases, AssignCases, Authorized, ReadCases};
use homeward_domain::date::Ymd;

/// The most items one list holds.
pub const LIMIT: i64 = 100;

/// A case on someone's list.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct WorkCase {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub given_name: String,
    #[diesel(sql_type = Text)]
    pub family_name: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Its open task due first.
    #[diesel(sql_type = Nullable<Text>)]
    pub next_due: Option<String>,
}

/// The case an item is about, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct About {
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub given_name: String,
    #[diesel(sql_type = Text)]
    pub family_name: String,
}

/// A task due.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct WorkTask {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(embed)]
    pub about: About,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub due_on: String,
}

/// A referral a partner answered.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct WorkReferral {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(embed)]
    pub about: About,
    /// The partner's name.
    #[diesel(sql_type = Text)]
    pub partner: String,
    #[diesel(sql_type = Text)]
    pub service: String,
    /// accepted, declined or completed.
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Text)]
    pub outcome: String,
    #[diesel(sql_type = Text)]
    pub updated_at: String,
}

/// Everything on someone's *My work*.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyWork {
    pub assigned: Vec<WorkCase>,
    pub unassigned: Vec<WorkCase>,
    pub to_decide: Vec<WorkCase>,
    pub tasks: Vec<WorkTask>,
    pub answered: Vec<WorkReferral>,
}

impl MyWork {
    /// How many things wait for the person: tasks due, plans to decide, cases to assign
    /// and referrals answered (the cases they carry are ongoing work, not counted).
    pub fn waiting(&self) -> usize {
        self.tasks.len() + self.to_decide.len() + self.unassigned.len() + self.answered.len()
    }
}

const CASE: &str = "SELECT c.id, c.reference, r.given_name, r.family_name, c.status, \
    c.next_due \
    FROM cases c JOIN returnees r ON r.id = c.returnee_id WHERE c.status <> 'closed' AND ";

const WHO: &str = "c.id AS case_id, c.reference, r.given_name, r.family_name";

impl Store {
    /// The person's work: `read` is theirs; `assign` and `approve` when they hold those.
    pub fn my_work(
        &self,
        read: &Authorized<ReadCases>,
        assign: Option<&Authorized<AssignCases>>,
        approve: Option<&Authorized<ApproveCases>>,
        today: Ymd,
    ) -> Result<MyWork, StoreError> {
        let backend = self.backend();
        let me = read.principal().user_id();
        let office = read.principal().office_id();
        self.read(|c| {
            let mut q = Sql::new(backend);
            q.push(CASE).push("c.assigned_user_id = ").int(me);
            q.push(" ORDER BY c.id DESC LIMIT ").int(LIMIT);
            let mut assigned: Vec<WorkCase> = q.load(c)?;
            // Soonest task first; cases with none after.
            assigned.sort_by(|a, b| match (&a.next_due, &b.next_due) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => b.id.cmp(&a.id),
            });
            let unassigned = match assign {
                Some(a) => {
                    let mut q = Sql::new(backend);
                    q.push(CASE)
                        .push("c.assigned_user_id IS NULL AND c.owning_office_id = ")
                        .int(office)
                        .push(" AND ");
                    push_scope(&mut q, a.filter());
                    q.push(" ORDER BY c.id LIMIT ").int(LIMIT);
                    q.load(c)?
                }
                None => vec![],
            };
            let to_decide = match approve {
                Some(a) => {
                    let mut q = Sql::new(backend);
                    q.push(CASE).push("c.status = 'plan_submitted' AND ");
                    push_scope(&mut q, a.filter());
                    q.push(" ORDER BY c.updated_at LIMIT ").int(LIMIT);
                    q.load(c)?
                }
                None => vec![],
            };
            let mut q = Sql::new(backend);
            q.push(&format!(
                "SELECT t.id, {WHO}, t.title, t.due_on FROM tasks t \
                 JOIN cases c ON c.id = t.case_id JOIN returnees r ON r.id = c.returnee_id \
                 WHERE t.done_on IS NULL AND c.status <> 'closed' AND c.assigned_user_id = "
            ))
            .int(me)
            .push(" AND t.due_on <= ")
            .text(Ymd::from_days(today.to_days() + 7).to_string())
            .push(" ORDER BY t.due_on, t.id LIMIT ")
            .int(LIMIT);
            let tasks = q.load(c)?;
            let mut q = Sql::new(backend);
            q.push(&format!(
                "SELECT x.id, {WHO}, o.name AS partner, x.service, x.status, x.outcome, \
                 x.updated_at FROM referrals x JOIN cases c ON c.id = x.case_id \
                 JOIN returnees r ON r.id = c.returnee_id JOIN offices o ON o.id = x.office_id \
                 WHERE x.status <> 'sent' AND c.assigned_user_id = "
            ))
            .int(me)
            .push(" AND x.updated_at >= ")
            .text(Ymd::from_days(today.to_days() - 14).to_string())
            .push(" ORDER BY x.updated_at DESC LIMIT ")
            .int(LIMIT);
            let answered = q.load(c)?;
            Ok(MyWork {
                assigned,
                unassigned,
                to_decide,
                tasks,
                answered,
            })
        })
    }
}
