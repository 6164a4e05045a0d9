//! `homeward retention run` and the daily run inside `serve`.

use anyhow::{Context, Result};
use homeward_store::retention::run::Report;
use homeward_store::{Actor, Store};

/// Anonymises (or with `dry`, lists) what is past its term today, and says what.
pub fn run(store: &Store, dry: bool) -> Result<()> {
    let today = homeward_store::today();
    let report = store
        .retention_run(&Actor::console(), today, dry)
        .context("the retention run stopped")?;
    print!("{}", describe(&report, dry));
    Ok(())
}

fn describe(r: &Report, dry: bool) -> String {
    let mut out = String::new();
    let verb = if dry {
        "would be anonymised"
    } else {
        "anonymised"
    };
    if r.cases.is_empty() {
        out.push_str(&format!("No case is past its term: nothing {verb}.\n"));
    } else {
        out.push_str(&format!("{} case(s) {verb}:\n", r.cases.len()));
        for c in &r.cases {
            out.push_str(&format!(
                "  {}  {}  closed {}, kept until {}\n",
                c.reference, c.office, c.closed_on, c.last_day
            ));
        }
    }
    if !r.waiting.is_empty() {
        out.push_str(&format!(
            "{} case(s) past their term wait for the same returnee's other case (newer, or held):\n",
            r.waiting.len()
        ));
        for c in &r.waiting {
            out.push_str(&format!(
                "  {}  {}  closed {}\n",
                c.reference, c.office, c.closed_on
            ));
        }
    }
    if dry && !r.cases.is_empty() {
        out.push_str("Nothing was changed (dry run).\n");
    }
    out
}

/// How often a server looks whether today's run is done.
const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Runs retention once a day on whichever server claims the day first; the others find
/// it claimed. Failures are logged and tried again at the next look.
pub fn start_daily(store: Store, server: String) {
    std::thread::spawn(move || {
        loop {
            let today = homeward_store::today();
            match store.retention_daily(&Actor::console(), today, &server) {
                Ok(Some(r)) => tracing::info!(
                    anonymised = r.cases.len(),
                    waiting = r.waiting.len(),
                    "retention run for {today}"
                ),
                Ok(None) => {}
                Err(e) => tracing::warn!("the retention run did not finish, will try again: {e}"),
            }
            std::thread::sleep(LOOK_EVERY);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_store::retention::run::DueCase;

    #[test]
    fn the_report_names_each_case_and_says_a_dry_run_changed_nothing() {
        let r = Report {
            cases: vec![DueCase {
                reference: "HW-000042".into(),
                office: "IOM Tirana".into(),
                closed_on: "2018-03-01".into(),
                last_day: "2023-02-28".parse().expect("date"),
            }],
            waiting: vec![],
        };
        let dry = describe(&r, true);
        assert!(dry.contains("1 case(s) would be anonymised"), "{dry}");
        assert!(dry.contains("HW-000042  IOM Tirana  closed 2018-03-01, kept until 2023-02-28"));
        assert!(dry.contains("Nothing was changed"));
        assert!(!describe(&r, false).contains("Nothing was changed"));
        assert!(describe(&Report::default(), false).contains("nothing anonymised"));
    }
}
