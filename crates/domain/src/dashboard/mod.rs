//! Reintegration in numbers: what a dashboard may be narrowed to ([`filter`]), what it
//! knows of each case ([`facts`]), and the counting itself ([`tally`]): one pass over the
//! cases in the reader's scope that match the filters, so every view and every download
//! counts the same cases; and which of its figures a reader who may not read the cases
//! is not shown ([`guard`]).

pub mod facts;
pub mod filter;
pub mod guard;
pub mod tally;

pub use facts::{Amount, CaseFact, Facts, Key, Latest, Pair, Score, Scores4, vulnerability_bit};
pub use filter::{AgeGroup, DashboardFilter};
pub use guard::{DAY_BANDS, Withheld, guard, plan_day_bands};
pub use tally::{Change, Count, Mean, Spend, Sums, Tally, in_scope};
