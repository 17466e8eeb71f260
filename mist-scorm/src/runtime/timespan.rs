//! Durations and clock times: ISO 8601 `timeinterval(second,10,2)` for SCORM 2004,
//! `CMITimespan`/`CMITime` for SCORM 1.2. Durations are carried as centiseconds.

const CS_PER_SECOND: u64 = 100;
const CS_PER_MINUTE: u64 = 60 * CS_PER_SECOND;
const CS_PER_HOUR: u64 = 60 * CS_PER_MINUTE;
const CS_PER_DAY: u64 = 24 * CS_PER_HOUR;
/// Calendar units have no fixed length; these are the conventional approximations
/// used only when a SCO reports years or months.
const CS_PER_MONTH: u64 = 30 * CS_PER_DAY;
const CS_PER_YEAR: u64 = 365 * CS_PER_DAY;

/// Parses an unsigned decimal made of 1..=max digits.
fn digits(value: &str, max: usize) -> Option<u64> {
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// Parses `n` or `n.f` seconds (at most two fraction digits) into centiseconds.
fn seconds_cs(value: &str, max_int_digits: usize) -> Option<u64> {
    let (int, frac) = value.split_once('.').unwrap_or((value, ""));
    let whole = digits(int, max_int_digits)?;
    let cents = match frac.len() {
        0 if !value.contains('.') => 0,
        1 => digits(frac, 1)? * 10,
        2 => digits(frac, 2)?,
        _ => return None,
    };
    Some(whole.saturating_mul(CS_PER_SECOND).saturating_add(cents))
}

/// Parses an ISO 8601 duration `P[nY][nM][nD][T[nH][nM][n[.nn]S]]` into centiseconds.
///
/// At least one component is required, and a `T` must be followed by a time component.
pub fn parse_iso(value: &str) -> Option<u64> {
    let body = value.strip_prefix('P')?;
    let (date, time) = match body.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (body, None),
    };
    let mut total: u64 = 0;
    let mut seen = false;
    let mut add = |part: &str, units: &[(char, u64)], allow_fraction: bool| -> Option<()> {
        let mut rest = part;
        let mut next_unit = 0;
        while !rest.is_empty() {
            let end = rest.find(|c: char| !c.is_ascii_digit() && c != '.')?;
            let (number, tail) = rest.split_at(end);
            let designator = tail.chars().next()?;
            let index = units
                .iter()
                .skip(next_unit)
                .position(|(u, _)| *u == designator)?
                + next_unit;
            let (_, scale) = units[index];
            let amount = if designator == 'S' && allow_fraction {
                seconds_cs(number, 10)?
            } else {
                digits(number, 10)?.saturating_mul(scale)
            };
            total = total.saturating_add(amount);
            seen = true;
            next_unit = index + 1;
            rest = &tail[designator.len_utf8()..];
        }
        Some(())
    };
    add(
        date,
        &[('Y', CS_PER_YEAR), ('M', CS_PER_MONTH), ('D', CS_PER_DAY)],
        false,
    )?;
    if let Some(time) = time {
        add(
            time,
            &[('H', CS_PER_HOUR), ('M', CS_PER_MINUTE), ('S', 1)],
            true,
        )?;
    }
    seen.then_some(total)
}

/// Formats centiseconds as the shortest ISO 8601 duration; zero is `PT0H0M0S`.
pub fn format_iso(total_cs: u64) -> String {
    if total_cs == 0 {
        return "PT0H0M0S".to_owned();
    }
    let days = total_cs / CS_PER_DAY;
    let hours = total_cs % CS_PER_DAY / CS_PER_HOUR;
    let minutes = total_cs % CS_PER_HOUR / CS_PER_MINUTE;
    let seconds = total_cs % CS_PER_MINUTE / CS_PER_SECOND;
    let cents = total_cs % CS_PER_SECOND;
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if hours + minutes + seconds + cents > 0 {
        out.push('T');
        if hours > 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            out.push_str(&format!("{minutes}M"));
        }
        match cents {
            0 if seconds > 0 => out.push_str(&format!("{seconds}S")),
            0 => {}
            c if c % 10 == 0 => out.push_str(&format!("{seconds}.{}S", c / 10)),
            c => out.push_str(&format!("{seconds}.{c:02}S")),
        }
    }
    out
}

