//! Formatting shared by the panes: times, counts, cards, countdowns, truncation and
//! wrapping. Times are shown in the model's zone: the config's `timezone`, or UTC (the
//! gateways' own clock, which their logs and settlement files use) at a key.

use chrono::{DateTime, TimeDelta, Utc};
use ratatui::text::Span;

use super::safe_text;
use crate::domain::{CardBrand, CardSummary};
use crate::timezone::Zone;

/// `11-24 21:43`: the table's time column.
pub fn short_time(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%m-%d %H:%M").to_string()
}

/// `created UTC`, `created +10:00`: the title of a list's time column, which says
/// the zone its times are in.
pub fn created_title(zone: Zone, now: DateTime<Utc>) -> String {
    format!("created {}", zone.label(now))
}

/// `21:43`: the header's freshness. Minutes, not seconds, so that a poll that brings
/// nothing new does not need a new frame just to move the clock.
pub fn clock(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%H:%M").to_string()
}

/// `2026-11-24 21:43:05 UTC`, `2026-11-25 07:43:05 +10:00`: the detail pane.
pub fn full_time(t: DateTime<Utc>, zone: Zone) -> String {
    let shown = zone.at(t).format("%Y-%m-%d %H:%M:%S");
    format!("{shown} {}", zone.label(t))
}

/// `3,000`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// `1 charge`, `3,000 charges`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// `Visa ••4242`: the table's card column.
pub fn card_short(card: &CardSummary) -> String {
    format!("{} ••{}", card.brand.label(), safe_text::clean(&card.last4))
}

/// `MC`, `Disc`: brand names short enough for a table column.
pub fn brand_short(brand: CardBrand) -> &'static str {
    match brand {
        CardBrand::Mastercard => "MC",
        CardBrand::Discover => "Disc",
        other => other.label(),
    }
}

/// `09/27`.
pub fn expiry(month: u8, year: u16) -> String {
    format!("{month:02}/{:02}", year % 100)
}

/// `2026-11-24`: dates where the hour does not matter (customers, billing).
pub fn date(t: DateTime<Utc>, zone: Zone) -> String {
    zone.at(t).format("%Y-%m-%d").to_string()
}

/// `Visa •••• 4242, expires 09/27`: the detail pane.
pub fn card_long(card: &CardSummary) -> String {
    format!(
        "{} •••• {}, expires {:02}/{:02}",
        card.brand.label(),
        safe_text::clean(&card.last4),
        card.expiry_month,
        card.expiry_year % 100
    )
}

/// `expires in 6d 23h`, `expires in 3h 12m`, `expires in 45s`, or `expired`.
pub fn countdown(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    match time_left(until, now) {
        Some(span) => format!("expires in {span}"),
        None => "expired".into(),
    }
}

/// `6d 23h`, `3h 12m`, `45s`; `None` once `until` has passed.
pub fn time_left(until: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    let left = until - now;
    if left <= TimeDelta::zero() {
        return None;
    }
    let secs = left.num_seconds();
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let span = if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m {}s", secs % 60)
    } else {
        format!("{secs}s")
    };
    Some(span)
}

/// How long since `since`, as `45s` or `1m 52s`; `None` under a second.
pub fn elapsed(since: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    time_left(now, since)
}

/// ` 1m 52s` after a word that says what is being waited for, or nothing under a
/// second.
pub fn waited(since: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    since
        .and_then(|since| elapsed(since, now))
        .map(|span| format!(" {span}"))
        .unwrap_or_default()
}

/// How many terminal cells `text` takes, drawn as [`truncate`] draws it.
pub fn width(text: &str) -> usize {
    cells(&safe_text::clean(text))
}

fn cells(text: &str) -> usize {
    Span::raw(text).width()
}

/// `text` cut to at most `max` cells, with `…` where it was cut; controls and bidi
/// controls made visible ([`safe_text::clean`]), so gateway text can go straight in.
pub fn truncate(text: &str, max: usize) -> String {
    let text = safe_text::clean(text);
    if cells(&text) <= max {
        return text.into_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = cells(c.encode_utf8(&mut [0; 4]));
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// An amount for a column `max` cells wide: whole, or `…` when it cannot fit. Never
/// cut: `1,563.55` without its currency, or `.55`, reads as a different amount.
pub fn amount(text: &str, max: usize) -> String {
    if width(text) <= max {
        text.to_string()
    } else {
        "…".to_string()
    }
}

/// Words laid into lines of at most `max` cells; words longer than a line are cut.
/// Each word goes through [`truncate`], so controls come out visible.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let word = truncate(word, max);
            let needed = if line.is_empty() {
                width(&word)
            } else {
                width(&line) + 1 + width(&word)
            };
            if needed > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

/// The braille spinner, one frame per `Msg::Spin`.
pub fn spinner(frame: usize) -> &'static str {
    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    FRAMES[frame % FRAMES.len()]
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::CardBrand;

    #[test]
    fn an_amount_is_whole_or_an_ellipsis_never_its_tail() {
        assert_eq!(amount("A$1,563.55", 10), "A$1,563.55");
        assert_eq!(amount("A$1,563.55", 9), "…");
        assert_eq!(amount("A$1,563.55", 0), "…");
    }

    #[test]
    fn counts_cards_and_countdowns_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(3_000), "3,000");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(plural(1, "charge", "charges"), "1 charge");
        let card = CardSummary {
            brand: CardBrand::Visa,
            last4: "4242".into(),
            expiry_month: 9,
            expiry_year: 2027,
        };
        assert_eq!(card_short(&card), "Visa ••4242");
        assert_eq!(card_long(&card), "Visa •••• 4242, expires 09/27");
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 21, 43, 5).unwrap();
        let later = |s| now + TimeDelta::seconds(s);
        assert_eq!(countdown(later(7 * 86_400 - 60), now), "expires in 6d 23h");
        assert_eq!(countdown(later(3 * 3_600 + 720), now), "expires in 3h 12m");
        assert_eq!(countdown(later(45), now), "expires in 45s");
        assert_eq!(countdown(now, now), "expired");
    }

    #[test]
    fn truncates_and_wraps_by_cells() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("", 9), [""]);
    }
}
