//! The counter's rules by hand: lending, double lending, returns, fees, overdue and
//! utilisation.

use super::*;

fn d(s: &str) -> Ymd {
    s.parse().expect("date")
}

fn gel(minor: i64) -> Money {
    Money::new(minor, "GEL".parse().expect("GEL"))
}

fn span(lent: &str, due: &str, back: Option<&str>) -> Span {
    Span {
        lent_on: d(lent),
        due_on: d(due),
        returned_on: back.map(d),
    }
}

#[test]
fn a_unit_is_never_lent_twice_at_once() {
    let drill = [span("2026-11-20", "2026-11-27", None)];
    match may_lend("Drill", 1, Condition::Good, &drill, d("2026-11-21")) {
        Err(LendError::AllOut {
            out,
            quantity,
            due_on,
            ..
        }) => {
            assert_eq!((out, quantity, due_on), (1, 1, d("2026-11-27")));
        }
        other => panic!("refused, got {other:?}"),
    }
    let msg = may_lend("Drill", 1, Condition::Good, &drill, d("2026-11-21"))
        .expect_err("out")
        .to_string();
    assert_eq!(
        msg,
        "Drill is already lent (1 of 1 out); the first is due back on 2026-11-27"
    );
    // A second unit of the same tool may go out; a third may not.
    assert!(may_lend("Ladder", 2, Condition::Good, &drill, d("2026-11-21")).is_ok());
    let two = [
        span("2026-11-20", "2026-11-27", None),
        span("2026-11-21", "2026-11-22", None),
    ];
    assert!(may_lend("Ladder", 2, Condition::Good, &two, d("2026-11-22")).is_err());
    // Back in the morning, out again the same day.
    let back = [span("2026-11-20", "2026-11-27", Some("2026-11-23"))];
    assert!(may_lend("Drill", 1, Condition::Good, &back, d("2026-11-23")).is_ok());
    // A loan recorded late for a day the unit was out is refused too.
    assert!(may_lend("Drill", 1, Condition::Good, &back, d("2026-11-22")).is_err());
    // Lent later than a backdated day and still out: the unit is not free then either.
    assert!(may_lend("Drill", 1, Condition::Good, &drill, d("2026-11-10")).is_err());
}

#[test]
fn a_tool_out_of_service_stays_in() {
    for c in [Condition::Broken, Condition::Lost] {
        let e = may_lend("Pipe wrench", 3, c, &[], d("2026-11-01")).expect_err("refused");
        assert!(e.to_string().contains("cannot be lent"), "{e}");
    }
    assert!(may_lend("Pipe wrench", 3, Condition::Poor, &[], d("2026-11-01")).is_ok());
}

#[test]
fn fees_count_days_out_with_one_at_least() {
    let per_day = gel(500);
    assert_eq!(
        fee_due(per_day, d("2026-11-20"), d("2026-11-20")),
        gel(500),
        "same day: one day"
    );
    assert_eq!(
        fee_due(per_day, d("2026-11-20"), d("2026-11-23")),
        gel(1_500)
    );
    let r = ReturnDraft::parse(
        "2026-11-23",
        "good",
        "",
        "",
        d("2026-11-20"),
        per_day,
        d("2026-11-30"),
    )
    .expect("back");
    assert_eq!(r.fee, gel(1_500), "the fee due when none is typed");
    let waived = ReturnDraft::parse(
        "2026-11-23",
        "fair",
        "2",
        "a returnee",
        d("2026-11-20"),
        per_day,
        d("2026-11-30"),
    )
    .expect("back");
    assert_eq!((waived.fee, waived.condition), (gel(200), Condition::Fair));
    let errs = ReturnDraft::parse(
        "2026-11-19",
        "shiny",
        "-1",
        "",
        d("2026-11-20"),
        per_day,
        d("2026-11-30"),
    )
    .expect_err("bad");
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["returned_on", "condition", "fee"]);
    let future = ReturnDraft::parse(
        "2026-12-05",
        "good",
        "",
        "",
        d("2026-11-20"),
        per_day,
        d("2026-11-30"),
    )
    .expect_err("future");
    assert_eq!(future[0].field, "returned_on");
}

#[test]
fn loans_are_agreed_for_a_sensible_time() {
    let today = d("2026-11-30");
    let l = LoanDraft::parse(" Giorgi Beridze ", "+995 555 0101", "", "2026-12-07", today)
        .expect("loan");
    assert_eq!((l.borrower.as_str(), l.lent_on), ("Giorgi Beridze", today));
    let errs = LoanDraft::parse("G", "", "2026-12-01", "2026-11-01", today).expect_err("bad");
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["borrower", "lent_on"]);
    let before = LoanDraft::parse("Nino", "", "2026-11-20", "2026-11-19", today).expect_err("bad");
    assert!(
        before[0].reason.contains("before the day lent"),
        "{before:?}"
    );
    let long = LoanDraft::parse("Nino", "", "2026-11-20", "2027-06-01", today).expect_err("bad");
    assert!(long[0].reason.contains("90 days"), "{long:?}");
}

#[test]
fn overdue_and_utilisation_by_hand() {
    let today = d("2026-11-30");
    assert_eq!(
        span("2026-11-20", "2026-11-27", None).days_overdue(today),
        3
    );
    assert_eq!(
        span("2026-11-20", "2026-11-27", Some("2026-11-29")).days_overdue(today),
        0,
        "back, if late"
    );
    assert_eq!(
        span("2026-11-20", "2026-12-02", None).days_overdue(today),
        0,
        "not yet due"
    );
    // November has 30 days; one unit out 3 days (20 → 23) and 5 days (25 → open until the 30th).
    let loans = [
        span("2026-11-20", "2026-11-27", Some("2026-11-23")),
        span("2026-11-26", "2026-12-01", None),
    ];
    assert!(
        (utilisation(&loans, 1, 2026, 11, today) - 8.0 / 30.0).abs() < 1e-9,
        "{}",
        utilisation(&loans, 1, 2026, 11, today)
    );
    assert!(
        (utilisation(&loans, 2, 2026, 11, today) - 8.0 / 60.0).abs() < 1e-9,
        "two units halve it"
    );
    // A loan across months counts its days in each.
    let across = [span("2026-10-30", "2026-11-03", Some("2026-11-02"))];
    assert!((utilisation(&across, 1, 2026, 10, today) - 2.0 / 31.0).abs() < 1e-9);
    assert!((utilisation(&across, 1, 2026, 11, today) - 1.0 / 30.0).abs() < 1e-9);
    assert_eq!(utilisation(&[], 1, 2026, 11, today), 0.0);
}

#[test]
fn the_inventory_takes_what_a_centre_holds() {
    let gel_code = "GEL".parse().expect("GEL");
    let t = ToolDraft::parse(
        "Cordless drill",
        "electrical",
        "2",
        "good",
        "350",
        "5",
        "",
        gel_code,
    )
    .expect("tool");
    assert_eq!(
        (t.quantity, t.value, t.fee_per_day),
        (2, gel(35_000), gel(500))
    );
    let free = ToolDraft::parse("Wheelbarrow", "garden", "1", "fair", "", "", "", gel_code)
        .expect("no fee");
    assert_eq!(free.fee_per_day, gel(0));
    let errs =
        ToolDraft::parse("", "weapons", "0", "new", "x", "-5", "", gel_code).expect_err("bad");
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "name",
            "category",
            "quantity",
            "condition",
            "value",
            "fee_per_day"
        ]
    );
}
