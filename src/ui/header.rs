//! The top line: where we are (profile, gateway, live or test, read-only), how much
//! there is, and how fresh it is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use super::theme::Theme;
use crate::app::Model;
use crate::app::poll::Freshness;

/// How many charges there are: at the gateway where it says, and how many of them
/// paydeck holds (not a search's matches, which the filter bar counts). Nothing until
/// the gateway has answered once.
pub fn count(model: &Model) -> String {
    if model.poll.last_ok.is_none() && model.screens.charges.list.total.is_none() {
        return String::new();
    }
    if model.screens.charges.store.is_some() {
        // The list holds a window, not what is loaded: the filter line counts.
        return match model.screens.charges.list.total {
            Some(total) => format!("{} at the gateway", format::count(total)),
            None => String::new(),
        };
    }
    let loaded = held(model);
    let everything = model.screens.charges.list.next.is_none();
    match model.screens.charges.list.total {
        Some(total) if loaded >= total => format!(
            "{}, all loaded",
            format::plural(total.max(loaded), "charge", "charges")
        ),
        Some(total) => format!(
            "{} at the gateway · {} loaded",
            format::count(total),
            format::count(loaded)
        ),
        None if everything => format!(
            "{}, all loaded",
            format::plural(loaded, "charge", "charges")
        ),
        None => format!("{} loaded", format::count(loaded)),
    }
}

/// The charges on screen came from the local store.
fn cached(model: &Model) -> bool {
    model
        .screens
        .charges
        .store
        .as_ref()
        .is_some_and(|w| w.answered)
}

/// The last `width` cells of a one-line `area`, for what is right-aligned on it.
pub(super) fn right_end(area: Rect, width: usize) -> Rect {
    let width = u16::try_from(width).unwrap_or(u16::MAX).min(area.width);
    Rect {
        x: area.x + area.width - width,
        width,
        ..area
    }
}

/// Charges held: the whole list's while a search shows only its matches.
fn held(model: &Model) -> u64 {
    let charges = &model.screens.charges;
    charges.stash.as_ref().unwrap_or(&charges.list).len() as u64
}

