//! Simulated time: seconds since the session started, shown as AWS timestamps.
//!
//! The model has no clock. Time starts at a fixed instant and moves only when a command
//! advances it (`AdvanceTime`, waiters), so traces are reproducible.

/// The wall-clock instant that simulated time 0 is displayed as: 2026-01-05T09:00:00Z.
pub const EPOCH_UNIX: u64 = 1_767_603_600;

/// Seconds in a day.
pub const DAY: u64 = 86_400;

/// ISO 8601 as EC2 prints it: `2026-01-05T09:00:12.000Z`.
pub fn iso(sim_seconds: u64) -> String {
    let t = EPOCH_UNIX + sim_seconds;
    let days = (t / DAY) as i64;
    let rem = t % DAY;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Seconds since the Unix epoch as KMS prints dates (`CreationDate: 1767603600.0`).
pub fn unix(sim_seconds: u64) -> f64 {
    (EPOCH_UNIX + sim_seconds) as f64
}

/// A timestamp as the AWS CLI v2 prints it (`cli_timestamp_format = iso8601`):
/// `2026-01-05T09:00:00+00:00`, with microseconds only when there are some. Takes epoch seconds
/// (how KMS's JSON protocol sends dates) or an ISO 8601 UTC string (EC2's and IAM's); anything
/// else gives `None`.
pub fn cli_timestamp(v: &serde_json::Value) -> Option<String> {
    let (secs, micros) = match v {
        serde_json::Value::Number(n) => {
            let f = n.as_f64()?;
            if !(0.0..1e13).contains(&f) {
                return None;
            }
            let s = f.floor();
            (s as i64, ((f - s) * 1e6).round() as u32)
        }
        serde_json::Value::String(s) => parse_iso(s)?,
        _ => return None,
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(DAY as i64));
    let rem = secs.rem_euclid(DAY as i64);
    let frac = if micros > 0 {
        format!(".{micros:06}")
    } else {
        String::new()
    };
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{frac}+00:00",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    ))
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` (or `+00:00`) to epoch seconds and microseconds.
fn parse_iso(s: &str) -> Option<(i64, u32)> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse().ok() };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = s.get(19..)?;
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => {
            let n = r.bytes().take_while(u8::is_ascii_digit).count();
            (r.get(..n)?, r.get(n..)?)
        }
        None => ("", rest),
    };
    if !(zone == "Z" || zone == "+00:00")
        || !(1..=12).contains(&mo)
        || !(1..=31).contains(&d)
        || h > 23
        || mi > 59
        || se > 60
    {
        return None;
    }
    let micros = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().chain("000000".chars()).take(6).collect();
        digits.parse().ok()?
    };
    Some((
        days_from_civil(y, mo as u32, d as u32) * DAY as i64 + h * 3600 + mi * 60 + se,
        micros,
    ))
}

/// (year, month, day) to days since 1970-01-01 (the inverse of [`civil_from_days`]).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 } as i64;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's published algorithm).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_prints_every_timestamp_as_iso_8601_with_utc_offset() {
        use crate::json;
        let cases = [
            (json!(1_767_603_600.0), Some("2026-01-05T09:00:00+00:00")),
            (
                json!(1_767_603_600.25),
                Some("2026-01-05T09:00:00.250000+00:00"),
            ),
            (
                json!("2026-01-05T09:00:12.000Z"),
                Some("2026-01-05T09:00:12+00:00"),
            ),
            (
                json!("2028-02-29T12:00:00.5Z"),
                Some("2028-02-29T12:00:00.500000+00:00"),
            ),
            (
                json!("2026-01-05T09:00:12+00:00"),
                Some("2026-01-05T09:00:12+00:00"),
            ),
            (json!("not a time"), None),
            (json!("2026-13-05T09:00:12Z"), None),
            (json!(true), None),
            (json!(-5), None),
        ];
        for (v, want) in cases {
            assert_eq!(cli_timestamp(&v).as_deref(), want, "{v}");
        }
        for t in [0, 59, 86_399, 86_400 * 800 + 7] {
            assert_eq!(
                cli_timestamp(&json!(iso(t))),
                cli_timestamp(&json!(unix(t))),
                "{t}"
            );
        }
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso(0), "2026-01-05T09:00:00.000Z");
        assert_eq!(iso(15 * 3600 + 61), "2026-01-06T00:01:01.000Z");
        // 2028 is a leap year: 2028-02-29 exists.
        let feb29 = (1_835_395_200 - EPOCH_UNIX) + 12 * 3600; // 2028-02-29T00:00:00Z is 1_835_395_200.
        assert_eq!(iso(feb29), "2028-02-29T12:00:00.000Z");
    }
}
