//! Where we are, under the header while a pane is open: `charges › customer
//! ada@example.com › charge ch_…`, the last crumb bold. When the path is too long for
//! the line, the oldest crumbs give way first; the current one is always shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use super::safe_text;
use super::theme::Theme;
use crate::app::Model;
use crate::app::keymap::Intent;

const SEP: &str = " › ";

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.width < 4 || area.height == 0 {
        return;
    }
    // Crumbs name customers and charges by what the gateway calls them.
    let crumbs: Vec<String> = model
        .breadcrumb()
        .iter()
        .map(|c| safe_text::clean(c).into_owned())
        .collect();
    // Room for the crumbs, and on the right how to go back.
    let back = model.keymap.keys_for(Intent::Back);
    let back = back.split('/').next().unwrap_or("").to_string();
    let right = if back.is_empty() {
        Line::default()
    } else {
        Line::from(vec![
            Span::styled(back, theme.key),
            Span::styled(" back ", theme.dim),
        ])
    };
    let room = usize::from(area.width).saturating_sub(1);
    let with_right = room.saturating_sub(right.width() + 2);
    let spans_of = |room: usize| -> Vec<Span<'static>> {
        let Some((last, before)) = crumbs.split_last() else {
            return Vec::new();
        };
        let sep = format::width(SEP);
        let all: usize =
            1 + crumbs.iter().map(|c| format::width(c)).sum::<usize>() + sep * before.len();
        let cut = all > room;
        // Keep as many of the newest crumbs before the last as fit beside "… › ".
        let mut kept: Vec<&String> = Vec::new();
        let mut used = 1 + format::width(last) + if cut { 1 + sep } else { 0 };
        for crumb in before.iter().rev() {
            let needed = format::width(crumb) + sep;
            if used + needed > room {
                break;
            }
            used += needed;
            kept.push(crumb);
        }
        let mut spans = vec![Span::raw(" ")];
        if cut {
            spans.push(Span::styled("…", theme.dim));
            spans.push(Span::styled(SEP, theme.dim));
        }
        for crumb in kept.into_iter().rev() {
            spans.push(Span::styled(crumb.clone(), theme.dim));
            spans.push(Span::styled(SEP, theme.dim));
        }
        let shown = spans.iter().map(|s| s.width()).sum::<usize>();
        spans.push(Span::styled(
            format::truncate(last, room.saturating_sub(shown)),
            theme.title,
        ));
        spans
    };
    let left = Line::from(spans_of(with_right));
    let left_width = left.width();
    frame.render_widget(Paragraph::new(left), area);
    let right_width = u16::try_from(right.width()).unwrap_or(u16::MAX);
    if right_width > 0 && left_width + usize::from(right_width) + 2 <= usize::from(area.width) {
        let right_area = Rect {
            x: area.x + area.width - right_width,
            width: right_width,
            ..area
        };
        frame.render_widget(Paragraph::new(right), right_area);
    }
}
