//! The period `:stats` looks at: the hour, day, week (Monday to Sunday) or month that
//! holds an instant, on the wall clock of the zone times are shown in, cut into the
//! buckets its charts draw. Bucket edges are instants, found from the wall clock, so a
//! day that daylight saving makes 23 or 25 hours long has 23 or 25 hourly buckets.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Timelike, Utc};

use crate::timezone::Zone;

/// How much one period covers, and so how big its buckets are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zoom {
    /// Twelve buckets of five minutes.
    Hour,
    /// A bucket per hour.
    Day,
    /// A bucket per day, Monday first.
    Week,
    /// A bucket per day.
    Month,
}

impl Zoom {
    pub fn name(self) -> &'static str {
        match self {
            Zoom::Hour => "hour",
            Zoom::Day => "day",
            Zoom::Week => "week",
            Zoom::Month => "month",
        }
    }

    /// One step closer (`+`): a month shows its weeks, a day its hours.
    pub fn finer(self) -> Option<Zoom> {
        match self {
            Zoom::Hour => None,
            Zoom::Day => Some(Zoom::Hour),
            Zoom::Week => Some(Zoom::Day),
            Zoom::Month => Some(Zoom::Week),
        }
    }

    /// One step further out (`-`).
    pub fn coarser(self) -> Option<Zoom> {
        match self {
            Zoom::Hour => Some(Zoom::Day),
            Zoom::Day => Some(Zoom::Week),
            Zoom::Week => Some(Zoom::Month),
            Zoom::Month => None,
        }
    }

    /// What one bucket is, for a table's heading.
    pub fn bucket_name(self) -> &'static str {
        match self {
            Zoom::Hour => "5 minutes",
            Zoom::Day => "hour",
            Zoom::Week | Zoom::Month => "day",
        }
    }
}

/// A stretch of time `[start, end)` and the start of each of its buckets (the first is
/// `start`; each ends where the next starts, the last at `end`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub zoom: Zoom,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub buckets: Vec<DateTime<Utc>>,
}

impl Period {
    /// The period of `zoom` that holds `t`, on `zone`'s wall clock.
    pub fn containing(zoom: Zoom, t: DateTime<Utc>, zone: Zone) -> Period {
        let day = zone.day_of(t);
        let (start, end) = match zoom {
            Zoom::Hour => {
                // The wall clock's hour began its minutes and seconds ago, whatever the
                // offset (a +05:30 zone's hours start at its own :00).
                let wall = zone.at(t);
                let into = Duration::seconds(i64::from(wall.minute() * 60 + wall.second()))
                    + Duration::nanoseconds(i64::from(wall.nanosecond() % 1_000_000_000));
                let start = t - into;
                (start, start + Duration::hours(1))
            }
            Zoom::Day => (zone.midnight(day), zone.midnight(next_day(day))),
            Zoom::Week => {
                let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                (
                    zone.midnight(monday),
                    zone.midnight(monday + Duration::days(7)),
                )
            }
            Zoom::Month => {
                let first = day.with_day(1).unwrap_or(day);
                let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
                (zone.midnight(first), zone.midnight(next))
            }
        };
        let buckets = match zoom {
            Zoom::Hour => (0..12).map(|i| start + Duration::minutes(5 * i)).collect(),
            Zoom::Day => {
                let mut edges = Vec::with_capacity(25);
                let mut at = start;
                while at < end {
                    edges.push(at);
                    at += Duration::hours(1);
                }
                edges
            }
            Zoom::Week | Zoom::Month => {
                let mut edges = Vec::with_capacity(31);
                let mut on = zone.day_of(start);
                while zone.midnight(on) < end {
                    edges.push(zone.midnight(on));
                    on = next_day(on);
                }
                edges
            }
        };
        Period {
            zoom,
            start,
            end,
            buckets,
        }
    }

    /// The period before this one (`[`).
    pub fn earlier(&self, zone: Zone) -> Period {
        Period::containing(self.zoom, self.start - Duration::milliseconds(1), zone)
    }

    /// The period after this one (`]`).
    pub fn later(&self, zone: Zone) -> Period {
        Period::containing(self.zoom, self.end, zone)
    }

    /// The same instant's period at another zoom.
    pub fn zoomed(&self, zoom: Zoom, zone: Zone) -> Period {
        Period::containing(zoom, self.start, zone)
    }

    pub fn holds(&self, t: DateTime<Utc>) -> bool {
        self.start <= t && t < self.end
    }

    /// The bucket `t` falls in, if it falls in the period.
    pub fn bucket_of(&self, t: DateTime<Utc>) -> Option<usize> {
        if !self.holds(t) {
            return None;
        }
        Some(self.buckets.partition_point(|start| *start <= t) - 1)
    }

    /// Where bucket `index` ends.
    pub fn bucket_end(&self, index: usize) -> DateTime<Utc> {
        self.buckets.get(index + 1).copied().unwrap_or(self.end)
    }

