//! Reading a plain decimal (`200000.00`, `.25`, `0.0108`) as an integer scaled by a power
//! of ten, exactly: the one parser under money amounts and exchange rates.

/// Why text is not a decimal with the places allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalError {
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

/// `text` (digits, at most one dot, no sign) × 10^`digits`. Trailing zeros past `digits`
/// are fine; other extra places are refused rather than rounded.
pub fn scaled(text: &str, digits: u32) -> Result<i128, DecimalError> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(DecimalError::NotANumber);
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > digits as usize {
        return Err(DecimalError::TooManyDecimals);
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| DecimalError::TooLarge)?
    };
    let frac: i128 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = digits as usize)
            .parse()
            .map_err(|_| DecimalError::TooLarge)?
    };
    whole
        .checked_mul(10i128.pow(digits))
        .and_then(|v| v.checked_add(frac))
        .ok_or(DecimalError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_exactly_and_refuses_the_rest() {
        assert_eq!(scaled("200000.00", 2), Ok(20_000_000));
        assert_eq!(scaled(".25", 2), Ok(25));
        assert_eq!(scaled("0.0108", 10), Ok(108_000_000));
        assert_eq!(scaled("1.500", 1), Ok(15));
        assert_eq!(scaled("1.25", 1), Err(DecimalError::TooManyDecimals));
        for bad in ["", ".", "-1", "1.2.3", "1e5", "a"] {
            assert_eq!(scaled(bad, 2), Err(DecimalError::NotANumber), "{bad}");
        }
    }
}
