//! The filter bar's little language: `status:authorised,captured from:2026-11-01
//! to:2026-11-24 min:10 max:250 cur:AUD` plus any free text, in any order. Dates are days
//! in the time zone the tables show; `on:` and `from:` also take `today`, `yesterday`,
//! `7d`, `30d` and `mtd`. `expires:24h` (or `7d`) keeps charges whose authorisation
//! expires within that time from now. A `key:` paydeck does not know is refused with a
//! suggestion, rather than quietly searched for as text.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::domain::{ChargeFilter, ChargeStatus};
use crate::money::Currency;
use crate::timezone::Zone;

/// What the filter bar shows as a reminder of the syntax.
pub const HINT: &str =
    "status:authorised from:7d to:2026-11-24 on:today min:10 max:250 cur:AUD text";

/// The keys of the charges filter, for suggestions.
const CHARGE_KEYS: [&str; 9] = [
    "status", "from", "to", "on", "min", "max", "cur", "currency", "expires",
];
/// The keys of the refunds filter.
const REFUND_KEYS: [&str; 4] = ["status", "from", "to", "on"];

/// Today, and the zone whose days the filter's dates are: the one times are shown in;
/// and the instant itself, which `expires:` counts from.
#[derive(Debug, Clone, Copy)]
pub struct Today {
    pub date: NaiveDate,
    pub zone: Zone,
    pub now: DateTime<Utc>,
}

pub fn today(now: DateTime<Utc>, zone: Zone) -> Today {
    Today {
        date: zone.day_of(now),
        zone,
        now,
    }
}

/// The furthest ahead `expires:` looks: card authorisations last days or weeks, so
/// anything longer is a typo, and the bound keeps `now + N` from overflowing.
const EXPIRES_MAX_HOURS: u64 = 90 * 24;

/// Whether `text` has a date term, which means something else in another zone.
pub fn has_dates(text: &str) -> bool {
    text.split_whitespace()
        .filter_map(keyed)
        .any(|(key, _)| matches!(key.to_ascii_lowercase().as_str(), "from" | "to" | "on"))
}

pub fn parse(text: &str, today: Today) -> Result<ChargeFilter, String> {
    let mut filter = ChargeFilter::default();
    let terms = read_terms(text, today, |key, value| {
        match key.to_ascii_lowercase().as_str() {
            "status" | "s" => {
                for name in value.split(',').filter(|n| !n.is_empty()) {
                    filter.statuses.insert(status(name)?);
                }
            }
            "min" => filter.min_amount = Some(amount(key, value)?),
            "max" => filter.max_amount = Some(amount(key, value)?),
            "cur" | "currency" => {
                filter.currency = Some(Currency::from_code(value).map_err(|e| format!("cur: {e}"))?)
            }
            "expires" => filter.expires_before = Some(expires_before(value, today.now)?),
            _ => return Err(unknown_key(key, &CHARGE_KEYS)),
        }
        Ok(())
    })?;
    if let (Some(min), Some(max)) = (filter.min_amount, filter.max_amount)
        && min > max
    {
        return Err(format!("min:{min} is more than max:{max}"));
    }
    (filter.from, filter.until) = terms.days()?;
    filter.text = terms.text;
    Ok(filter)
}

/// Created at or after, and before.
type Days = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// What every list's filter reads alike: its days and its free text.
struct Terms {
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    text: String,
}

impl Terms {
    /// From and until, once they are known to be in order.
    fn days(&self) -> Result<Days, String> {
        if let (Some(from), Some(until)) = (self.from, self.until)
            && from >= until
        {
            return Err("from: is after to:".into());
        }
        Ok((self.from, self.until))
    }
}

/// Reads `from:`, `to:` and `on:` as days in `today`'s zone and the words as text; each
/// other `key:value` goes to `term`, in the order typed, and its error is the filter's.
fn read_terms(
    text: &str,
    today: Today,
    mut term: impl FnMut(&str, &str) -> Result<(), String>,
) -> Result<Terms, String> {
    let mut terms = Terms {
        from: None,
        until: None,
        text: String::new(),
    };
    let mut words = Vec::new();
    for token in text.split_whitespace() {
        let Some((key, value)) = keyed(token) else {
            words.push(token);
            continue;
        };
        match key.to_ascii_lowercase().as_str() {
            "from" => terms.from = Some(today.zone.midnight(start(key, value, today.date)?)),
            "to" => terms.until = Some(today.zone.midnight(end(key, value, today.date)?)),
            "on" => {
                let (from, until) = span(key, value, today.date)?;
                terms.from = Some(today.zone.midnight(from));
                terms.until = Some(today.zone.midnight(until));
            }
            _ => term(key, value)?,
        }
    }
    terms.text = words.join(" ");
    Ok(terms)
}

