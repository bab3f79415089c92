//! A reconciliation session: its title (name, period, profiles, state), the
//! difference-to-zero bar (always drawn, per currency, exact), the tabs with their
//! counts and the session's keys, then the tab shown as a table (`recon_tables`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::recon_tables;
use crate::app::Model;
use crate::app::mode_keys::{KeyMode, ModeAction};
use crate::app::model::Loadable;
use crate::app::screens::ReconPane;
use crate::app::screens::recon::Tab;
use crate::money::{Currency, Money};
use crate::recon::session::{Board, ExceptionState};
use crate::store::sessions::Totals;
use crate::ui::format;
use crate::ui::list_parts;
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &ReconPane) {
    let area = match &model.sessions_down {
        Some(why) if area.height > 1 => unreachable(theme, frame, area, why),
        _ => area,
    };
    let board = match &pane.board {
        Loadable::Loaded(board) => board,
        Loadable::Loading => {
            let text = format!("working out session {}…", pane.name);
            return list_parts::message(frame, area, &text, theme.dim);
        }
        Loadable::Failed(why) => {
            let text = format!("session {}: {why}", pane.name);
            return list_parts::message(frame, area, &text, theme.error);
        }
    };
    let width = usize::from(area.width);
    let narrow = width < NARROW;
    let mut lines = vec![title(theme, pane, board, narrow)];
    lines.extend(bar(theme, board, width));
    lines.push(tabs(theme, pane, board, narrow));
    // The keys take a row only where the table keeps a few.
    if area.height >= 16 {
        lines.push(keys(model, theme, width));
    }
    let head = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            height: head,
            ..area
        },
    );
    let table = Rect {
        y: area.y + head,
        height: area.height - head,
        ..area
    };
    recon_tables::draw(model, theme, frame, table, pane, board);
}

/// The store cannot be reached: said on the first row, above what it last showed;
/// the rest of the area is left for that.
fn unreachable(theme: &Theme, frame: &mut Frame, area: Rect, why: &str) -> Rect {
    let text = format!(
        " store unreachable, retrying; marks are refused until it is back: {}",
        clean(why)
    );
    let row = Rect { height: 1, ..area };
    frame.render_widget(Paragraph::new(Line::styled(text, theme.error)), row);
    Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    }
}

/// Narrower than this, the title and tabs take their short forms.
const NARROW: usize = 64;

/// `nov · 2026-11-01 to 2026-11-30 · pin · open`, or who signed it off and when;
/// narrow, `nov · open · 2026-11-01..2026-11-30`.
fn title(theme: &Theme, pane: &ReconPane, board: &Board, narrow: bool) -> Line<'static> {
    let s = &board.summary;
    if narrow {
        let state = match &s.signed_off {
            Some(_) => Span::styled("signed off", theme.success),
            None => Span::styled("open", theme.warn),
        };
        return Line::from(vec![
            Span::styled(format!(" {} ", clean(&s.name)), theme.title),
            Span::styled("· ", theme.dim),
            state,
            Span::styled(format!(" · {}..{}", s.from, s.to), theme.dim),
        ]);
    }
    let state = match &s.signed_off {
        Some(by) => Span::styled(
            format!(
                "signed off by {} at {}",
                clean(&by.who),
                by.at.format("%Y-%m-%d %H:%M UTC")
            ),
            theme.success,
        ),
        None => Span::styled("open", theme.warn),
    };
    let mut spans = vec![
        Span::styled(format!(" {} ", clean(&s.name)), theme.title),
        Span::styled(format!("· {} to {} · ", s.from, s.to), theme.dim),
        Span::raw(clean(&s.profiles.join(", ")).into_owned()),
        Span::styled(" · ", theme.dim),
        state,
    ];
    if let Some(working) = pane.working {
        spans.push(Span::styled(format!("  {working}…"), theme.accent));
    }
    Line::from(spans)
}

