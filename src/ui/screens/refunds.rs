//! The refunds pane: every refund, newest first, pending ones marked; only the rows on
//! screen drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use crate::app::Model;
use crate::app::screens::RefundsPane;
use crate::domain::{Refund, RefundStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, Want};
use crate::ui::theme::Theme;

const MARK: usize = 0;
const CREATED: usize = 1;
const STATUS: usize = 2;
const AMOUNT: usize = 3;
const CHARGE: usize = 4;
const ID: usize = 5;
const REASON: usize = 6;
const TITLES: [&str; 7] = [
    "", "created", "status", "amount", "charge", "refund", "reason",
];

/// How a refund's status is drawn.
pub fn status_style(theme: &Theme, status: RefundStatus) -> Style {
    match status {
        RefundStatus::Succeeded => theme.success,
        RefundStatus::Pending => theme.warn,
        RefundStatus::Failed => theme.error,
    }
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &RefundsPane) {
    let list = &pane.list;
    let no_match = || format!("no refunds match {}", list.filter_text.trim());
    let empty = list_parts::why_empty(theme, list, "refunds", no_match, "no refunds yet");
    let created = format::created_title(model.zone, model.now);
    let mut titles = TITLES;
    titles[CREATED] = &created;
    let columns = Columns::of_screen(theme, &titles, Some(AMOUNT), empty).sorted(list);
    let widths = |rows: &[&Refund], width| widths(rows, &created, width);
    list_parts::screen_table((model, theme), frame, area, list, columns, widths, cell);
}

/// Each column's width for `rows` in `width`.
fn widths(rows: &[&Refund], created: &str, width: u16) -> Vec<u16> {
    let amounts = rows
        .iter()
        .map(|r| r.amount.to_string())
        .collect::<Vec<_>>();
    let charge_width = list_parts::widest(rows.iter().map(|r| r.charge_id.as_str()), "charge", 32);
    let time = u16::try_from(format::width(created)).unwrap_or(11).max(11);
    let wants = [
        Want { min: 1, ideal: 1 },
        Want {
            min: time,
            ideal: time,
        },
        Want { min: 9, ideal: 9 },
        Want {
            min: list_parts::widest(amounts.iter().map(String::as_str), "amount", 20).max(11),
            ideal: 0,
        },
        // The charge id is what `enter` jumps to: always whole.
        Want {
            min: charge_width,
            ideal: charge_width,
        },
        Want {
            min: 12,
            ideal: list_parts::widest(rows.iter().map(|r| r.id.as_str()), "refund", 32),
        },
        Want {
            min: 10,
            ideal: list_parts::widest(
                rows.iter().map(|r| {
                    r.error_message
                        .as_deref()
                        .or(r.reason.as_deref())
                        .unwrap_or("")
                }),
                "reason",
                60,
            ),
        },
    ];
    list_parts::fit(
        &wants,
        &[REASON, ID, CHARGE, MARK, CREATED, STATUS],
        &[ID, REASON],
        width,
    )
}

/// Refund `r`'s cell in column `i`, `w` wide.
fn cell(model: &Model, theme: &Theme, r: &Refund, i: usize, w: usize) -> Cell<'static> {
    match i {
        MARK if model.busy.contains_key(&r.id) => Cell::from(Span::styled("…", theme.warn)),
        MARK if r.status == RefundStatus::Pending => Cell::from(Span::styled("●", theme.warn)),
        MARK => Cell::from(""),
        CREATED => Cell::from(format::short_time(r.created, model.zone)),
        STATUS => Cell::from(Span::styled(
            r.status.label(),
            status_style(theme, r.status),
        )),
        AMOUNT => {
            let style = if r.status == RefundStatus::Failed {
                theme.dim
            } else {
                Style::new()
            };
            Cell::from(
                Line::from(Span::styled(
                    format::amount(&r.amount.to_string(), w),
                    style,
                ))
                .alignment(Alignment::Right),
            )
        }
        CHARGE => Cell::from(format::truncate(&r.charge_id, w)),
        ID => Cell::from(Span::styled(format::truncate(&r.id, w), theme.dim)),
        _ => {
            let (text, style) = match (&r.error_message, &r.reason) {
                (Some(error), _) => (error.as_str(), theme.error),
                (None, Some(reason)) => (reason.as_str(), theme.dim),
                (None, None) => ("", theme.dim),
            };
            Cell::from(Span::styled(format::truncate(text, w), style))
        }
    }
}
