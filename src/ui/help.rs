//! The help overlay: every key, grouped, what the selected charge allows and why not,
//! and the read-only note.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::format;
use super::screens::charge;
use super::theme::Theme;
use crate::app::command;
use crate::app::keymap::{HelpGroup, Intent};
use crate::app::layout;
use crate::app::mode_keys::{KeyMode, ModeAction};
use crate::app::model::Model;
use crate::app::offers;
use crate::app::screens::Pane;

/// The commands of the customers group, on one line after its keys (those the gateway
/// has).
const COMMANDS: [&str; 6] = [
    ":customers",
    ":refunds",
    ":disputes",
    ":payouts",
    ":balance",
    ":verify TOKEN",
];

/// The filter's language on one line; dates are days in the zone the tables show.
const FILTER_SYNTAX: &str = "status:captured,refunded  from: to: on: 2026-11-24, today, yesterday, 7d, 30d or mtd (days in the shown time zone)  min:10 max:250  cur:AUD  expires:24h (authorisations)  and text";

/// The groups of the left column; the rest make the right.
const LEFT: usize = 3;

/// The widest the help box gets.
const BOX_WIDTH: u16 = 96;

/// The help box in `area`, and the area inside it for the lines.
fn boxes(model: &Model, area: Rect) -> (Rect, Rect) {
    let box_width = area.width.min(BOX_WIDTH);
    let inner_width = box_width.saturating_sub(4);
    let lines = lines(model, &Theme::default(), inner_width).len();
    let height = u16::try_from(lines + 2).unwrap_or(u16::MAX);
    let outer = layout::centered(area, box_width, height);
    let inner = Rect {
        x: outer.x + 2,
        y: outer.y + 1,
        width: outer.width.saturating_sub(4),
        height: outer.height.saturating_sub(2),
    };
    (outer, inner)
}

/// How far the help can scroll in `area` (the screen between header and status line):
/// a pure function of the model, so that `update` clamps the keys to what `draw` shows.
pub fn max_scroll(model: &Model, area: Rect) -> u16 {
    let (_, inner) = boxes(model, area);
    let lines = lines(model, &Theme::default(), inner.width).len();
    u16::try_from(lines.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}

/// Rows of help one page key moves.
pub fn page_rows(model: &Model, area: Rect) -> usize {
    usize::from(boxes(model, area).1.height).max(1)
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, scroll: u16) {
    let (outer, inner) = boxes(model, area);
    let lines = lines(model, theme, inner.width);
    let scroll = scroll.min(max_scroll(model, area));
    let below = lines
        .len()
        .saturating_sub(usize::from(scroll) + usize::from(inner.height));
    frame.render_widget(Clear, outer);
    let mut block = Block::new()
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
    // More below, or above, is said on the border where the keys to reach it are.
    if below > 0 || scroll > 0 {
        let more = match (scroll > 0, below > 0) {
            (true, true) => format!(" ↑{scroll} ↓{below} more "),
            (true, false) => format!(" ↑{scroll} more "),
            _ => format!(" ↓{below} more "),
        };
        block = block.title(Line::styled(more, theme.dim).right_aligned());
    }
    // Read-only is said on the border too, where a short screen cannot hide it.
    if model.session.read_only {
        block = block.title_bottom(Line::styled(" read-only ", theme.read_only).left_aligned());
    }
    frame.render_widget(block, outer);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Everything the help says, for a box `width` cells wide inside: two columns when
/// they fit side by side, one after the other when not, then the selected charge's
/// actions and the read-only note.
fn lines(model: &Model, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let left = column(model, theme, &HelpGroup::ALL[..LEFT]);
    let right = column(model, theme, &HelpGroup::ALL[LEFT..]);
    let width_of = |lines: &[Line]| lines.iter().map(Line::width).max().unwrap_or(0);
    let (left_width, right_width) = (width_of(&left), width_of(&right));
    let width = usize::from(width);
    let gap = 3;
    let mut out: Vec<Line<'static>> = if left_width + gap + right_width <= width {
        let rows = left.len().max(right.len());
        let mut left = left.into_iter();
        let mut right = right.into_iter();
        (0..rows)
            .map(|_| {
                let l = left.next().unwrap_or_default();
                let pad = left_width + gap - l.width();
                let mut spans = l.spans;
                spans.push(Span::raw(" ".repeat(pad)));
                spans.extend(right.next().unwrap_or_default().spans);
                Line::from(spans)
            })
            .collect()
    } else {
        let mut all = left;
        all.push(Line::raw(""));
        all.extend(right);
        all
    };
    // On a session its own keys come first, where the help opens.
    if matches!(
        model.screens.top(),
        Some(Pane::Recon(_) | Pane::Sessions(_))
    ) {
        let mut first = recon_lines(model, theme, width);
        first.push(Line::raw(""));
        out.splice(0..0, first);
    }
    if matches!(model.screens.top(), Some(Pane::Stats(_))) {
        let mut first = stats_lines(model, theme);
        first.push(Line::raw(""));
        out.splice(0..0, first);
    }
    out.push(Line::raw(""));
    let syntax = format::wrap(FILTER_SYNTAX, width.saturating_sub(7).max(10));
    for (i, part) in syntax.into_iter().enumerate() {
        let label = if i == 0 { "filter " } else { "       " };
        out.push(Line::from(vec![
            Span::styled(label, theme.title),
            Span::styled(part, theme.text),
        ]));
    }
    if let Some(charge) = offers::target_charge(model) {
        out.push(Line::raw(""));
        out.push(Line::from(vec![
            Span::styled("the selected charge ", theme.title),
            Span::styled(super::safe_text::clean(&charge.id).into_owned(), theme.dim),
        ]));
        if !model.session.read_only {
            out.extend(charge::action_lines(model, charge, theme, width));
        }
    }
    if model.session.read_only {
        let note = format!(
            "read-only: profile {} cannot capture, void, refund or change customers",
            model.session.profile
        );
        for line in format::wrap(&note, width.saturating_sub(2).max(1)) {
            out.push(Line::styled(format!("  {line}"), theme.warn));
        }
    }
    out
}

/// The statistics screen's own keys (`[keys.stats]`, as remapped).
fn stats_lines(model: &Model, theme: &Theme) -> Vec<Line<'static>> {
    let rows = [
        (ModeAction::Earlier, "the period before"),
        (ModeAction::Later, "the period after"),
        (ModeAction::ZoomIn, "zoom in: month, week, day, hour"),
        (ModeAction::ZoomOut, "zoom out"),
        (ModeAction::ToggleTable, "the exact figures, or the charts"),
        (ModeAction::NextCurrency, "the next currency's volume"),
        (ModeAction::Expiring, "authorisations lapsing within 24 h"),
    ];
    let keys: Vec<(String, &str)> = rows
        .iter()
        .map(|(a, what)| (model.keymap.modes.key_for(KeyMode::Stats, *a), *what))
        .collect();
    let mut lines = vec![Line::styled("statistics", theme.title)];
    lines.extend(key_lines(theme, keys));
    lines
}

