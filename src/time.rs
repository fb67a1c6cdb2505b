//! Time as a value: the core never reads the clock, callers pass `now`.

use core::fmt;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(i64);

/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar (Hinnant's algorithm).
const DAYS_TO_EPOCH: i64 = 719_468;
/// Seconds in a civil day (no leap seconds).
pub(crate) const SECS_PER_DAY: i64 = 86_400;
/// Seconds in an hour.
pub(crate) const SECS_PER_HOUR: i64 = 3_600;
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

    /// The time `days` whole days later (earlier if negative), if representable.
    pub(crate) fn checked_add_days(self, days: i64) -> Option<Self> {
        self.checked_add_secs(days.checked_mul(SECS_PER_DAY)?)
    }

    /// The last second of the day that starts at `self` (a day's midnight, in any zone).
    pub(crate) fn end_of_day(self) -> Option<Self> {
        self.checked_add_secs(SECS_PER_DAY.checked_sub(1)?)
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
                let magnitude = seconds_of_day(oh, om, 0)?;
                if *sign == b'-' {
                    magnitude.wrapping_neg() // safe: at most 86,340
                } else {
                    magnitude
                }
            }
            _ => return None,
        };
        date.checked_add_secs(seconds_of_day(hour, minute, second)?.checked_sub(offset)?)
    }

    /// The number of the UTC calendar day holding this time, in days since 1970-01-01 (for a
    /// date held as midnight UTC, the number of that date).
    pub fn day_number(self) -> i64 {
        self.0.div_euclid(SECS_PER_DAY)
    }

    /// The calendar date and time of day in UTC: (year, month, day, hour, minute, second).
    pub fn to_civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(SECS_PER_DAY);
        let secs = self.0.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        let hms = u32::try_from(secs).unwrap_or(0); // safe: rem_euclid gives 0..86400
        (year, month, day, hms / 3_600, hms / 60 % 60, hms % 60)
    }
}

/// A civil time zone in which calendar days are counted. Only the two the French rules need:
/// UTC, and `Europe/Paris` (CET, UTC+1, and CEST, UTC+2, under the EU summer-time rule: from
/// the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC), which needs
/// no time-zone database for dates since 1996, when the EU rule took its present form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeZone {
    /// Coordinated Universal Time.
    Utc,
    /// France (metropolitan): CET/CEST.
    EuropeParis,
}

impl TimeZone {
    /// Every supported zone.
    pub const ALL: [Self; 2] = [Self::EuropeParis, Self::Utc];

    /// The IANA name: `UTC` or `Europe/Paris`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Utc => "UTC",
            Self::EuropeParis => "Europe/Paris",
        }
    }

    /// The zone with this IANA name (exactly `UTC` or `Europe/Paris`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|z| z.name() == name)
    }

    /// The offset from UTC, in seconds, in force at the instant `utc`.
    pub fn offset_secs(self, utc: UnixTime) -> i64 {
        match self {
            Self::Utc => 0,
            Self::EuropeParis if is_paris_summer_time(utc) => 7_200,
            Self::EuropeParis => 3_600,
        }
    }

    /// The number (days since 1970-01-01) of the civil day in this zone holding the instant
    /// `utc`; `None` only at the ends of the `i64` range.
    pub fn day_number(self, utc: UnixTime) -> Option<i64> {
        utc.checked_add_secs(self.offset_secs(utc))
            .map(UnixTime::day_number)
    }

    /// The instant of a civil time in this zone, given as if it were UTC (e.g. `10:00` in
    /// Paris as `10:00Z`). A time skipped in spring is read with the winter offset; a time
    /// repeated in autumn is its first occurrence.
    pub fn to_utc(self, local: UnixTime) -> Option<UnixTime> {
        match self {
            Self::Utc => Some(local),
            Self::EuropeParis => {
                let summer = local.checked_sub_secs(7_200)?;
                if is_paris_summer_time(summer) {
                    Some(summer)
                } else {
                    local.checked_sub_secs(3_600)
                }
            }
        }
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whether Paris is on summer time (UTC+2) at the instant `utc`: from the last Sunday of March
/// 01:00 UTC to the last Sunday of October 01:00 UTC.
fn is_paris_summer_time(utc: UnixTime) -> bool {
    let (year, ..) = utc.to_civil();
    let switch = |month: u32| -> Option<UnixTime> {
        let last = UnixTime::from_date(year, month, 31)?;
        // 1970-01-01 was a Thursday: day 0 has weekday 4 (Sunday = 0).
        let weekday = last.day_number().checked_add(4)?.rem_euclid(7);
        last.checked_sub_secs(weekday.checked_mul(SECS_PER_DAY)?)?
            .checked_add_secs(3_600)
    };
    match (switch(3), switch(10)) {
        (Some(start), Some(end)) => utc >= start && utc < end,
        _ => false,
    }
}

/// RFC 3339 in UTC, e.g. `2021-06-01T10:00:00Z`.
impl fmt::Display for UnixTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.to_civil();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
}

