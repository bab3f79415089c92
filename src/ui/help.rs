//! The help overlay: every key, grouped, what the selected charge allows and why not,
//! and the read-only note.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::theme::Theme;
use super::{detail, format, layout};
use crate::app::command;
use crate::app::keymap::Intent;
use crate::app::model::Model;
use crate::gateway::Capabilities;

const LOOKING: [Intent; 6] = [
    Intent::Open,
    Intent::Back,
    Intent::SwitchFocus,
    Intent::Filter,
    Intent::RawJson,
    Intent::Copy,
];
const ACTING: [Intent; 3] = [Intent::Capture, Intent::Void, Intent::Refund];
const MOVING: [Intent; 8] = [
    Intent::Up,
    Intent::Down,
    Intent::Top,
    Intent::Bottom,
    Intent::PageUp,
    Intent::PageDown,
    Intent::HalfPageDown,
    Intent::HalfPageUp,
];
const OTHER: [Intent; 4] = [Intent::Command, Intent::Refresh, Intent::Help, Intent::Quit];
const CUSTOMERS: [Intent; 8] = [
    Intent::OpenCustomer,
    Intent::Verify3ds,
    Intent::NewCharge,
    Intent::DeleteCard,
    Intent::CancelSubscription,
    Intent::DeleteCustomer,
    Intent::SubmitEvidence,
    Intent::AcceptDispute,
];
/// The commands of the same group, on one line after its keys (those the gateway has).
const COMMANDS: [&str; 4] = [":customers", ":refunds", ":disputes", ":verify TOKEN"];

/// The filter's language on one line; dates are UTC days, as the tables show them.
const FILTER_SYNTAX: &str = "status:captured,refunded  from: to: on: 2026-11-24, today, yesterday, 7d, 30d or mtd (UTC days)  min:10 max:250  cur:AUD  and text";

/// Whether this gateway can do what the key does; the help lists only those keys.
pub fn offered(caps: &Capabilities, intent: Intent) -> bool {
    match intent {
        Intent::OpenCustomer | Intent::NewCharge | Intent::DeleteCard | Intent::DeleteCustomer => {
            caps.customers
        }
        Intent::CancelSubscription => caps.customers && caps.subscriptions,
        Intent::SubmitEvidence | Intent::AcceptDispute => caps.disputes,
        Intent::Verify3ds => caps.three_d_secure,
        _ => true,
    }
}

/// Every intent appears in exactly one group; the first three make the left column.
pub const GROUPS: [(&str, &[Intent]); 5] = [
    ("moving", &MOVING),
    ("acting", &ACTING),
    ("other", &OTHER),
    ("looking", &LOOKING),
    ("customers & refunds", &CUSTOMERS),
];
const LEFT: usize = 3;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let left = column(model, theme, &GROUPS[..LEFT]);
    let right = column(model, theme, &GROUPS[LEFT..]);
    let width_of = |lines: &[Line]| lines.iter().map(Line::width).max().unwrap_or(0);
    let (left_width, right_width) = (width_of(&left), width_of(&right));

    let box_width = area.width.min(96);
    let inner_width = usize::from(box_width.saturating_sub(4));
    let mut below = vec![Line::raw("")];
    let syntax = format::wrap(FILTER_SYNTAX, inner_width.saturating_sub(7).max(10));
    for (i, part) in syntax.into_iter().enumerate() {
        let label = if i == 0 { "filter " } else { "       " };
        below.push(Line::from(vec![
            Span::styled(label, theme.title),
            Span::styled(part, theme.text),
        ]));
    }
    if let Some(charge) = super::target_charge(model) {
        below.push(Line::raw(""));
        below.push(Line::from(vec![
            Span::styled("the selected charge ", theme.title),
            Span::styled(super::safe_text::clean(&charge.id).into_owned(), theme.dim),
        ]));
        if !model.session.read_only {
            below.extend(detail::action_lines(model, charge, theme, inner_width));
        }
    }
    if model.session.read_only {
        below.push(Line::styled(
            format!(
                "  read-only: profile {} cannot capture, void, refund or change customers",
                model.session.profile
            ),
            theme.warn,
        ));
    }
    let columns_height = left.len().max(right.len());
    let height = u16::try_from(columns_height + below.len() + 2).unwrap_or(u16::MAX);
    let outer = layout::centered(area, box_width, height);
    frame.render_widget(Clear, outer);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focus)
        .title(Line::styled(" keys ", theme.title))
        .title_bottom(
            Line::from(vec![
                Span::raw(" "),
                Span::styled(model.keymap.keys_for(Intent::Back), theme.key),
                Span::styled(" or ", theme.dim),
                Span::styled(model.keymap.keys_for(Intent::Help), theme.key),
                Span::styled(" to close ", theme.dim),
            ])
            .right_aligned(),
        );
    // Read-only is said on the border too, where a short screen cannot hide it.
    let block = if model.session.read_only {
        block.title_bottom(Line::styled(" read-only ", theme.read_only).left_aligned())
    } else {
        block
    };
    let inner = block.inner(outer);
    frame.render_widget(block, outer);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };

    // Two columns when they fit side by side, one after the other when not.
    let gap = 3;
    let (left_area, right_area, below_y);
    if left_width + gap + right_width <= usize::from(inner.width) {
        let lw = u16::try_from(left_width + gap).unwrap_or(u16::MAX);
        left_area = Rect {
            height: inner.height,
            ..inner
        };
        right_area = Rect {
            x: inner.x + lw,
            width: inner.width - lw,
            ..inner
        };
        below_y = inner.y + u16::try_from(columns_height).unwrap_or(u16::MAX);
    } else {
        let lh = u16::try_from(left.len())
            .unwrap_or(u16::MAX)
            .min(inner.height);
        left_area = Rect {
            height: lh,
            ..inner
        };
        right_area = Rect {
            y: inner.y + lh,
            height: inner.height - lh,
            ..inner
        };
        below_y = right_area.y + u16::try_from(right.len()).unwrap_or(u16::MAX);
    }
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
    let below_area = Rect {
        y: below_y,
        height: (inner.y + inner.height).saturating_sub(below_y),
        ..inner
    };
    if below_area.y < inner.y + inner.height {
        frame.render_widget(Paragraph::new(below), below_area);
    }
}

fn column(model: &Model, theme: &Theme, groups: &[(&str, &[Intent])]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, (name, intents)) in groups.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(name.to_string(), theme.title));
        let rows: Vec<(String, &str)> = intents
            .iter()
            .filter(|i| offered(&model.session.caps, **i))
            .map(|i| match model.keymap.keys_for(*i) {
                k if k.is_empty() => ("—".to_string(), i.describe()),
                k => (k, i.describe()),
            })
            .collect();
        let key_width = rows
            .iter()
            .map(|(k, _)| format::width(k))
            .max()
            .unwrap_or(1);
        for (key, what) in rows {
            let pad = key_width.saturating_sub(format::width(&key));
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(key, theme.key),
                Span::raw(" ".repeat(pad + 2)),
                Span::styled(what.to_string(), theme.text),
            ]));
        }
        if *name == GROUPS[GROUPS.len() - 1].0 {
            let mut spans = vec![Span::raw("  ")];
            let commands = command::offered(&model.session.caps).filter(|c| COMMANDS.contains(c));
            for (i, command) in commands.enumerate() {
                if i > 0 {
                    spans.push(Span::raw("  "));
                }
                spans.push(Span::styled(command, theme.key));
            }
            lines.push(Line::from(spans));
        }
    }
    lines
}