/// Parses a SCORM 1.2 `CMITimespan` `HHHH:MM:SS[.S[S]]` into centiseconds.
///
/// The standard allows 2–4 hour digits; `lenient_hours` accepts 1 or more (a
/// compatible-mode leniency that real content needs).
pub fn parse_cmi_timespan(value: &str, lenient_hours: bool) -> Option<u64> {
    let mut parts = value.splitn(3, ':');
    let (hours, minutes, seconds) = (parts.next()?, parts.next()?, parts.next()?);
    let hours_ok = if lenient_hours {
        !hours.is_empty()
    } else {
        (2..=4).contains(&hours.len())
    };
    if !hours_ok || minutes.len() != 2 || seconds.split('.').next().map(str::len) != Some(2) {
        return None;
    }
    let h = digits(hours, if lenient_hours { 10 } else { 4 })?;
    let m = digits(minutes, 2)?;
    let s = seconds_cs(seconds, 2)?;
    if m > 59 || s >= CS_PER_MINUTE {
        return None;
    }
    Some(
        h.saturating_mul(CS_PER_HOUR)
            .saturating_add(m * CS_PER_MINUTE)
            .saturating_add(s),
    )
}

/// Formats centiseconds as a SCORM 1.2 `CMITimespan` (`HHHH:MM:SS.SS`, hours capped at 9999).
pub fn format_cmi_timespan(total_cs: u64) -> String {
    let hours = (total_cs / CS_PER_HOUR).min(9999);
    let minutes = total_cs % CS_PER_HOUR / CS_PER_MINUTE;
    let seconds = total_cs % CS_PER_MINUTE / CS_PER_SECOND;
    let cents = total_cs % CS_PER_SECOND;
    format!("{hours:04}:{minutes:02}:{seconds:02}.{cents:02}")
}

/// Checks a SCORM 1.2 `CMITime` `HH:MM:SS[.S[S]]` clock time.
pub fn is_cmi_time(value: &str) -> bool {
    let mut parts = value.splitn(3, ':');
    let (Some(h), Some(m), Some(s)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let seconds_ok = s.split('.').next().map(str::len) == Some(2)
        && seconds_cs(s, 2).is_some_and(|cs| cs < CS_PER_MINUTE);
    h.len() == 2
        && m.len() == 2
        && digits(h, 2).is_some_and(|v| v < 24)
        && digits(m, 2).is_some_and(|v| v < 60)
        && seconds_ok
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations_parse_and_accumulate_like_adl() {
        let minute = parse_iso("PT01M").unwrap();
        let long = parse_iso("PT01H059M020S").unwrap();
        assert_eq!(format_iso(minute + long), "PT2H20S");
        assert_eq!(
            format_iso(minute + long + parse_iso("PT0H05M49S").unwrap()),
            "PT2H6M9S"
        );
        assert_eq!(format_iso(parse_iso("P0Y029DT0H").unwrap()), "P29D");
        assert_eq!(format_iso(parse_iso("PT1.5S").unwrap()), "PT1.5S");
        for bad in [
            "", "P", "PT", "1H", "PT1H2", "P1H", "PT1.234S", "PT1M1H", "P-1D", "PT1,5S",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn cmi_timespans_and_times() {
        assert_eq!(
            parse_cmi_timespan("00:30:00", false),
            Some(30 * CS_PER_MINUTE)
        );
        assert_eq!(parse_cmi_timespan("0000:00:01.5", false), Some(150));
        assert_eq!(parse_cmi_timespan("1:00:00", false), None);
        assert_eq!(parse_cmi_timespan("1:00:00", true), Some(CS_PER_HOUR));
        assert_eq!(parse_cmi_timespan("99:99:99", false), None);
        assert_eq!(format_cmi_timespan(CS_PER_HOUR + 150), "0001:00:01.50");
        assert!(is_cmi_time("23:59:59.99") && !is_cmi_time("24:00:00") && !is_cmi_time("1:00:00"));
    }
}