/// `key:value` where the key is a word; an email, a URL or `12:30` stays text.
fn keyed(token: &str) -> Option<(&str, &str)> {
    let (key, value) = token.split_once(':')?;
    let word = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic());
    (word && !value.starts_with("//") && !token.contains('@')).then_some((key, value))
}

/// Why `key:` is refused, and what was probably meant.
fn unknown_key(key: &str, keys: &[&str]) -> String {
    let lower = key.to_ascii_lowercase();
    let meant = match lower.as_str() {
        "date" | "day" => Some("on:"),
        "since" | "after" => Some("from:"),
        "until" | "before" => Some("to:"),
        "amount" | "amt" => Some("min: or max:"),
        "ccy" | "curr" => Some("cur:"),
        _ => keys
            .iter()
            .filter(|k| k.len() > 1)
            .map(|k| (distance(&lower, k), *k))
            // A slip of a key or two in a long key, of one in a short one, or a start.
            .filter(|(d, k)| *d <= k.len() / 3 || k.starts_with(lower.as_str()))
            .min()
            .map(|(_, k)| k),
    };
    let known = keys
        .iter()
        .filter(|k| **k != "currency")
        .map(|k| format!("{k}:"))
        .collect::<Vec<_>>()
        .join(" ");
    match meant {
        Some(meant) if meant.ends_with(':') => {
            format!("no filter {key}:; did you mean {meant}? Keys: {known}")
        }
        Some(meant) => format!("no filter {key}:; did you mean {meant}:? Keys: {known}"),
        None => format!("no filter {key}:; keys are {known}, and text goes without one"),
    }
}

/// Edit distance, for suggesting a key; keys are short, so the simple table will do.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut last = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (last + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(here + 1);
            last = here;
        }
    }
    row[b.len()]
}

/// The refunds pane's filter: `status:pending,succeeded from:… to:… on:…` and text.
pub fn parse_refunds(
    text: &str,
    today: Today,
) -> Result<crate::app::screens::RefundFilter, String> {
    let mut filter = crate::app::screens::RefundFilter::default();
    let terms = read_terms(text, today, |key, value| {
        match key.to_ascii_lowercase().as_str() {
            "status" | "s" => {
                for name in value.split(',').filter(|n| !n.is_empty()) {
                    filter.statuses.push(refund_status(name)?);
                }
            }
            _ => return Err(unknown_key(key, &REFUND_KEYS)),
        }
        Ok(())
    })?;
    (filter.from, filter.until) = terms.days()?;
    filter.text = terms.text;
    Ok(filter)
}

/// Days and text alone, for a list the dashboard has no filter keys for (payouts and
/// disputes, in `paydeck export`): `from:… to:… on:…` and words.
pub fn parse_dated(text: &str, today: Today) -> Result<DatedFilter, String> {
    let terms = read_terms(text, today, |key, _| Err(unknown_key(key, &DATED_KEYS)))?;
    let (from, until) = terms.days()?;
    Ok(DatedFilter {
        from,
        until,
        text: terms.text.to_lowercase(),
    })
}

/// The keys of a filter of days and text.
const DATED_KEYS: [&str; 3] = ["from", "to", "on"];

/// What [`parse_dated`] reads: created in `[from, until)`, and the text in one of the
/// fields a caller names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatedFilter {
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Lower case.
    pub text: String,
}

impl DatedFilter {
    pub fn matches(&self, created: DateTime<Utc>, fields: &[&str]) -> bool {
        self.from.is_none_or(|from| created >= from)
            && self.until.is_none_or(|until| created < until)
            && (self.text.is_empty()
                || fields.iter().any(|f| f.to_lowercase().contains(&self.text)))
    }
}

