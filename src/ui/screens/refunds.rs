//! The refunds pane: every refund, newest first, pending ones marked; only the rows on
//! screen drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use crate::app::Model;
use crate::app::screens::RefundsPane;
use crate::domain::{Refund, RefundStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, GAP, Want};
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
    if area.height == 0 || area.width == 0 {
        return;
    }
    let list = &pane.list;
    let body_rows = usize::from(area.height - 1);
    let total = list.visible_len();
    let offset = crate::app::layout::first_visible(list.offset(), list.selected_row(), body_rows);
    let rows: Vec<&Refund> = list.rows(offset, body_rows).collect();
    if rows.is_empty() {
        let (text, style) = if let Some(why) = &list.error {
            (format!("could not load refunds: {why}"), theme.error)
        } else if !list.loaded {
            ("loading refunds…".to_string(), theme.dim)
        } else if !list.is_empty() {
            (
                format!("no refunds match {}", list.filter_text.trim()),
                theme.dim,
            )
        } else {
            ("no refunds yet".to_string(), theme.dim)
        };
        list_parts::message(frame, area, &text, style);
        return;
    }

    let scrollbar = total > body_rows;
    let table_area = Rect {
        width: if scrollbar {
            area.width.saturating_sub(2)
        } else {
            area.width
        },
        ..area
    };
    let amounts: Vec<String> = rows.iter().map(|r| r.amount.to_string()).collect();
    let charge_width = list_parts::widest(rows.iter().map(|r| r.charge_id.as_str()), "charge", 32);
    let created = format::created_title(model.zone, model.now);
    let time = u16::try_from(format::width(&created)).unwrap_or(11).max(11);
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
    let widths = list_parts::fit(
        &wants,
        &[REASON, ID, CHARGE, MARK, CREATED, STATUS],
        &[ID, REASON],
        table_area.width,
    );
    let shown: Vec<usize> = (0..TITLES.len()).filter(|i| widths[*i] > 0).collect();
    let header = Row::new(shown.iter().map(|&i| {
        let line = Line::from(if i == CREATED {
            created.clone()
        } else {
            TITLES[i].to_string()
        });
        Cell::from(if i == AMOUNT {
            line.alignment(Alignment::Right)
        } else {
            line
        })
    }))
    .style(theme.column_header);
    let body = rows.iter().zip(amounts).map(|(r, amount)| {
        let pending = r.status == RefundStatus::Pending;
        Row::new(shown.iter().map(|&i| {
            let w = usize::from(widths[i]);
            match i {
                MARK if model.busy.contains_key(&r.id) => Cell::from(Span::styled("…", theme.warn)),
                MARK if pending => Cell::from(Span::styled("●", theme.warn)),
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
                        Line::from(Span::styled(format::amount(&amount, w), style))
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