/// Seconds from midnight to `hours:minutes:seconds` (values unchecked against a clock face).
pub(crate) fn seconds_of_day(hours: i64, minutes: i64, seconds: i64) -> Option<i64> {
    hours
        .checked_mul(SECS_PER_HOUR)?
        .checked_add(minutes.checked_mul(60)?)?
        .checked_add(seconds)
}

#[allow(clippy::arithmetic_side_effects)] // safe: at most 4 digits, so at most 9999
fn parse_digits(bytes: &[u8], start: usize, len: usize) -> Option<i64> {
    let digits = bytes.get(start..start.checked_add(len)?)?;
    digits.iter().try_fold(0i64, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

pub(crate) fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in `month` (1 to 12) of `year`.
pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's `days_from_civil` / `civil_from_days`. Callers bound the input: years to
// 0..=9999 here, to a JavaScript Date's ±275,760 in CertLogic, days likewise, far from overflow.
#[allow(clippy::arithmetic_side_effects, clippy::as_conversions)] // safe: bounded as above
/// Days from 1970-01-01 to the date (month 1 to 12, day from 1; a larger day runs on).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
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
/// The date (year, month, day) `days` after 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
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

    fn at(text: &str) -> UnixTime {
        UnixTime::parse_rfc3339(text).unwrap()
    }

    #[test]
    fn paris_time_follows_summer_time() {
        // Winter: 10:00 in Paris is 09:00 UTC; summer: 08:00 UTC.
        for (zone, local, utc) in [
            (
                TimeZone::EuropeParis,
                "2022-01-10T10:00:00Z",
                "2022-01-10T09:00:00Z",
            ),
            (
                TimeZone::EuropeParis,
                "2022-07-10T10:00:00Z",
                "2022-07-10T08:00:00Z",
            ),
            (
                TimeZone::Utc,
                "2022-07-10T10:00:00Z",
                "2022-07-10T10:00:00Z",
            ),
        ] {
            assert_eq!(zone.to_utc(at(local)), Some(at(utc)), "{zone} {local}");
        }
        // 2022 switches: 27 March and 30 October at 01:00 UTC.
        assert!(is_paris_summer_time(at("2022-03-27T01:00:00Z")));
        assert!(!is_paris_summer_time(at("2022-03-27T00:59:59Z")));
        assert!(is_paris_summer_time(at("2022-10-30T00:59:59Z")));
        assert!(!is_paris_summer_time(at("2022-10-30T01:00:00Z")));
    }

    #[test]
    fn civil_days_in_a_zone() {
        let day = |text| at(text).day_number();
        let paris = TimeZone::EuropeParis;
        for (zone, instant, date) in [
            // 00:30 in Paris is already the next day there, still the previous one in UTC.
            (TimeZone::Utc, "2022-01-10T23:30:00Z", "2022-01-10"),
            (paris, "2022-01-10T23:30:00Z", "2022-01-11"),
            (paris, "2022-01-10T22:59:59Z", "2022-01-10"),
            // Summer: the Paris day starts at 22:00 UTC.
            (paris, "2022-07-10T22:00:00Z", "2022-07-11"),
            (paris, "2022-07-10T21:59:59Z", "2022-07-10"),
        ] {
            assert_eq!(
                zone.day_number(at(instant)),
                Some(day(date)),
                "{zone} {instant}"
            );
        }
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(UnixTime::from_secs(-1).day_number(), -1);
        for zone in TimeZone::ALL {
            assert_eq!(TimeZone::from_name(zone.name()), Some(zone));
        }
        assert_eq!(TimeZone::from_name("europe/paris"), None);
        assert_eq!(TimeZone::from_name("CET"), None);
    }
}