fn refund_status(name: &str) -> Result<crate::domain::RefundStatus, String> {
    use crate::domain::RefundStatus;
    Ok(match name.to_ascii_lowercase().as_str() {
        "pending" => RefundStatus::Pending,
        "succeeded" | "success" | "done" => RefundStatus::Succeeded,
        "failed" => RefundStatus::Failed,
        other => {
            return Err(format!(
                "no refund status {other:?}; use pending, succeeded or failed"
            ));
        }
    })
}

/// What the refunds pane's filter bar shows as a reminder of the syntax.
pub const REFUNDS_HINT: &str = "status:pending from:7d to:2026-11-24 on:yesterday text";

fn status(name: &str) -> Result<ChargeStatus, String> {
    Ok(match name.to_ascii_lowercase().replace('-', "_").as_str() {
        "authorised" | "authorized" | "auth" => ChargeStatus::Authorised,
        "captured" => ChargeStatus::Captured,
        "part_refunded" | "partially_refunded" | "partial" => ChargeStatus::PartiallyRefunded,
        "refunded" => ChargeStatus::Refunded,
        "voided" | "void" => ChargeStatus::Voided,
        "expired" => ChargeStatus::Expired,
        "declined" | "failed" => ChargeStatus::Declined,
        "3ds" | "pending_3ds" | "pending" => ChargeStatus::Pending3ds,
        "disputed" => ChargeStatus::Disputed,
        other => {
            return Err(format!(
                "no status {other:?}; use authorised, captured, part_refunded, refunded, voided, expired, declined, 3ds or disputed"
            ));
        }
    })
}

fn date(key: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| {
        format!("{key}: takes a date like 2026-11-24, or today, yesterday, 7d, 30d or mtd; not {value:?}")
    })
}

/// The days a date or a preset covers, `[first, after)`. `7d` and `30d`
/// end today and include it; `mtd` is the month so far.
fn span(key: &str, value: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
    let tomorrow = today + Duration::days(1);
    Ok(match value.to_ascii_lowercase().as_str() {
        "today" => (today, tomorrow),
        "yesterday" => (today - Duration::days(1), today),
        "7d" => (today - Duration::days(6), tomorrow),
        "30d" => (today - Duration::days(29), tomorrow),
        "mtd" => (today.with_day(1).unwrap_or(today), tomorrow),
        _ => {
            let day = date(key, value)?;
            // The last day chrono holds has no day after it.
            let after = day
                .succ_opt()
                .ok_or_else(|| format!("{key}: {value} is later than any date paydeck can hold"))?;
            (day, after)
        }
    })
}

/// Where `from:` starts.
fn start(key: &str, value: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    span(key, value, today).map(|(first, _)| first)
}

/// Where `to:` ends: after the day it names. A period makes no sense as an end.
fn end(key: &str, value: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if matches!(value.to_ascii_lowercase().as_str(), "7d" | "30d" | "mtd") {
        return Err(format!(
            "to: takes a day (a date, today or yesterday); for the last {value} write from:{value}"
        ));
    }
    span(key, value, today).map(|(_, after)| after)
}

/// `now` plus `Nh` or `Nd`: the instant an authorisation must expire before.
fn expires_before(value: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let lower = value.to_ascii_lowercase();
    let (digits, hours_per) = match (lower.strip_suffix('h'), lower.strip_suffix('d')) {
        (Some(n), _) => (n, 1),
        (_, Some(n)) => (n, 24),
        _ => ("", 0),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "expires: takes hours or days ahead like 24h or 7d (up to 90d); not {value:?}"
        ));
    }
    // Too many digits for u64 is too far ahead as well.
    let hours = digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(hours_per))
        .unwrap_or(u64::MAX);
    if hours == 0 {
        return Err(format!(
            "expires: takes at least 1h, like 24h or 7d; not {value:?}"
        ));
    }
    if hours > EXPIRES_MAX_HOURS {
        return Err(format!(
            "expires: looks at most 90d (2160h) ahead; not {value:?}"
        ));
    }
    // Bounded above, so only a clock at the end of time can overflow.
    now.checked_add_signed(Duration::hours(hours as i64))
        .ok_or_else(|| format!("expires:{value} is later than any time paydeck can hold"))
}

