//! The disputes pane: those that need a response first, highlighted, with the time left
//! to answer; only the rows on screen drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::app::Model;
use crate::app::screens::DisputesPane;
use crate::domain::{Dispute, DisputeStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, GAP, Want};
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
    if area.height == 0 || area.width == 0 {
        return;
    }
    let list = &pane.list;
    let body_rows = usize::from(area.height - 1);
    let total = list.visible_len();
    let offset = crate::app::layout::first_visible(list.offset(), list.selected_row(), body_rows);
    let rows: Vec<&Dispute> = list.rows(offset, body_rows).collect();
    if rows.is_empty() {
        let (text, style) = match (&list.error, list.loaded) {
            (Some(why), _) => (format!("could not load disputes: {why}"), theme.error),
            (None, false) => ("loading disputes…".to_string(), theme.dim),
            (None, true) => ("no disputes".to_string(), theme.dim),
        };
        list_parts::message(frame, area, &text, style);
        return;
    }
    let table_area = Rect {
        width: if total > body_rows {
            area.width.saturating_sub(2)
        } else {
            area.width
        },
        ..area
    };
    let amounts: Vec<String> = rows.iter().map(|d| d.amount.to_string()).collect();
    let dues: Vec<String> = rows.iter().map(|d| due(d, model.now)).collect();
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
    let widths = list_parts::fit_in_order(&wants, &[AMOUNT, 0, 1, DUE, 4, 5, 6], table_area.width);
    let shown: Vec<usize> = (0..TITLES.len()).filter(|i| widths[*i] > 0).collect();
    let header = Row::new(shown.iter().map(|&i| {
        let line = Line::from(TITLES[i]);
        Cell::from(if i == AMOUNT {
            line.alignment(Alignment::Right)
        } else {
            line
        })
    }))
    .style(theme.column_header);
    let body = rows
        .iter()
        .zip(amounts)
        .zip(dues)
        .map(|((d, amount), due)| {
            let urgent = d.status.needs_response();
            Row::new(shown.iter().map(|&i| {
                let w = usize::from(widths[i]);
                match i {
                    0 if model.busy.contains_key(&d.id) => {
                        Cell::from(Span::styled("…", theme.warn))
                    }
                    0 if urgent => Cell::from(Span::styled("!", theme.error)),
                    0 => Cell::from(""),
                    1 => Cell::from(Span::styled(
                        format::truncate(&crate::ui::safe_text::clean(d.status.label()), w),
                        status_style(theme, &d.status),
                    )),
                    DUE => Cell::from(Span::styled(
                        due.clone(),
                        if urgent { theme.warn } else { theme.dim },
                    )),
                    AMOUNT => Cell::from(
                        Line::from(format::amount(&amount, w)).alignment(Alignment::Right),
                    ),
                    4 => Cell::from(format::truncate(&d.reason, w)),
                    5 => Cell::from(format::truncate(&d.charge_id, w)),
                    _ => Cell::from(Span::styled(format::truncate(&d.id, w), theme.dim)),
                }
            }))
        });
    let table = Table::new(body, shown.iter().map(|i| Constraint::Length(widths[*i])))
        .header(header)
        .column_spacing(GAP)
        .row_highlight_style(theme.selected);
    let mut state = TableState::default();
    let selected = list.selected_row();
    if selected >= offset {
        state.select(Some(selected - offset));
    }
    frame.render_stateful_widget(table, table_area, &mut state);
    let body_area = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    list_parts::scrollbar(theme, frame, body_area, total, offset);
}
