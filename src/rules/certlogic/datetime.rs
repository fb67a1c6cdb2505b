//! CertLogic date-times: the formats `plusTime` and `dccDateOfBirth` read, and the arithmetic
//! of JavaScript's `Date.setUTC*` methods, which the specification defines `plusTime` by.

// Every quantity here is bounded: parsed years are 4 digits, `plus` refuses amounts that leave
// the range of a Date, and results are checked against that range (±8.64e15 ms, far inside i64).
#![allow(clippy::arithmetic_side_effects)]

use core::fmt;

use crate::time::{civil_from_days, days_from_civil, days_in_month};

/// A point in time in milliseconds since 1970-01-01T00:00:00Z, within the range of a
/// JavaScript `Date` (±8.64e15 ms, about ±273,790 years).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime(i64);

/// The largest magnitude a JavaScript `Date` holds (ECMA-262 TimeClip).
const MAX_MS: i64 = 8_640_000_000_000_000;
const MS_PER_SECOND: i64 = 1_000;
const MS_PER_MINUTE: i64 = 60_000;
const MS_PER_HOUR: i64 = 3_600_000;
const MS_PER_DAY: i64 = 86_400_000;

/// A unit of `plusTime`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// `setUTCFullYear(getUTCFullYear() + n)`.
    Year,
    /// `setUTCMonth(getUTCMonth() + n)`.
    Month,
    /// `setUTCDate(getUTCDate() + n)`.
    Day,
    /// `setUTCHours(getUTCHours() + n)`.
    Hour,
}

impl TimeUnit {
    /// The unit named `year`, `month`, `day` or `hour`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "year" => Self::Year,
            "month" => Self::Month,
            "day" => Self::Day,
            "hour" => Self::Hour,
            _ => return None,
        })
    }
}

/// Why a text is not a CertLogic date-time, or a result is out of range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateTimeError {
    /// Not one of the allowed formats, or not a real date or time of day.
    #[error("not an allowed date or date-time")]
    Format,
    /// Outside the range of a JavaScript `Date`.
    #[error("date-time out of range")]
    Range,
}

impl DateTime {
    /// Milliseconds since the Unix epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// The time `millis` after the epoch, if a JavaScript `Date` can hold it.
    ///
    /// # Errors
    /// [`DateTimeError::Range`] beyond ±8.64e15 ms.
    pub fn from_millis(millis: i64) -> Result<Self, DateTimeError> {
        if millis.checked_abs().is_some_and(|m| m <= MAX_MS) {
            Ok(Self(millis))
        } else {
            Err(DateTimeError::Range)
        }
    }