/// The count where the full one does not fit: `12/3,000 loaded`.
fn short_count(model: &Model) -> String {
    let loaded = held(model);
    match model.screens.charges.list.total {
        Some(total) if loaded < total && model.screens.charges.store.is_none() => {
            format!("{}/{} loaded", format::count(loaded), format::count(total))
        }
        _ => count(model),
    }
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let session = &model.session;
    let mut left = vec![
        Span::styled(" paydeck ", theme.title),
        Span::styled(session.profile.as_str(), theme.text),
        Span::styled(" · ", theme.dim),
        Span::styled(session.gateway, theme.dim),
        Span::raw(" "),
    ];
    if session.live {
        left.push(Span::styled(" LIVE ", theme.live));
    } else {
        left.push(Span::styled(" TEST ", theme.test));
    }
    if session.read_only {
        left.push(Span::raw(" "));
        left.push(Span::styled(" READ-ONLY ", theme.read_only));
    }
    let left = Line::from(left);

    let count = count(model);
    let poll = &model.poll;
    let now = model.now;
    // After a failure: when the next try is, or how long it has been trying.
    let retry = match (poll.retry_in(now), poll.waiting(now)) {
        (Some(left), _) if left.num_seconds() >= 1 => match format::time_left(now + left, now) {
            Some(span) => format!(", retry in {span}"),
            None => ", retrying…".to_string(),
        },
        (Some(_), _) => ", retrying…".to_string(),
        (None, Some(_)) => format!(", retrying…{}", format::waited(Some(poll.started_at), now)),
        (None, None) => String::new(),
    };
    let (fresh, fresh_style) = match poll.freshness(now) {
        // What the store held at start is on screen while the gateway is first asked.
        Freshness::Loading if cached(model) => (
            format!(
                "cached · updating…{}",
                format::waited(Some(poll.started_at), now)
            ),
            theme.dim,
        ),
        Freshness::Loading => (
            format!("loading…{}", format::waited(Some(poll.started_at), now)),
            theme.dim,
        ),
        Freshness::Fresh { at } => (
            format!("updated {}", format::clock(at, model.zone)),
            theme.dim,
        ),
        Freshness::Stale {
            since: Some(at),
            why,
        } if poll.last_error.is_some() => (
            format!(
                "stale since {}{retry}: {why}",
                format::clock(at, model.zone)
            ),
            theme.warn,
        ),
        Freshness::Stale {
            since: Some(at),
            why,
        } => (
            format!("stale since {}: {why}", format::clock(at, model.zone)),
            theme.warn,
        ),
        Freshness::Stale { since: None, why } => (format!("stale{retry}: {why}"), theme.warn),
    };
    // Records the gateway sent that could not be read: the lists shown are partial.
    let unreadable = match model.unreadable.len() {
        0 => String::new(),
        n => format!("{} unreadable", format::count(n as u64)),
    };
    let spinner = if model.in_flight() {
        format::spinner(model.spinner)
    } else {
        " "
    };
    // The left side wins on a narrow screen: where we are matters more than how much;
    // how fresh the data is comes next, cut to fit, then that records are missing,
    // and the count goes first.
    let room = usize::from(area.width).saturating_sub(left.width() + 2);
    let tail = 3; // " ⠋ "
    // That a list is partial comes before the count; the count in full where it
    // fits, else in short, else not at all.
    let fits = |text: &str, used: usize| {
        !text.is_empty() && format::width(text) + 3 + used + format::width(&fresh) + tail <= room
    };
    let with_unreadable = fits(&unreadable, 0);
    let used = if with_unreadable {
        format::width(&unreadable) + 3
    } else {
        0
    };
    let count = if fits(&count, used) {
        Some(count)
    } else {
        Some(short_count(model)).filter(|c| fits(c, used))
    };
    let mut right = Vec::new();
    if with_unreadable {
        right.push(Span::styled(unreadable, theme.warn));
        right.push(Span::styled(" · ", theme.dim));
    }
    if let Some(count) = count {
        right.push(Span::styled(count, theme.text));
        right.push(Span::styled(" · ", theme.dim));
    }
    right.push(Span::styled(
        format::truncate(&fresh, room.saturating_sub(tail)),
        fresh_style,
    ));
    right.push(Span::raw(" "));
    right.push(Span::styled(spinner, theme.accent));
    right.push(Span::raw(" "));
    let right = Line::from(right);

    let left_end = area.x + u16::try_from(left.width()).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(left), area);
    let right_area = right_end(area, right.width());
    if right_area.x >= left_end {
        frame.render_widget(Paragraph::new(right), right_area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::charge_list::ChargeList;
    use crate::domain::Cursor;
    use crate::ui::test_support::{many, model};

    /// Issue 10: each number says what it counts, and a search's matches are not the
    /// count of charges (a gateway said `10 charges` while searching).
    #[test]
    fn counts_say_what_they_count_during_a_search_too() {
        let mut m = model(160, 48);
        m.screens.charges.list.total = None;
        m.screens.charges.list.next = Some(Cursor::After("ch_x".into()));
        let mut held = ChargeList::default();
        held.append_older(many(2001));
        m.screens.charges.list.held = held;
        assert_eq!(count(&m), "2,001 loaded");
        let mut found = ChargeList::default();
        found.append_older(many(10));
        m.screens.charges.stash = Some(std::mem::replace(&mut m.screens.charges.list, found));
        assert_eq!(count(&m), "2,001 loaded", "not the 10 the search found");
        m.screens.charges.list.total = Some(3000);
        assert_eq!(count(&m), "3,000 at the gateway · 2,001 loaded");
        m.screens.charges.stash = None;
        m.screens.charges.list.total = Some(10);
        assert_eq!(count(&m), "10 charges, all loaded");
        m.screens.charges.list.total = None;
        m.screens.charges.list.next = None;
        assert_eq!(count(&m), "10 charges, all loaded");
    }
}
