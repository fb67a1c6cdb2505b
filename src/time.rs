//! Time as a value: the core never reads the clock, callers pass `now`.

use core::fmt;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(i64);

/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar (Hinnant's algorithm).
const DAYS_TO_EPOCH: i64 = 719_468;
const SECS_PER_DAY: i64 = 86_400;
/// Years outside 0000..=9999 cannot be written in RFC 3339, so they are not accepted either.
const MAX_YEAR: i64 = 9999;

impl UnixTime {
    /// The time `secs` seconds after the Unix epoch (negative: before it).
    pub const fn from_secs(secs: i64) -> Self {
        Self(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn secs(self) -> i64 {
        self.0
    }

    /// `self + secs`, or `None` on overflow.
    pub fn checked_add_secs(self, secs: i64) -> Option<Self> {
        self.0.checked_add(secs).map(Self)
    }

    /// `self - secs`, or `None` on overflow.
    pub fn checked_sub_secs(self, secs: i64) -> Option<Self> {
        self.0.checked_sub(secs).map(Self)
    }

    /// The time at midnight UTC starting the given calendar day, if the date exists.
    pub fn from_date(year: i64, month: u32, day: u32) -> Option<Self> {
        if !(0..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Self(
            days_from_civil(year, month, day).checked_mul(SECS_PER_DAY)?,
        ))
    }

    /// Parses an RFC 3339 / ISO 8601 timestamp such as `2021-06-01T10:00:00Z`,
    /// `2021-06-01T10:00:00.123+02:00` or `2021-06-01T10:00:00` (no offset: UTC).
    /// A bare date (`2021-06-01`) is midnight UTC. Fractional seconds are truncated.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let bytes = text.as_bytes();
        let date = Self::from_date(
            parse_digits(bytes, 0, 4)?,
            u32::try_from(parse_digits(bytes, 5, 2)?).ok()?,
            u32::try_from(parse_digits(bytes, 8, 2)?).ok()?,
        )?;
        if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
            return None;
        }
        let rest = bytes.get(10..)?;
        if rest.is_empty() {
            return Some(date);
        }
        if !matches!(rest.first(), Some(b'T' | b't' | b' ')) || rest.get(3) != Some(&b':') {
            return None;
        }
        let hour = parse_digits(rest, 1, 2)?;
        let minute = parse_digits(rest, 4, 2)?;
        let (second, mut tail) = if rest.get(6) == Some(&b':') {
            (parse_digits(rest, 7, 2)?, rest.get(9..)?)
        } else {
            (0, rest.get(6..)?)
        };
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        if let Some(after_dot) = tail.strip_prefix(b".") {
            let digits = after_dot.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            tail = after_dot.get(digits..)?;
        }
        let offset = match tail {
            [] | [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), ..] => {
                let oh = parse_digits(tail, 1, 2)?;
                let om = match tail.len() {
                    6 if tail.get(3) == Some(&b':') => parse_digits(tail, 4, 2)?,
                    5 => parse_digits(tail, 3, 2)?,
                    3 => 0,
                    _ => return None,
                };
                if oh > 23 || om > 59 {
                    return None;
                }
                let magnitude = seconds_of_day(oh, om, 0);
                if *sign == b'-' {
                    magnitude.wrapping_neg() // safe: at most 86,340
                } else {
                    magnitude
                }
            }
            _ => return None,
        };
        date.checked_add_secs(seconds_of_day(hour, minute, second).checked_sub(offset)?)
    }

    /// The calendar date and time of day in UTC: (year, month, day, hour, minute, second).
    pub fn to_civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(SECS_PER_DAY);
        let secs = self.0.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let hms = u32::try_from(secs).unwrap_or(0); // safe: rem_euclid gives 0..86400
        (year, month, day, hms / 3600, hms / 60 % 60, hms % 60)
    }
}

/// RFC 3339 in UTC, e.g. `2021-06-01T10:00:00Z`.
impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.to_civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

#[allow(clippy::arithmetic_side_effects)] // safe: callers pass two-digit values (< 100)
fn seconds_of_day(hours: i64, minutes: i64, seconds: i64) -> i64 {
    hours * 3600 + minutes * 60 + seconds
}

#[allow(clippy::arithmetic_side_effects)] // safe: at most 4 digits, so at most 9999
fn parse_digits(bytes: &[u8], start: usize, len: usize) -> Option<i64> {
    let digits = bytes.get(start..start.checked_add(len)?)?;
    digits.iter().try_fold(0i64, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's `days_from_civil` / `civil_from_days`; years are bounded to 0..=9999 on the
// way in and the day count to what an i64 of seconds can hold on the way out, so nothing overflows.
#[allow(clippy::arithmetic_side_effects, clippy::as_conversions)] // safe: bounded as above
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - DAYS_TO_EPOCH
}

#[allow(
    clippy::arithmetic_side_effects,
    clippy::as_conversions,
    clippy::cast_possible_truncation
)] // safe: month and day are small
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + DAYS_TO_EPOCH;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_rfc3339() {
        let t = UnixTime::parse_rfc3339("2021-06-01T10:00:00Z").unwrap();
        assert_eq!(t.secs(), 1_622_541_600);
        assert_eq!(t.to_string(), "2021-06-01T10:00:00Z");
        assert_eq!(
            UnixTime::parse_rfc3339("2021-06-01T12:00:00+02:00"),
            Some(t)
        );
        assert_eq!(UnixTime::parse_rfc3339("2021-06-01T10:00:00.5Z"), Some(t));
        assert_eq!(UnixTime::parse_rfc3339("2021-06-01T10:00:00"), Some(t));
        assert_eq!(
            UnixTime::parse_rfc3339("2021-06-01T10:00:00.123456+0000"),
            Some(t)
        );
        assert_eq!(
            UnixTime::parse_rfc3339("1970-01-01").map(UnixTime::secs),
            Some(0)
        );
        assert_eq!(UnixTime::from_secs(-1).to_string(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn rejects_bad_timestamps() {
        for bad in [
            "",
            "2021",
            "2021-13-01",
            "2021-02-29",
            "2021-06-01T25:00:00Z",
            "2021-06-01T10:00:00X",
            "2021-06-01T10:00:00.Z",
            "20210601",
            "2021-06-01T10:00:00+2",
            "-001-01-01",
        ] {
            assert_eq!(UnixTime::parse_rfc3339(bad), None, "{bad}");
        }
        assert!(UnixTime::parse_rfc3339("2020-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn civil_round_trip() {
        for secs in [0, 86_399, 951_782_400, 4_102_444_800, -2_208_988_800] {
            let t = UnixTime::from_secs(secs);
            assert_eq!(UnixTime::parse_rfc3339(&t.to_string()), Some(t));
        }
    }
}