    /// Parses a date or date-time in the formats of the specification: `YYYY`, `YYYY-MM`
    /// (read as `dccDateOfBirth` reads them: the last day they can mean), `YYYY-MM-DD`, and
    /// `YYYY-MM-DDThh:mm:ss` with optional fraction (truncated to milliseconds) and offset
    /// (`Z`, `±h`, `±hh`, `±hmm`, `±hhmm`, `±h:mm`, `±hh:mm`; none means `Z`).
    ///
    /// # Errors
    /// [`DateTimeError::Format`] for any other text or a date or time that does not exist.
    pub fn parse(text: &str) -> Result<Self, DateTimeError> {
        let b = text.as_bytes();
        match b.len() {
            4 => return Self::last_day_of(digits(b, 0, 4)?, 12),
            7 if b.get(4) == Some(&b'-') => {
                return Self::last_day_of(digits(b, 0, 4)?, two_digits(b, 5)?)
            }
            _ => {}
        }
        let (year, month, day) = (digits(b, 0, 4)?, two_digits(b, 5)?, two_digits(b, 8)?);
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(DateTimeError::Format);
        }
        let date = Self::from_date(year, month, day)?;
        let Some(rest) = b.get(10..).filter(|rest| !rest.is_empty()) else {
            return Ok(date);
        };
        let time = rest.get(1..).ok_or(DateTimeError::Format)?;
        if rest.first() != Some(&b'T') || time.get(2) != Some(&b':') || time.get(5) != Some(&b':') {
            return Err(DateTimeError::Format);
        }
        let (hour, minute, second) = (
            digits(time, 0, 2)?,
            digits(time, 3, 2)?,
            digits(time, 6, 2)?,
        );
        if hour > 23 || minute > 59 || second > 59 {
            return Err(DateTimeError::Format);
        }
        let mut tail = time.get(8..).ok_or(DateTimeError::Format)?;
        let mut millis = 0;
        if let Some(fraction) = tail.strip_prefix(b".") {
            let count = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if count == 0 {
                return Err(DateTimeError::Format);
            }
            // Digits past the third are dropped: rounding down to the millisecond.
            for place in 0..3 {
                let digit = if place < count {
                    digits(fraction, place, 1)?
                } else {
                    0
                };
                millis = millis * 10 + digit;
            }
            tail = fraction.get(count..).ok_or(DateTimeError::Format)?;
        }
        let offset_minutes = offset(tail)?;
        let local = hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * MS_PER_SECOND + millis;
        Self::from_millis(date.0 + local - offset_minutes * MS_PER_MINUTE)
    }

    /// `dccDateOfBirth`: `YYYY` is December 31, `YYYY-MM` the month's last day, `YYYY-MM-DD`
    /// that day, each at midnight UTC (the last date the text is consistent with).
    ///
    /// # Errors
    /// [`DateTimeError::Format`] for any other text.
    pub fn parse_date_of_birth(text: &str) -> Result<Self, DateTimeError> {
        if text.len() > 10 {
            return Err(DateTimeError::Format);
        }
        Self::parse(text)
    }

    fn last_day_of(year: i64, month: u32) -> Result<Self, DateTimeError> {
        if !(1..=12).contains(&month) {
            return Err(DateTimeError::Format);
        }
        Self::from_date(year, month, days_in_month(year, month))
    }

    fn from_date(year: i64, month: u32, day: u32) -> Result<Self, DateTimeError> {
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return Err(DateTimeError::Format);
        }
        Self::from_millis(days_from_civil(year, month, day) * MS_PER_DAY)
    }

    /// `plusTime`'s arithmetic: `amount` units later (earlier if negative), as JavaScript's
    /// `setUTC*` methods do it (the other fields kept, overflowing days carried on: 2020-01-31
    /// plus one month is 2020-03-02, 2020-02-29 plus one year is 2021-03-01).
    ///
    /// # Errors
    /// [`DateTimeError::Range`] when the result is beyond the range of a `Date`.
    pub fn plus(self, amount: i64, unit: TimeUnit) -> Result<Self, DateTimeError> {
        let range = DateTimeError::Range;
        // Any amount beyond these leaves the range of a Date whatever the start.
        let bound = match unit {
            TimeUnit::Year => 600_000,
            TimeUnit::Month => 7_200_000,
            TimeUnit::Day => 200_000_000,
            TimeUnit::Hour => 4_800_000_000,
        };
        if amount.checked_abs().is_none_or(|a| a > bound) {
            return Err(range);
        }
        let days = self.0.div_euclid(MS_PER_DAY);
        let time_of_day = self.0.rem_euclid(MS_PER_DAY);
        let millis = match unit {
            TimeUnit::Hour => self.0 + amount * MS_PER_HOUR,
            TimeUnit::Day => self.0 + amount * MS_PER_DAY,
            TimeUnit::Month | TimeUnit::Year => {
                let (year, month, day) = civil_from_days(days);
                let month = i64::from(month);
                let months = match unit {
                    TimeUnit::Year => (year + amount) * 12 + month - 1,
                    _ => year * 12 + month - 1 + amount,
                };
                let year = months.div_euclid(12);
                let month = u32::try_from(months.rem_euclid(12) + 1).map_err(|_| range)?;
                // ECMA-262 MakeDay: the first of the month, then the day number added.
                (days_from_civil(year, month, 1) + i64::from(day) - 1) * MS_PER_DAY + time_of_day
            }
        };
        Self::from_millis(millis)
    }
}

/// `YYYY-MM-DDThh:mm:ss.sssZ`, as JavaScript's `toISOString` (years past 9999 as `+YYYYYY`).
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = civil_from_days(self.0.div_euclid(MS_PER_DAY));
        let ms = self.0.rem_euclid(MS_PER_DAY);
        let (h, m, s, milli) = (
            ms / MS_PER_HOUR,
            ms / MS_PER_MINUTE % 60,
            ms / MS_PER_SECOND % 60,
            ms % MS_PER_SECOND,
        );
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}")?;
        } else {
            write!(f, "{}{:06}", if year < 0 { '-' } else { '+' }, year.abs())?;
        }
        write!(f, "-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z")
    }
}

/// The number in `len` ASCII digits at `start` (at most 4, so no overflow).
fn digits(bytes: &[u8], start: usize, len: usize) -> Result<i64, DateTimeError> {
    let field = bytes.get(start..start + len).ok_or(DateTimeError::Format)?;
    field.iter().try_fold(0, |acc, c| {
        if c.is_ascii_digit() {
            Ok(acc * 10 + i64::from(c - b'0'))
        } else {
            Err(DateTimeError::Format)
        }
    })
}

/// A two-digit field (month, day) as a number.
fn two_digits(bytes: &[u8], start: usize) -> Result<u32, DateTimeError> {
    u32::try_from(digits(bytes, start, 2)?).map_err(|_| DateTimeError::Format)
}

/// A time-zone offset in minutes east of UTC: nothing or `Z` is 0.
fn offset(tail: &[u8]) -> Result<i64, DateTimeError> {
    let (sign, rest) = match tail {
        [] | [b'Z'] => return Ok(0),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        _ => return Err(DateTimeError::Format),
    };
    let (hours, minutes) = match rest {
        [_] => (digits(rest, 0, 1)?, 0),
        [_, _] => (digits(rest, 0, 2)?, 0),
        [_, b':', _, _] => (digits(rest, 0, 1)?, digits(rest, 2, 2)?),
        [_, _, _] => (digits(rest, 0, 1)?, digits(rest, 1, 2)?),
        [_, _, b':', _, _] => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
        [_, _, _, _] => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
        _ => return Err(DateTimeError::Format),
    };
    if hours > 23 || minutes > 59 {
        return Err(DateTimeError::Format);
    }
    Ok(sign * (hours * 60 + minutes))
}
