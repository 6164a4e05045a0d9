//! Notifications: told in the same transaction as the change they are about, to the
//! people who must act (the office that receives a hand-over, the caseworker assigned,
//! the managers who approve, the caseworker whose plan or referral was answered), never
//! to who made the change. Each person's email choice for the kind is kept on the row, so
//! the mailer only reads what is due. A reader sees only notifications about cases within
//! their reach today; opening a case marks its notifications read.

use super::push_scope;
use crate::db::sql::Sql;
use crate::{Actor, Backend, DbConnection, Store, StoreError};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use homeward_domain::access::{Authorized, Permission, ReadCases};
use homeward_domain::date::Ymd;
use homeward_domain::reintegration::notifications::{
    EmailChoice, EmailChoices, NotificationKind, recipients,
};

/// The most notifications a list holds.
pub const LIMIT: i64 = 100;

/// A notification as its reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct NotificationRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(embed)]
    pub about: super::work::About,
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The facts of it: the office a case came from, the partner and its answer, the task.
    #[diesel(sql_type = Text)]
    pub detail: String,
    /// Who did it; none for what Homeward noticed itself (a task overdue).
    #[diesel(sql_type = Nullable<Text>)]
    pub by: Option<String>,
    #[diesel(sql_type = Text)]
    pub created_at: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub read_at: Option<String>,
}

impl NotificationRow {
    pub fn kind(&self) -> Option<NotificationKind> {
        self.kind.parse().ok()
    }
}

/// A notification to email: to whom, about which case (its reference only), what.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct MailItem {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = BigInt)]
    pub user_id: i64,
    #[diesel(sql_type = Text)]
    pub email: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub case_id: i64,
    #[diesel(sql_type = Text)]
    pub reference: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub detail: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub by: Option<String>,
    #[diesel(sql_type = Text)]
    pub created_at: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct Choice {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    email: String,
}

/// The active people of `office_id` whose role holds `permission`.
pub(crate) fn office_holders(
    c: &mut DbConnection,
    backend: Backend,
    office_id: i64,
    permission: Permission,
) -> Result<Vec<i64>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT u.id FROM users u JOIN role_permissions p ON p.role = u.role \
         WHERE u.disabled_at IS NULL AND p.permission = ",
    )
    .text(permission.code())
    .push(" AND u.office_id = ")
    .int(office_id);
    Ok(q.load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}

/// Who last submitted the plan of case `case_id`, if anyone did.
pub(crate) fn plan_submitter(
    c: &mut DbConnection,
    backend: Backend,
    case_id: i64,
) -> Result<Option<i64>, StoreError> {
    let mut q = Sql::new(backend);
    q.push("SELECT user_id AS id FROM case_events WHERE kind = 'plan_submitted' AND case_id = ")
        .int(case_id)
        .push(" AND user_id IS NOT NULL ORDER BY id DESC LIMIT 1");
    Ok(q.load::<Id>(c)?.first().map(|r| r.id))
}

/// Tells `to` (less the actor) of `kind` on case `case_id`, each with their email choice.
pub(crate) fn tell(
    c: &mut DbConnection,
    backend: Backend,
    actor: &Actor,
    case_id: i64,
    kind: NotificationKind,
    detail: &str,
    to: impl IntoIterator<Item = i64>,
) -> Result<(), StoreError> {
    let to = recipients(to, actor.user_id);
    if to.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(backend);
    q.push(
        "INSERT INTO notifications (user_id, case_id, kind, detail, by_user_id, created_at, \
         email) SELECT u.id, ",
    )
    .int(case_id)
    .push(", ")
    .text(kind.code())
    .push(", ")
    .text(detail)
    .push(", ")
    .opt_int(actor.user_id)
    .push(", ")
    .text(crate::utc_now())
    .push(
        ", COALESCE(n.email, 'off') FROM users u LEFT JOIN notification_choices n \
         ON n.user_id = u.id AND n.kind = ",
    )
    .text(kind.code())
    .push(" WHERE u.disabled_at IS NULL AND u.id IN ")
    .int_list(&to);
    q.execute(c)?;
    Ok(())
}

/// Marks read what `user_id` was told about case `case_id`; how many were unread.
pub(crate) fn mark_case_read(
    c: &mut DbConnection,
    backend: Backend,
    user_id: i64,
    case_id: i64,
) -> Result<usize, StoreError> {
    let mut q = Sql::new(backend);
    q.push("UPDATE notifications SET read_at = ")
        .text(crate::utc_now())
        .push(" WHERE user_id = ")
        .int(user_id)
        .push(" AND case_id = ")
        .int(case_id)
        .push(" AND read_at IS NULL");
    Ok(q.execute(c)?)
}

