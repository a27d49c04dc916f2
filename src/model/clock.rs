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
    fn formats_known_instants() {
        assert_eq!(iso(0), "2026-01-05T09:00:00.000Z");
        assert_eq!(iso(15 * 3600 + 61), "2026-01-06T00:01:01.000Z");
        // 2028 is a leap year: 2028-02-29 exists.
        let feb29 = (1_835_395_200 - EPOCH_UNIX) + 12 * 3600; // 2028-02-29T00:00:00Z is 1_835_395_200.
        assert_eq!(iso(feb29), "2028-02-29T12:00:00.000Z");
    }
}
