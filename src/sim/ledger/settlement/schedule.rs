//! When batches are cut and how long until they are paid: the simulator's
//! `--payout-schedule` flag (`daily`, `daily:D`, `weekly:DAY[:D]`, `manual`),
//! shared by every dialect (docs/trx-gateway.md, "Settlement batches").

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveTime, TimeDelta, Utc, Weekday};

/// Days between a cut-off and its pay date when the flag does not say.
pub const DEFAULT_DELAY_DAYS: u8 = 2;
/// The longest settlement delay the flag accepts.
pub const MAX_DELAY_DAYS: u8 = 14;

const GRAMMAR: &str = "write daily, daily:D, weekly:DAY or weekly:DAY:D, or manual \
(D = days until paid, 0 to 14; DAY = mon, tue, wed, thu, fri, sat or sun), e.g. weekly:mon:3";

/// Which days have a cut-off (00:00 UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cadence {
    Daily,
    Weekly(Weekday),
    /// No batches are made.
    Manual,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub cadence: Cadence,
    /// Days from a cut-off to its pay date.
    pub delay_days: u8,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            cadence: Cadence::Daily,
            delay_days: DEFAULT_DELAY_DAYS,
        }
    }
}

impl Schedule {
    /// Whether a cut-off falls at `midnight` (a 00:00 UTC instant).
    pub fn cuts_at(&self, midnight: DateTime<Utc>) -> bool {
        match self.cadence {
            Cadence::Daily => true,
            Cadence::Weekly(day) => midnight.weekday() == day,
            Cadence::Manual => false,
        }
    }

    /// When the batch closed at `cutoff` is paid.
    pub fn pay_date(&self, cutoff: DateTime<Utc>) -> DateTime<Utc> {
        cutoff + TimeDelta::days(i64::from(self.delay_days))
    }
}

/// The first 00:00 UTC strictly after `t`.
pub fn next_midnight(t: DateTime<Utc>) -> DateTime<Utc> {
    let today = t.date_naive().and_time(NaiveTime::MIN).and_utc();
    today + TimeDelta::days(1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    UnknownCadence(String),
    UnknownDay(String),
    BadDelay(String),
    MissingDay,
    TooManyParts,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleError::UnknownCadence(s) => {
                write!(f, "payout schedule {s:?} is not one we know: {GRAMMAR}")
            }
            ScheduleError::UnknownDay(s) => {
                write!(f, "{s:?} is not a day of the week: {GRAMMAR}")
            }
            ScheduleError::BadDelay(s) => {
                write!(
                    f,
                    "settlement delay {s:?} is not a whole number of days from 0 to {MAX_DELAY_DAYS}: {GRAMMAR}"
                )
            }
            ScheduleError::MissingDay => write!(f, "weekly needs a day: {GRAMMAR}"),
            ScheduleError::TooManyParts => write!(f, "too many ':' parts: {GRAMMAR}"),
        }
    }
}

impl std::error::Error for ScheduleError {}

fn parse_delay(text: &str) -> Result<u8, ScheduleError> {
    match text.parse::<u8>() {
        Ok(d) if d <= MAX_DELAY_DAYS && !text.starts_with('+') => Ok(d),
        _ => Err(ScheduleError::BadDelay(text.to_string())),
    }
}

fn parse_day(text: &str) -> Result<Weekday, ScheduleError> {
    const DAYS: [(&str, Weekday); 7] = [
        ("mon", Weekday::Mon),
        ("tue", Weekday::Tue),
        ("wed", Weekday::Wed),
        ("thu", Weekday::Thu),
        ("fri", Weekday::Fri),
        ("sat", Weekday::Sat),
        ("sun", Weekday::Sun),
    ];
    let lower = text.to_ascii_lowercase();
    DAYS.iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, day)| *day)
        .ok_or_else(|| ScheduleError::UnknownDay(text.to_string()))
}

impl FromStr for Schedule {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let parts: Vec<&str> = text.splitn(4, ':').collect();
        let (cadence, delay) = match parts.as_slice() {
            [kind, rest @ ..] if kind.eq_ignore_ascii_case("daily") => match rest {
                [] => (Cadence::Daily, None),
                [d] => (Cadence::Daily, Some(*d)),
                _ => return Err(ScheduleError::TooManyParts),
            },
            [kind, rest @ ..] if kind.eq_ignore_ascii_case("weekly") => match rest {
                [] => return Err(ScheduleError::MissingDay),
                [day] => (Cadence::Weekly(parse_day(day)?), None),
                [day, d] => (Cadence::Weekly(parse_day(day)?), Some(*d)),
                _ => return Err(ScheduleError::TooManyParts),
            },
            [kind] if kind.eq_ignore_ascii_case("manual") => (Cadence::Manual, None),
            [kind, ..] if kind.eq_ignore_ascii_case("manual") => {
                return Err(ScheduleError::TooManyParts);
            }
            _ => return Err(ScheduleError::UnknownCadence(text.to_string())),
        };
        let delay_days = delay
            .map(parse_delay)
            .transpose()?
            .unwrap_or(DEFAULT_DELAY_DAYS);
        Ok(Schedule {
            cadence,
            delay_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Schedule {
        match text.parse() {
            Ok(s) => s,
            Err(e) => panic!("{text:?} should parse: {e}"),
        }
    }

    #[test]
    fn every_form_of_the_grammar_parses() {
        let daily = |delay_days| Schedule {
            cadence: Cadence::Daily,
            delay_days,
        };
        let weekly = |day, delay_days| Schedule {
            cadence: Cadence::Weekly(day),
            delay_days,
        };
        assert_eq!(parsed("daily"), daily(2));
        assert_eq!(parsed("daily:0"), daily(0));
        assert_eq!(parsed("daily:14"), daily(14));
        assert_eq!(parsed("weekly:mon"), weekly(Weekday::Mon, 2));
        assert_eq!(parsed("Weekly:SUN:3"), weekly(Weekday::Sun, 3));
        assert_eq!(parsed("manual").cadence, Cadence::Manual);
        assert_eq!(parsed("daily"), Schedule::default());
    }

    #[test]
    fn bad_schedules_say_what_to_write() {
        for bad in [
            "",
            "hourly",
            "daily:15",
            "daily:-1",
            "daily:+3",
            "daily:x",
            "weekly",
            "weekly:funday",
            "weekly:mon:99",
            "daily:1:2",
            "manual:2",
            "weekly:mon:1:2",
        ] {
            match bad.parse::<Schedule>() {
                Ok(s) => panic!("{bad:?} parsed as {s:?}"),
                Err(e) => assert!(e.to_string().contains("weekly:mon:3"), "{bad:?}: {e}"),
            }
        }
    }

    #[test]
    fn weekly_cuts_only_on_its_day_and_manual_never() {
        // 2026-11-30 is a Monday.
        let monday = "2026-11-30T00:00:00Z".parse::<DateTime<Utc>>().unwrap();
        let tuesday = monday + TimeDelta::days(1);
        let weekly = parsed("weekly:mon:3");
        assert!(weekly.cuts_at(monday) && !weekly.cuts_at(tuesday));
        assert_eq!(weekly.pay_date(monday), monday + TimeDelta::days(3));
        assert!(!parsed("manual").cuts_at(monday));
        assert_eq!(next_midnight(monday), tuesday);
        assert_eq!(next_midnight(monday + TimeDelta::hours(23)), tuesday);
    }
}