fn unread(
    c: &mut DbConnection,
    backend: Backend,
    read: &Authorized<ReadCases>,
) -> Result<i64, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT COUNT(*) AS n FROM notifications x JOIN cases c ON c.id = x.case_id \
         WHERE x.read_at IS NULL AND x.user_id = ",
    )
    .int(read.principal().user_id())
    .push(" AND (")
    .push(CANCELLED)
    .push(" OR ");
    push_scope(&mut q, read.filter());
    q.push(")");
    Ok(q.number(c)?)
}

/// A partner told that a referral was cancelled (the returnee withdrew consent) no longer
/// reads the case: the notice reaches them by its reference alone, without the name.
const CANCELLED: &str = "x.kind = 'referral_cancelled'";

const SELECT: &str = "SELECT x.id, c.id AS case_id, c.reference, \
    CASE WHEN x.kind = 'referral_cancelled' THEN '' ELSE r.given_name END AS given_name, \
    CASE WHEN x.kind = 'referral_cancelled' THEN '' ELSE r.family_name END AS family_name, \
    x.kind, x.detail, b.name AS by, x.created_at, x.read_at FROM notifications x \
    JOIN cases c ON c.id = x.case_id JOIN returnees r ON r.id = c.returnee_id \
    LEFT JOIN users b ON b.id = x.by_user_id WHERE x.user_id = ";