fn amount(key: &str, value: &str) -> Result<Decimal, String> {
    match Decimal::from_str_exact(value) {
        Ok(d) if !d.is_sign_negative() => Ok(d),
        _ => Err(format!("{key}: takes an amount like 12.50, not {value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_term() {
        let f = parse("status:authorised,captured from:2026-11-01 to:2026-11-24 min:10 max:250.5 cur:aud coffee beans", day()).unwrap();
        assert_eq!(
            f.statuses,
            [ChargeStatus::Authorised, ChargeStatus::Captured].into()
        );
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-11-01T00:00:00+00:00");
        assert_eq!(f.until.unwrap().to_rfc3339(), "2026-11-25T00:00:00+00:00");
        assert_eq!(f.min_amount, Some(Decimal::new(10, 0)));
        assert_eq!(f.max_amount, Some(Decimal::new(2505, 1)));
        assert_eq!(f.currency, Some(Currency::AUD));
        assert_eq!(f.text, "coffee beans");
        assert!(parse("", day()).unwrap().is_empty());
    }

    #[test]
    fn reads_refund_filters() {
        let f = parse_refunds("status:pending on:2026-11-24 ch_1", day()).unwrap();
        assert_eq!(f.statuses, [crate::domain::RefundStatus::Pending]);
        assert!(f.from.is_some() && f.until.is_some());
        assert_eq!(f.text, "ch_1");
        assert!(
            parse_refunds("status:lost", day())
                .unwrap_err()
                .contains("no refund status")
        );
    }

    #[test]
    fn reads_days_and_text_alone_for_lists_without_keys() {
        let f = parse_dated("on:2026-11-24 Po_1", day()).unwrap();
        assert_eq!((f.from, f.until), (at("2026-11-24"), at("2026-11-25")));
        let noon = at("2026-11-24").unwrap() + Duration::hours(12);
        assert!(f.matches(noon, &["po_123"]));
        assert!(!f.matches(noon, &["tr_9"]));
        assert!(!f.matches(noon - Duration::days(1), &["po_123"]));
        assert!(
            parse_dated("status:paid", day())
                .unwrap_err()
                .starts_with("no filter status:;")
        );
    }

    #[test]
    fn explains_what_is_wrong() {
        let parse = |text: &str| parse(text, day());
        assert!(
            parse("status:shipped")
                .unwrap_err()
                .contains("no status \"shipped\"")
        );
        assert!(parse("from:someday").unwrap_err().contains("2026-11-24"));
        assert!(parse("min:-3").unwrap_err().contains("min:"));
        assert!(parse("min:10 max:5").unwrap_err().contains("more than"));
        assert!(parse("cur:XYZ").unwrap_err().contains("cur:"));
    }

    /// "Today" in these tests: Tuesday 24 November 2026, in UTC.
    fn day() -> Today {
        let noon = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 24, 12, 0, 0).unwrap();
        today(noon, Zone::Utc)
    }

    fn at(date: &str) -> Option<chrono::DateTime<Utc>> {
        Some(Zone::Utc.midnight(NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap()))
    }

    #[test]
    fn dates_are_days_in_the_shown_zone() {
        let plus_ten = Zone::parse("+10:00").unwrap();
        // 20:00 UTC on the 23rd is already the 24th in +10:00.
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 23, 20, 0, 0).unwrap();
        let f = parse("on:today", today(now, plus_ten)).unwrap();
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-11-23T14:00:00+00:00");
        assert_eq!(f.until.unwrap().to_rfc3339(), "2026-11-24T14:00:00+00:00");
        assert_eq!(
            parse("on:today", today(now, Zone::Utc)).unwrap().from,
            at("2026-11-23")
        );
        assert!(has_dates("coffee From:7d"));
        assert!(!has_dates("coffee a:b@example.com"));
    }

    #[test]
    fn date_presets_count_utc_days_back_from_today() {
        let span = |text: &str| {
            let f = parse(text, day()).unwrap();
            (f.from, f.until)
        };
        assert_eq!(span("on:today"), (at("2026-11-24"), at("2026-11-25")));
        assert_eq!(span("on:yesterday"), (at("2026-11-23"), at("2026-11-24")));
        assert_eq!(span("on:7d"), (at("2026-11-18"), at("2026-11-25")));
        assert_eq!(span("from:7d"), (at("2026-11-18"), None));
        assert_eq!(span("from:30d"), (at("2026-10-26"), None));
        assert_eq!(span("from:mtd"), (at("2026-11-01"), None));
        assert_eq!(span("on:MTD"), (at("2026-11-01"), at("2026-11-25")));
        assert_eq!(
            span("from:yesterday to:today"),
            (at("2026-11-23"), at("2026-11-25"))
        );
        assert_eq!(span("to:yesterday"), (None, at("2026-11-24")));
        assert!(parse("to:7d", day()).unwrap_err().contains("from:7d"));
        let refunds = parse_refunds("on:yesterday", day()).unwrap();
        assert_eq!(
            (refunds.from, refunds.until),
            (at("2026-11-23"), at("2026-11-24"))
        );
    }

    #[test]
    fn expires_counts_hours_or_days_from_now() {
        let now = day().now;
        let before = |text: &str| parse(text, day()).unwrap().expires_before;
        assert_eq!(before("expires:24h"), Some(now + Duration::hours(24)));
        assert_eq!(before("Expires:1H"), Some(now + Duration::hours(1)));
        assert_eq!(before("expires:7d"), Some(now + Duration::days(7)));
        assert_eq!(before("expires:90d"), Some(now + Duration::days(90)));
        assert_eq!(before("expires:2160h"), Some(now + Duration::days(90)));
        assert_eq!(before("status:authorised"), None);
        // The `:stats` screen's jump: the term keeps the status and the text.
        let f = parse("status:authorised expires:24h ch_1", day()).unwrap();
        assert_eq!(f.statuses, [ChargeStatus::Authorised].into());
        assert_eq!(f.expires_before, Some(now + Duration::hours(24)));
        assert_eq!(f.text, "ch_1");
    }

    #[test]
    fn expires_says_what_it_takes() {
        let err = |text: &str| parse(text, day()).unwrap_err();
        assert_eq!(
            err("expires:0h"),
            "expires: takes at least 1h, like 24h or 7d; not \"0h\""
        );
        assert_eq!(
            err("expires:000d"),
            "expires: takes at least 1h, like 24h or 7d; not \"000d\""
        );
        assert_eq!(
            err("expires:91d"),
            "expires: looks at most 90d (2160h) ahead; not \"91d\""
        );
        assert!(err("expires:2161h").contains("at most 90d"));
        assert!(err("expires:99999999999999999999999d").contains("at most 90d"));
        assert_eq!(
            err("expires:abc"),
            "expires: takes hours or days ahead like 24h or 7d (up to 90d); not \"abc\""
        );
        for bad in ["", "24", "h", "d", "-1d", "+2h", "1.5d", "1w", "2dh", "é"] {
            assert!(
                err(&format!("expires:{bad}")).starts_with("expires: takes hours or days"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn an_unknown_key_is_refused_with_a_suggestion() {
        let err = |text: &str| parse(text, day()).unwrap_err();
        assert_eq!(
            err("foo:bar"),
            "no filter foo:; keys are status: from: to: on: min: max: cur: expires:, and text goes without one"
        );
        assert!(err("expire:24h").contains("did you mean expires:?"));
        assert!(err("stauts:captured").contains("did you mean status:?"));
        assert!(err("date:2026-11-24").contains("did you mean on:?"));
        assert!(err("amount:12").contains("did you mean min: or max:?"));
        assert!(err("cu:AUD").contains("did you mean cur:?"));
        for refused in ["min:3", "expires:24h"] {
            let key = refused.split(':').next().unwrap();
            assert!(
                parse_refunds(refused, day())
                    .unwrap_err()
                    .starts_with(&format!("no filter {key}:;")),
                "{refused}"
            );
        }
        assert!(
            parse_dated("expires:24h", day())
                .unwrap_err()
                .starts_with("no filter expires:;")
        );
        // Text with a colon in it is still text: emails, URLs, times.
        for text in [
            "a:b@example.com",
            "https://shop.example/o/1",
            "12:30",
            "ref:",
        ] {
            let parsed = parse(text, day());
            if text == "ref:" {
                assert!(parsed.is_err(), "{text}");
            } else {
                assert_eq!(parsed.map(|f| f.text), Ok(text.to_string()), "{text}");
            }
        }
    }
}
