//! The time zone times are shown in and filter dates are counted in: UTC, the
//! system's own zone, or a fixed offset such as `+10:00`. Times are kept in UTC
//! everywhere else; a zone only turns an instant into a wall clock and back.

use std::fmt;

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

/// The longest offset a zone can have: real zones stay within ±14:00.
const MAX_OFFSET_SECS: i32 = 14 * 3_600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Zone {
    Utc,
    /// The system's zone, its offset looked up for each instant so daylight saving is
    /// right on both sides of a change.
    #[default]
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    /// `"UTC"`, `"local"`, `"+10:00"` or `"-03:30"`; the error says what to write.
    pub fn parse(text: &str) -> Result<Zone, String> {
        let trimmed = text.trim();
        match trimmed.to_ascii_lowercase().as_str() {
            "utc" | "z" => return Ok(Zone::Utc),
            "local" => return Ok(Zone::Local),
            _ => {}
        }
        fixed(trimmed).map(Zone::Fixed).ok_or_else(|| {
            format!("no time zone {text:?}; write \"local\", \"UTC\" or an offset like \"+10:00\"")
        })
    }

    /// The offset from UTC at `t`.
    pub fn offset_at(self, t: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Utc => Utc.fix(),
            Zone::Local => Local.offset_from_utc_datetime(&t.naive_utc()),
            Zone::Fixed(offset) => offset,
        }
    }

    /// `t` on this zone's wall clock.
    pub fn at(self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset_at(t))
    }

    /// The day `t` falls on in this zone.
    pub fn day_of(self, t: DateTime<Utc>) -> NaiveDate {
        self.at(t).date_naive()
    }

    /// When `day` starts in this zone. A local midnight skipped by daylight saving
    /// starts the day at the first instant that exists.
    pub fn midnight(self, day: NaiveDate) -> DateTime<Utc> {
        let wall = day.and_time(chrono::NaiveTime::MIN);
        match self {
            Zone::Utc => Utc.from_utc_datetime(&wall),
            Zone::Fixed(offset) => utc_of(&offset, wall),
            Zone::Local => utc_of(&Local, wall),
        }
    }

    /// For column headers: `UTC`, `+10:00`; the system's zone by its offset now.
    pub fn label(self, now: DateTime<Utc>) -> String {
        match self {
            Zone::Utc => "UTC".into(),
            _ => {
                let offset = self.offset_at(now);
                if offset.local_minus_utc() == 0 {
                    "UTC".into()
                } else {
                    offset.to_string()
                }
            }
        }
    }
}

impl fmt::Display for Zone {
    /// As written in the config.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Utc => f.write_str("UTC"),
            Zone::Local => f.write_str("local"),
            Zone::Fixed(offset) => write!(f, "{offset}"),
        }
    }
}

/// `+HH:MM` or `-HH:MM`, within ±14:00.
fn fixed(text: &str) -> Option<FixedOffset> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (hours, minutes) = text.get(1..)?.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if minutes >= 60 {
        return None;
    }
    let secs = hours * 3_600 + minutes * 60;
    if secs > MAX_OFFSET_SECS {
        return None;
    }
    FixedOffset::east_opt(sign * secs)
}

/// The instant a wall-clock time names in `zone`: the earlier of two in a repeated
/// hour, the end of the gap for a skipped one.
fn utc_of<Z: TimeZone>(zone: &Z, wall: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&wall).earliest() {
        Some(t) => t.with_timezone(&Utc),
        None => {
            // A gap is at most a few hours; the first whole hour after it exists.
            let later = (1..=3)
                .filter_map(|h| wall.checked_add_signed(chrono::Duration::hours(h)))
                .find_map(|w| zone.from_local_datetime(&w).earliest());
            later.map_or_else(|| Utc.from_utc_datetime(&wall), |t| t.with_timezone(&Utc))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plus_ten() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(10 * 3_600).unwrap())
    }

    #[test]
    fn parses_utc_local_and_offsets() {
        assert_eq!(Zone::parse("UTC"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("utc"), Ok(Zone::Utc));
        assert_eq!(Zone::parse("local"), Ok(Zone::Local));
        assert_eq!(Zone::parse("+10:00"), Ok(plus_ten()));
        assert_eq!(
            Zone::parse("-03:30"),
            Ok(Zone::Fixed(
                FixedOffset::west_opt(3 * 3_600 + 1_800).unwrap()
            ))
        );
        for bad in [
            "",
            "+10",
            "10:00",
            "+1:00",
            "+10:60",
            "+15:00",
            "Australia/Sydney",
            "+aa:bb",
        ] {
            let err = Zone::parse(bad).unwrap_err();
            assert!(err.contains("\"+10:00\""), "{bad}: {err}");
        }
    }

    #[test]
    fn labels_say_the_offset() {
        let now = Utc::now();
        assert_eq!(Zone::Utc.label(now), "UTC");
        assert_eq!(plus_ten().label(now), "+10:00");
        assert_eq!(Zone::parse("-03:30").unwrap().label(now), "-03:30");
        assert_eq!(plus_ten().to_string(), "+10:00");
    }

    #[test]
    fn days_start_at_the_zones_midnight() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(
            plus_ten().midnight(day).to_rfc3339(),
            "2026-11-23T14:00:00+00:00"
        );
        assert_eq!(
            Zone::Utc.midnight(day).to_rfc3339(),
            "2026-11-24T00:00:00+00:00"
        );
        let late = Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap();
        assert_eq!(plus_ten().day_of(late), day);
        assert_eq!(Zone::Utc.day_of(late), day.pred_opt().unwrap());
    }

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        for zone in [Zone::Local, plus_ten(), Zone::parse("-10:00").unwrap()] {
            for day in [NaiveDate::MIN, NaiveDate::MAX] {
                let _ = zone.midnight(day);
            }
        }
    }
}
