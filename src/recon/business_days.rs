//! Business days (Monday to Friday; banks do not pay out at weekends) and the
//! date window a deposit may land in around its payout's arrival date.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// `date` moved by `n` business days (back for a negative `n`). From a weekend
/// day, the first step lands on the next (or previous) business day.
pub fn add_business_days(date: NaiveDate, n: i32) -> NaiveDate {
    let step = TimeDelta::days(if n < 0 { -1 } else { 1 });
    let mut at = date;
    for _ in 0..n.unsigned_abs() {
        at += step;
        while !is_business_day(at) {
            at += step;
        }
    }
    at
}

/// How far from a payout's arrival date its deposit may be booked, in business
/// days: the default is one before and five after.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub before: u16,
    pub after: u16,
}

impl Default for Window {
    fn default() -> Self {
        Window {
            before: 1,
            after: 5,
        }
    }
}

impl Window {
    /// The first and last booking dates for a payout arriving on `arrival`.
    pub fn around(&self, arrival: NaiveDate) -> (NaiveDate, NaiveDate) {
        (
            add_business_days(arrival, -i32::from(self.before)),
            add_business_days(arrival, i32::from(self.after)),
        )
    }

    pub fn contains(&self, arrival: NaiveDate, booked: NaiveDate) -> bool {
        let (first, last) = self.around(arrival);
        (first..=last).contains(&booked)
    }

    /// Whether a payout arriving on `arrival` can no longer be deposited by `as_of`:
    /// the window's last day is past.
    pub fn closed(&self, arrival: NaiveDate, as_of: NaiveDate) -> bool {
        as_of > self.around(arrival).1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weekends_are_skipped_both_ways() {
        // 2026-11-27 is a Friday.
        assert_eq!(add_business_days(day("2026-11-27"), 1), day("2026-11-30"));
        assert_eq!(add_business_days(day("2026-11-30"), -1), day("2026-11-27"));
        assert_eq!(add_business_days(day("2026-11-27"), 5), day("2026-12-04"));
        // From a Saturday, one step is the Monday or the Friday.
        assert_eq!(add_business_days(day("2026-11-28"), 1), day("2026-11-30"));
        assert_eq!(add_business_days(day("2026-11-28"), -1), day("2026-11-27"));
        assert_eq!(add_business_days(day("2026-11-25"), 0), day("2026-11-25"));
    }

    #[test]
    fn the_default_window_is_one_day_before_and_five_after() {
        let w = Window::default();
        let friday = day("2026-11-27");
        assert!(w.contains(friday, day("2026-11-26")));
        assert!(!w.contains(friday, day("2026-11-25")));
        assert!(w.contains(friday, day("2026-11-28")), "a Saturday after");
        assert!(w.contains(friday, day("2026-12-04")));
        assert!(!w.contains(friday, day("2026-12-05")));
        assert!(!w.closed(friday, day("2026-12-04")));
        assert!(w.closed(friday, day("2026-12-05")));
    }
}
