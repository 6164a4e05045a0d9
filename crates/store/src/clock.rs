//! The current time in UTC as ISO 8601 text, which both databases store and sort the same.

use homeward_domain::date::Ymd;
use std::time::{SystemTime, UNIX_EPOCH};

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's civil_from_days).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `2026-11-23T08:56:42Z`.
pub fn utc_now() -> String {
    utc_at(now_secs())
}

/// The instant `secs` seconds from now, in the same form (negative for the past). The
/// form is fixed-width, so instants compare correctly as text, in SQL too.
pub fn utc_after(secs: i64) -> String {
    utc_at(now_secs() + secs)
}

/// Seconds since 1970, for one-time codes.
pub fn unix_now() -> u64 {
    now_secs().max(0) as u64
}

/// Seconds since 1970 of an instant written by [`utc_now`].
pub fn parse_unix(instant: &str) -> Option<i64> {
    let b = instant.as_bytes();
    if b.len() != 20 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| instant.get(r)?.parse::<i64>().ok();
    let date =
        homeward_domain::date::Ymd::new(num(0..4)? as i32, num(5..7)? as u8, num(8..10)? as u8)?;
    Some(date.to_days() * 86_400 + num(11..13)? * 3600 + num(14..16)? * 60 + num(17..19)?)
}

fn utc_at(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

/// Today's date in UTC.
pub fn today() -> Ymd {
    let (y, m, d) = civil_from_days(now_secs().div_euclid(86_400));
    Ymd {
        year: y as i32,
        month: m as u8,
        day: d as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_known_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(utc_now().len(), 20);
        let now = utc_now();
        assert_eq!(utc_at(parse_unix(&now).expect("parses")), now);
    }
}