impl Store {
    /// The person's latest notifications, newest first, about cases within their reach,
    /// with how many of all of those are unread.
    pub fn notifications(
        &self,
        read: &Authorized<ReadCases>,
    ) -> Result<(Vec<NotificationRow>, i64), StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let mut q = Sql::new(backend);
            q.push(SELECT)
                .int(read.principal().user_id())
                .push(" AND (")
                .push(CANCELLED)
                .push(" OR ");
            push_scope(&mut q, read.filter());
            q.push(")");
            q.push(" ORDER BY x.id DESC LIMIT ").int(LIMIT);
            Ok((q.load(c)?, unread(c, backend, read)?))
        })
    }

    /// How many of the person's notifications about cases within reach are unread.
    pub fn unread_notifications(&self, read: &Authorized<ReadCases>) -> Result<i64, StoreError> {
        self.read(|c| unread(c, self.backend(), read))
    }

    /// Marks read the person's notifications: those named, or all when `ids` is empty.
    /// Returns how many changed.
    pub fn mark_notifications_read(
        &self,
        read: &Authorized<ReadCases>,
        ids: &[i64],
    ) -> Result<usize, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push("UPDATE notifications SET read_at = ")
                .text(crate::utc_now())
                .push(" WHERE read_at IS NULL AND user_id = ")
                .int(read.principal().user_id());
            if !ids.is_empty() {
                q.push(" AND id IN ").int_list(ids);
            }
            Ok(q.execute(c)?)
        })
    }

    /// How user `user_id` chose to hear of each kind by email.
    pub fn email_choices(&self, user_id: i64) -> Result<EmailChoices, StoreError> {
        let backend = self.backend();
        self.read(|c| {
            let mut q = Sql::new(backend);
            q.push("SELECT kind, email FROM notification_choices WHERE user_id = ")
                .int(user_id);
            let rows: Vec<Choice> = q.load(c)?;
            Ok(EmailChoices::new(rows.into_iter().filter_map(|r| {
                Some((r.kind.parse().ok()?, r.email.parse().ok()?))
            })))
        })
    }

    /// Sets how user `user_id` hears of each kind by email, from now on; those waiting for
    /// an email follow the new choice (none is sent for what came while email was off).
    pub fn set_email_choices(
        &self,
        actor: &Actor,
        user_id: i64,
        choices: &EmailChoices,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut d = Sql::new(backend);
            d.push("DELETE FROM notification_choices WHERE user_id = ")
                .int(user_id);
            d.execute(c)?;
            for (kind, choice) in choices.all() {
                if choice != EmailChoice::Off {
                    let mut q = Sql::new(backend);
                    q.push("INSERT INTO notification_choices (user_id, kind, email) VALUES (")
                        .int(user_id)
                        .push(", ")
                        .text(kind.code())
                        .push(", ")
                        .text(choice.code())
                        .push(")");
                    q.execute(c)?;
                }
                let mut u = Sql::new(backend);
                u.push("UPDATE notifications SET email = ")
                    .text(choice.code())
                    .push(" WHERE emailed_at IS NULL AND email <> 'off' AND user_id = ")
                    .int(user_id)
                    .push(" AND kind = ")
                    .text(kind.code());
                u.execute(c)?;
            }
            crate::audit::append(
                c,
                backend,
                actor,
                crate::audit::Change::new(homeward_domain::audit::Action::Update, "user", user_id)
                    .after(serde_json::json!({
                        "email_choices": choices.all().iter()
                            .map(|(k, v)| (k.code(), v.code()))
                            .collect::<std::collections::BTreeMap<_, _>>(),
                    })),
            )?;
            Ok(())
        })
    }

    /// Tells each case's caseworker (or, with none, its owning office's managers) of its
    /// open tasks due before `today`, once per task. Returns how many were told.
    pub fn notice_overdue_tasks(&self, today: Ymd) -> Result<usize, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(
                "INSERT INTO notifications (user_id, case_id, kind, detail, subject_id, \
                 created_at, email) SELECT u.id, c.id, 'task_overdue', \
                 t.title || ' (' || t.due_on || ')', t.id, ",
            )
            .text(crate::utc_now())
            .push(
                ", COALESCE(n.email, 'off') FROM tasks t JOIN cases c ON c.id = t.case_id \
                 JOIN users u ON u.id = c.assigned_user_id \
                 LEFT JOIN notification_choices n ON n.user_id = u.id AND n.kind = 'task_overdue' \
                 WHERE t.done_on IS NULL AND c.status <> 'closed' AND u.disabled_at IS NULL \
                 AND t.due_on < ",
            )
            .text(today.to_string())
            // Once per task and person: the unique index turns a repeat into nothing.
            .push(" ON CONFLICT DO NOTHING");
            Ok(q.execute(c)?)
        })
    }

    /// The notifications to email at once, not yet sent, oldest first, claimed so that
    /// another server does not send them too. The caller sends them, or gives them back
    /// with [`Store::unclaim_mail`].
    pub fn claim_mail_now(&self, limit: i64) -> Result<Vec<MailItem>, StoreError> {
        self.claim_mail("now", None, limit)
    }

    /// The notifications chosen for the daily digest noticed before `cutoff`, claimed.
    pub fn claim_mail_digest(&self, cutoff: &str, limit: i64) -> Result<Vec<MailItem>, StoreError> {
        self.claim_mail("daily", Some(cutoff), limit)
    }

    fn claim_mail(
        &self,
        choice: &str,
        before: Option<&str>,
        limit: i64,
    ) -> Result<Vec<MailItem>, StoreError> {
        let backend = self.backend();
        self.write(|c| {
            let mut q = Sql::new(backend);
            q.push(
                "SELECT x.id, x.user_id, u.email, u.name, x.case_id, c.reference, x.kind, \
                 x.detail, b.name AS by, x.created_at FROM notifications x \
                 JOIN users u ON u.id = x.user_id JOIN cases c ON c.id = x.case_id \
                 LEFT JOIN users b ON b.id = x.by_user_id \
                 WHERE x.emailed_at IS NULL AND u.disabled_at IS NULL AND x.email = ",
            )
            .text(choice);
            if let Some(b) = before {
                q.push(" AND x.created_at < ").text(b);
            }
            q.push(" ORDER BY x.created_at, x.id LIMIT ").int(limit);
            let items: Vec<MailItem> = q.load(c)?;
            let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
            if ids.is_empty() {
                return Ok(items);
            }
            let mut u = Sql::new(backend);
            u.push("UPDATE notifications SET emailed_at = ")
                .text(crate::utc_now())
                .push(" WHERE emailed_at IS NULL AND id IN ")
                .int_list(&ids);
            // Another server claimed some first: send only what this one holds.
            if u.execute(c)? != ids.len() {
                return Err(StoreError::Stale(
                    "another server is sending these notifications".into(),
                ));
            }
            Ok(items)
        })
    }

    /// Gives back notifications whose email could not be sent, to be tried again.
    pub fn unclaim_mail(&self, ids: &[i64]) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let backend = self.backend();
        self.write(|c| {
            let mut u = Sql::new(backend);
            u.push("UPDATE notifications SET emailed_at = NULL WHERE id IN ")
                .int_list(ids);
            u.execute(c)?;
            Ok(())
        })
    }
}

/// Who hears a partner's answer to referral `referral_id`: the case's caseworker and
/// whoever made the referral.
pub(crate) fn referral_people(
    c: &mut DbConnection,
    backend: Backend,
    referral_id: i64,
) -> Result<Vec<i64>, StoreError> {
    let mut q = Sql::new(backend);
    q.push(
        "SELECT c.assigned_user_id AS id FROM referrals f JOIN cases c ON c.id = f.case_id \
         WHERE c.assigned_user_id IS NOT NULL AND f.id = ",
    )
    .int(referral_id)
    .push(" UNION SELECT created_by AS id FROM referrals WHERE id = ")
    .int(referral_id);
    Ok(q.load::<Id>(c)?.into_iter().map(|r| r.id).collect())
}
