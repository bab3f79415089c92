//! The disputes pane: those that need a response first, highlighted, with the time left
//! to answer; only the rows on screen drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use crate::app::Model;
use crate::app::screens::DisputesPane;
use crate::domain::{Dispute, DisputeStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, Want};
use crate::ui::theme::Theme;

const TITLES: [&str; 7] = ["", "status", "due", "amount", "reason", "charge", "dispute"];
const DUE: usize = 2;
const AMOUNT: usize = 3;

/// How a dispute's status is drawn: urgent ones stand out.
pub fn status_style(theme: &Theme, status: &DisputeStatus) -> Style {
    match status {
        DisputeStatus::NeedsResponse | DisputeStatus::WarningNeedsResponse => theme.error,
        DisputeStatus::UnderReview => theme.warn,
        DisputeStatus::Won => theme.success,
        DisputeStatus::Lost | DisputeStatus::Other(_) => theme.dim,
    }
}

/// Time left to answer, for disputes that still need an answer.
pub fn due(dispute: &Dispute, now: chrono::DateTime<chrono::Utc>) -> String {
    match dispute.evidence_due {
        Some(due) if dispute.status.needs_response() => {
            format::time_left(due, now).unwrap_or_else(|| "overdue".into())
        }
        _ => "—".into(),
    }
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &DisputesPane) {
    let list = &pane.list;
    // Disputes are not filtered: a list held is never all filtered out.
    let empty = list_parts::why_empty(theme, list, "disputes", String::new, "no disputes");
    let columns = Columns::of_screen(theme, &TITLES, Some(AMOUNT), empty).sorted(list);
    list_parts::screen_table((model, theme), frame, area, list, columns, widths, cell);
}

/// Each column's width for `rows` in `width`.
fn widths(rows: &[&Dispute], width: u16) -> Vec<u16> {
    let amounts: Vec<String> = rows.iter().map(|d| d.amount.to_string()).collect();
    let wants = [
        Want { min: 1, ideal: 1 },
        Want {
            min: 14,
            ideal: list_parts::widest(rows.iter().map(|d| d.status.label()), "status", 23),
        },
        Want { min: 8, ideal: 9 },
        Want {
            min: list_parts::widest(amounts.iter().map(String::as_str), "amount", 20).max(11),
            ideal: 0,
        },
        Want {
            min: 10,
            ideal: list_parts::widest(rows.iter().map(|d| d.reason.as_str()), "reason", 24),
        },
        Want {
            min: 10,
            ideal: list_parts::widest(rows.iter().map(|d| d.charge_id.as_str()), "charge", 32),
        },
        Want {
            min: 10,
            ideal: list_parts::widest(rows.iter().map(|d| d.id.as_str()), "dispute", 32),
        },
    ];
    // Each column gets what its values need in order of importance: what is owed,
    // what state it is in, how long is left to answer, why, then the ids (the detail
    // shows them whole).
    list_parts::fit_in_order(&wants, &[AMOUNT, 0, 1, DUE, 4, 5, 6], width)
}

/// Dispute `d`'s cell in column `i`, `w` wide.
fn cell(model: &Model, theme: &Theme, d: &Dispute, i: usize, w: usize) -> Cell<'static> {
    let urgent = d.status.needs_response();
    match i {
        0 if model.busy.contains_key(&d.id) => Cell::from(Span::styled("…", theme.warn)),
        0 if urgent => Cell::from(Span::styled("!", theme.error)),
        0 => Cell::from(""),
        1 => Cell::from(Span::styled(
            format::truncate(&crate::ui::safe_text::clean(d.status.label()), w),
            status_style(theme, &d.status),
        )),
        DUE => Cell::from(Span::styled(
            due(d, model.now),
            if urgent { theme.warn } else { theme.dim },
        )),
        AMOUNT => Cell::from(
            Line::from(format::amount(&d.amount.to_string(), w)).alignment(Alignment::Right),
        ),
        4 => Cell::from(format::truncate(&d.reason, w)),
        5 => Cell::from(format::truncate(&d.charge_id, w)),
        _ => Cell::from(Span::styled(format::truncate(&d.id, w), theme.dim)),
    }
}