/// A session's own keys (`[keys.recon]`, as remapped) and its commands.
fn recon_lines(model: &Model, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let rows = [
        (
            ModeAction::Match,
            "accept the proposal, or match the picked items",
        ),
        (
            ModeAction::Pick,
            "pick a deposit or payout for a match by hand",
        ),
        (
            ModeAction::Unmatch,
            "undo the selected item's match or proposal",
        ),
        (ModeAction::Flag, "flag with a note"),
        (ModeAction::Ignore, "ignore, with a reason"),
        (ModeAction::Note, "add a note"),
        (ModeAction::Import, "import a statement file"),
        (
            ModeAction::Claim,
            "claim the exception for yourself, or give it up",
        ),
    ];
    let keys: Vec<(String, &str)> = rows
        .iter()
        .map(|(a, what)| (model.keymap.modes.key_for(KeyMode::Recon, *a), *what))
        .chain([
            (
                model.keymap.keys_for(Intent::SwitchFocus),
                "deposits, payouts, exceptions",
            ),
            (
                model.keymap.keys_for(Intent::Open),
                "a payout's lines, then the charge",
            ),
        ])
        .collect();
    let mut lines = vec![Line::styled("reconciliation", theme.title)];
    lines.extend(key_lines(theme, keys));
    let commands = ":recon [NAME [FROM..TO]]  :import PATH [BANK]  :signoff  :reopen REASON";
    for part in format::wrap(commands, width.saturating_sub(2).max(10)) {
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(part, theme.key),
        ]));
    }
    lines
}

/// Keys and what they do, a line each, the words lined up after the widest key.
fn key_lines(theme: &Theme, rows: Vec<(String, &str)>) -> Vec<Line<'static>> {
    let key_width = rows
        .iter()
        .map(|(k, _)| format::width(k))
        .max()
        .unwrap_or(1);
    rows.into_iter()
        .map(|(key, what)| {
            let pad = key_width.saturating_sub(format::width(&key));
            Line::from(vec![
                Span::raw("  "),
                Span::styled(key, theme.key),
                Span::raw(" ".repeat(pad + 2)),
                Span::styled(what.to_string(), theme.text),
            ])
        })
        .collect()
}

fn column(model: &Model, theme: &Theme, groups: &[HelpGroup]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(group.name(), theme.title));
        let rows: Vec<(String, &str)> = group
            .intents()
            .filter(|i| offers::gateway_can(&model.session.caps, *i))
            .map(|i| match model.keymap.keys_for(i) {
                k if k.is_empty() => ("—".to_string(), i.describe()),
                k => (k, i.describe()),
            })
            .collect();
        lines.extend(key_lines(theme, rows));
        if *group == HelpGroup::Customers {
            // Three to a line, so that the column stays narrow enough to sit beside
            // the other on an 80-column screen.
            let commands: Vec<&str> = command::offered(&model.session.caps)
                .filter(|c| COMMANDS.contains(c))
                .collect();
            for chunk in commands.chunks(3) {
                let mut spans = vec![Span::raw("  ")];
                for (i, command) in chunk.iter().enumerate() {
                    if i > 0 {
                        spans.push(Span::raw("  "));
                    }
                    spans.push(Span::styled(*command, theme.key));
                }
                lines.push(Line::from(spans));
            }
        }
    }
    lines
}
