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

    // Nothing to count until the gateway has answered once.
    let count = match (model.total, model.poll.last_ok) {
        (Some(total), _) => format::plural(total, "charge", "charges"),
        (None, Some(_)) => format::plural(model.charges.len() as u64, "charge", "charges"),
        (None, None) => String::new(),
    };
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
        Freshness::Loading => (
            format!("loading…{}", format::waited(Some(poll.started_at), now)),
            theme.dim,
        ),
        Freshness::Fresh { at } => (format!("updated {}", format::clock(at)), theme.dim),
        Freshness::Stale {
            since: Some(at),
            why,
        } if poll.last_error.is_some() => (
            format!("stale since {}{retry}: {why}", format::clock(at)),
            theme.warn,
        ),
        Freshness::Stale {
            since: Some(at),
            why,
        } => (
            format!("stale since {}: {why}", format::clock(at)),
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
    // That a list is partial comes before the count.
    let fits = |text: &str, used: usize| {
        !text.is_empty() && format::width(text) + 3 + used + format::width(&fresh) + tail <= room
    };
    let with_unreadable = fits(&unreadable, 0);
    let used = if with_unreadable {
        format::width(&unreadable) + 3
    } else {
        0
    };
    let with_count = fits(&count, used);
    let mut right = Vec::new();
    if with_unreadable {
        right.push(Span::styled(unreadable, theme.warn));
        right.push(Span::styled(" · ", theme.dim));
    }
    if with_count {
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
    let right_width = u16::try_from(right.width())
        .unwrap_or(u16::MAX)
        .min(area.width);
    let right_area = Rect {
        x: area.x + area.width - right_width,
        width: right_width,
        ..area
    };
    if right_area.x >= left_end {
        frame.render_widget(Paragraph::new(right), right_area);
    }
}