    /// The period in words: `14:00–15:00 Mon 30 Nov 2026`, `Mon 30 Nov 2026`,
    /// `week of Mon 30 Nov 2026`, `November 2026`.
    pub fn label(&self, zone: Zone) -> String {
        let start = zone.at(self.start);
        match self.zoom {
            Zoom::Hour => format!(
                "{}–{} {}",
                start.format("%H:%M"),
                zone.at(self.end).format("%H:%M"),
                start.format("%a %-d %b %Y")
            ),
            Zoom::Day => start.format("%a %-d %b %Y").to_string(),
            Zoom::Week => format!("week of {}", start.format("%a %-d %b %Y")),
            Zoom::Month => start.format("%B %Y").to_string(),
        }
    }

    /// A bucket's short name under a chart: `14:05`, `14`, `Mon`, `30`.
    pub fn bucket_label(&self, index: usize, zone: Zone) -> String {
        let Some(start) = self.buckets.get(index) else {
            return String::new();
        };
        let wall = zone.at(*start);
        match self.zoom {
            Zoom::Hour => wall.format("%H:%M").to_string(),
            Zoom::Day => wall.format("%H").to_string(),
            Zoom::Week => wall.format("%a").to_string(),
            Zoom::Month => wall.format("%-d").to_string(),
        }
    }

    /// A bucket's start for the table, whose heading gives the rest: `14:05` within
    /// an hour or a day, `2026-11-30` within a week or a month.
    pub fn bucket_start_text(&self, index: usize, zone: Zone) -> String {
        let format = match self.zoom {
            Zoom::Hour | Zoom::Day => "%H:%M",
            Zoom::Week | Zoom::Month => "%Y-%m-%d",
        };
        self.buckets
            .get(index)
            .map(|start| zone.at(*start).format(format).to_string())
            .unwrap_or_default()
    }
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 7).unwrap()
    }

    #[test]
    fn a_day_has_an_hourly_bucket_each_and_holds_its_own_instants() {
        let p = Period::containing(Zoom::Day, utc(2026, 11, 30, 14, 3), Zone::Utc);
        assert_eq!(
            p.start,
            Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap()
        );
        assert_eq!(p.end, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!(p.buckets.len(), 24);
        assert_eq!(p.bucket_of(utc(2026, 11, 30, 14, 3)), Some(14));
        assert_eq!(p.bucket_of(p.start), Some(0));
        assert_eq!(p.bucket_of(p.end), None);
        assert_eq!(p.bucket_end(23), p.end);
        assert_eq!(p.label(Zone::Utc), "Mon 30 Nov 2026");
        assert_eq!(p.bucket_label(14, Zone::Utc), "14");
    }

    #[test]
    fn an_hour_in_a_half_hour_zone_starts_at_its_own_wall_clock_hour() {
        let zone = Zone::Fixed(FixedOffset::east_opt(5 * 3600 + 1800).unwrap());
        // 14:03 UTC is 19:33 at +05:30: that hour began at 19:00 there, 13:30 UTC.
        let p = Period::containing(Zoom::Hour, utc(2026, 11, 30, 14, 3), zone);
        assert_eq!(
            p.start,
            Utc.with_ymd_and_hms(2026, 11, 30, 13, 30, 0).unwrap()
        );
        assert_eq!(p.buckets.len(), 12);
        assert_eq!(p.bucket_label(1, zone), "19:05");
        assert_eq!(p.label(zone), "19:00–20:00 Mon 30 Nov 2026");
    }

    #[test]
    fn a_week_runs_monday_to_sunday_and_a_month_has_a_bucket_a_day() {
        let week = Period::containing(Zoom::Week, utc(2026, 12, 3, 9, 0), Zone::Utc);
        assert_eq!(
            week.start,
            Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap()
        );
        assert_eq!(week.buckets.len(), 7);
        assert_eq!(week.bucket_label(0, Zone::Utc), "Mon");
        let feb = Period::containing(Zoom::Month, utc(2028, 2, 10, 9, 0), Zone::Utc);
        assert_eq!(feb.buckets.len(), 29);
        assert_eq!(feb.label(Zone::Utc), "February 2028");
    }

    #[test]
    fn moving_and_zooming_land_on_the_neighbouring_periods() {
        let day = Period::containing(Zoom::Day, utc(2026, 12, 1, 0, 0), Zone::Utc);
        let before = day.earlier(Zone::Utc);
        assert_eq!(before.end, day.start);
        assert_eq!(before.label(Zone::Utc), "Mon 30 Nov 2026");
        assert_eq!(before.later(Zone::Utc), day);
        let month = day.zoomed(Zoom::Month, Zone::Utc);
        assert_eq!(month.label(Zone::Utc), "December 2026");
        assert_eq!(month.earlier(Zone::Utc).buckets.len(), 30);
        assert_eq!(Zoom::Month.finer(), Some(Zoom::Week));
        assert_eq!(Zoom::Hour.finer(), None);
        assert_eq!(Zoom::Month.coarser(), None);
    }
}
