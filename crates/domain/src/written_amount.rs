//! Amounts as people write them, read into plain decimals (`-1250.50`).
//!
//! A caseworker in Tirana or Oslo writes `12,50` for twelve and a half, one in Apia `12.50`;
//! `1 250,50`, `1.250,50` and `1,250.50` are all one thousand two hundred and fifty and a
//! half. Each of those can mean only one thing, so each is read the same in every language.
//! What can mean two things is one separator followed by exactly three digits: `1,250` is
//! 1250 where a comma groups thousands and 1.25 where it marks decimals. That is refused
//! with both readings named, never guessed: a guess is a hundredfold error in someone's
//! assistance.

/// Spaces (plain, no-break, narrow no-break), apostrophes and underscores group digits.
fn is_space_group(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '_')
}

/// The digits of a whole part written with group marks (`1 250`, `1.250.000`), or why not.
/// The first group has one to three digits, every other exactly three.
fn whole(part: &str, group_marks: &[char], shown: &str) -> Result<String, String> {
    let groups: Vec<&str> = part
        .split(|c: char| group_marks.contains(&c) || is_space_group(c))
        .collect();
    let grouped = groups.len() > 1;
    for (i, g) in groups.iter().enumerate() {
        let ok = !g.is_empty()
            && g.bytes().all(|b| b.is_ascii_digit())
            && (!grouped || (i == 0 && g.len() <= 3) || (i > 0 && g.len() == 3));
        if !ok {
            return Err(if g.bytes().all(|b| b.is_ascii_digit()) && grouped {
                format!("{shown:?}: digits are grouped by three (like 1 250 000)")
            } else {
                format!("{shown:?} is not an amount (like 1250.50 or 1250,50)")
            });
        }
    }
    Ok(groups.concat())
}

/// Reads `text` into a plain decimal (digits, maybe `-`, maybe `.` and decimals), or says
/// why it cannot be read, naming both readings when it could mean two amounts.
pub fn plain(text: &str) -> Result<String, String> {
    let shown = text.trim();
    let (sign, body) = match shown.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", shown),
    };
    let not_amount = || format!("{shown:?} is not an amount (like 1250.50 or 1250,50)");
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_space_group(c))
    {
        return Err(not_amount());
    }
    let last = body.rfind(['.', ',']);
    let Some(at) = last else {
        return Ok(format!("{sign}{}", whole(body, &[], shown)?));
    };
    let mark = if body[at..].starts_with('.') {
        '.'
    } else {
        ','
    };
    let other = if mark == '.' { ',' } else { '.' };
    let (before, after) = (&body[..at], &body[at + 1..]);
    let marks_of_kind = body.matches(mark).count();
    if marks_of_kind > 1 {
        // The same mark more than once groups thousands, and nothing may follow the groups.
        if body.contains(other) {
            return Err(not_amount());
        }
        return Ok(format!("{sign}{}", whole(body, &[mark], shown)?));
    }
    // One last mark: a decimal mark, unless it may also group thousands.
    if !after.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_amount());
    }
    let int = if before.is_empty() {
        "0".to_owned()
    } else {
        whole(before, &[other], shown)?
    };
    // As thousands, the digits before the mark would be a first group: one to three
    // digits, not starting with 0 (a grouped whole part has more).
    let could_group = after.len() == 3
        && !body.contains(other)
        && (1..=3).contains(&int.len())
        && !int.starts_with('0');
    if could_group {
        let decimal = format!("{int}.{after}");
        let decimal = decimal.trim_end_matches('0').trim_end_matches('.');
        return Err(format!(
            "{shown:?} could be {sign}{int}{after} or {sign}{decimal}: write {sign}{int}{after} or \
             {sign}{decimal} without a separator to say which"
        ));
    }
    Ok(match after {
        "" => format!("{sign}{int}"),
        _ => format!("{sign}{int}.{after}"),
    })
}

/// Whether `text` is written as the API and files take amounts: a dot for decimals and no
/// other mark (`1250.50`). A comma is refused, saying how to write the amount instead.
pub fn point_only(text: &str) -> Result<(), String> {
    let shown = text.trim();
    if !shown.contains(',') {
        return Ok(());
    }
    let read = plain(shown)?;
    Err(format!(
        "{shown:?}: write amounts with a dot for decimals and no other separator, \
         like {read}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_can_mean_one_thing_only() {
        for (written, read) in [
            ("1250", "1250"),
            ("12,50", "12.50"),
            ("12.50", "12.50"),
            ("1 250,50", "1250.50"),
            ("1\u{a0}250,5", "1250.5"),
            ("1.250,50", "1250.50"),
            ("1,250.50", "1250.50"),
            ("1.250.000", "1250000"),
            ("1,250,000", "1250000"),
            ("1 250 000", "1250000"),
            ("0,250", "0.250"),
            (",5", "0.5"),
            ("-12,5", "-12.5"),
            ("12345,678", "12345.678"),
            ("7800", "7800"),
        ] {
            assert_eq!(plain(written).as_deref(), Ok(read), "{written}");
        }
    }

    #[test]
    fn names_both_readings_of_what_could_mean_two() {
        let e = plain("1,250").expect_err("two readings");
        assert!(e.contains("1250") && e.contains("1.25"), "{e}");
        let e = plain("12.500").expect_err("two readings");
        assert!(e.contains("12500") && e.contains("12.5"), "{e}");
        assert!(plain("-1.250").expect_err("two").contains("-1250"));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for bad in [
            "",
            "-",
            "abc",
            "12,5,0",
            "1,25,000",
            "1.250,000.5",
            "12 50",
            "1e5",
            "12.5x",
            "1..2",
        ] {
            assert!(plain(bad).is_err(), "{bad:?} refused");
        }
    }

    #[test]
    fn the_api_takes_a_dot_for_decimals_and_nothing_else() {
        assert!(point_only("1250.50").is_ok());
        assert!(point_only("95000").is_ok());
        let e = point_only("12,50").expect_err("comma");
        assert!(e.contains("12.50"), "says how to write it: {e}");
        assert!(
            point_only("1,250")
                .expect_err("two readings")
                .contains("1.25")
        );
    }
}