/// One line per currency: the live totals, or those frozen at sign-off. The widest
/// wording that fits; the difference always shows.
fn bar(theme: &Theme, board: &Board, width: usize) -> Vec<Line<'static>> {
    let (totals, frozen) = if board.frozen.is_empty() {
        (&board.totals, false)
    } else {
        (&board.frozen, true)
    };
    if totals.is_empty() {
        return vec![Line::styled(
            " no statement imported yet: :import PATH",
            theme.dim,
        )];
    }
    totals
        .iter()
        .map(|t| bar_line(theme, t, frozen, width))
        .collect()
}

/// A total in minor units as the money formatting writes it, exact.
pub fn amount(currency: &str, minor: i64) -> String {
    match Currency::from_code(currency) {
        Ok(c) => Money::from_minor(minor, c).grouped(),
        Err(_) => minor.to_string(),
    }
}

fn bar_line(theme: &Theme, t: &Totals, frozen: bool, width: usize) -> Line<'static> {
    let a = |minor| amount(&t.currency, minor);
    const FULL: [&str; 4] = ["statement", "matched", "unmatched", "difference"];
    const SHORT: [&str; 4] = ["stmt", "mat", "unm", "diff"];
    let tag = if frozen { " (frozen)" } else { "" };
    let diff_style: Style = if t.difference == 0 {
        theme.success
    } else {
        theme.warn
    };
    for ([s, m, u, d], gap) in [(FULL, "  "), (FULL, " "), (SHORT, " ")] {
        let parts = [(s, t.statement), (m, t.matched), (u, t.unmatched)];
        let text: String = parts
            .iter()
            .map(|(label, minor)| format!("{label} {}{gap}", a(*minor)))
            .collect();
        let diff = format!("{d} {}", a(t.difference));
        let currency = format!(" {}{gap}", t.currency);
        if format::width(&format!("{currency}{text}{diff}{tag}")) <= width {
            return Line::from(vec![
                Span::styled(currency, theme.title),
                Span::raw(text),
                Span::styled(diff, diff_style),
                Span::styled(tag, theme.dim),
            ]);
        }
    }
    Line::from(vec![
        Span::styled(format!(" {} ", t.currency), theme.title),
        Span::styled(format!("diff {}", a(t.difference)), diff_style),
    ])
}

/// ` deposits 52 │ payouts 40 │ exceptions 7 (3 open)   2 picked`
fn tabs(theme: &Theme, pane: &ReconPane, board: &Board, narrow: bool) -> Line<'static> {
    let open = board
        .exceptions
        .iter()
        .filter(|e| e.state == ExceptionState::Open)
        .count();
    let mut spans = vec![Span::raw(" ")];
    for (i, tab) in Tab::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", theme.dim));
        }
        let count = match tab {
            Tab::Exceptions => format!("{} ({open} open)", pane.len(tab)),
            _ => pane.len(tab).to_string(),
        };
        let style = if tab == pane.tab {
            theme.selected
        } else {
            theme.text
        };
        let name = if narrow { &tab.name()[..3] } else { tab.name() };
        spans.push(Span::styled(format!("{name} {count}"), style));
    }
    if !pane.picked.is_empty() {
        spans.push(Span::styled(
            format!("   {} picked", pane.picked.len()),
            theme.accent,
        ));
    }
    Line::from(spans)
}

/// The session's own keys, as remapped.
fn keys(model: &Model, theme: &Theme, width: usize) -> Line<'static> {
    let k = |action| model.keymap.modes.key_for(KeyMode::Recon, action);
    let pairs = [
        (k(ModeAction::Match), "match/accept"),
        (k(ModeAction::Pick), "pick"),
        (k(ModeAction::Unmatch), "unmatch"),
        (k(ModeAction::Flag), "flag"),
        (k(ModeAction::Ignore), "ignore"),
        (k(ModeAction::Note), "note"),
        (k(ModeAction::Import), "import"),
        (k(ModeAction::Claim), "claim"),
        (":signoff".to_string(), ""),
    ];
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, what) in pairs {
        let piece = format::width(&key) + format::width(what) + 3;
        if used + piece > width {
            break;
        }
        used += piece;
        spans.push(Span::styled(key, theme.key));
        spans.push(Span::styled(format!(" {what}  "), theme.dim));
    }
    Line::from(spans)
}
