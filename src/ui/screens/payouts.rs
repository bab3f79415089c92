//! The payouts pane: newest first, with what reached (or will reach) the bank and when;
//! only the rows on screen drawn.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use crate::app::Model;
use crate::app::screens::PayoutsPane;
use crate::domain::{Payout, PayoutStatus};
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, Want};
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

const CREATED: usize = 0;
const STATUS: usize = 1;
const AMOUNT: usize = 2;
const ARRIVAL: usize = 3;
const REFERENCE: usize = 4;
const LINES: usize = 5;
const ID: usize = 6;
const TITLES: [&str; 7] = [
    "created",
    "status",
    "amount",
    "arrival",
    "bank reference",
    "lines",
    "payout",
];

/// How a payout's status is drawn: paid is done, failed needs looking at.
pub fn status_style(theme: &Theme, status: &PayoutStatus) -> Style {
    match status {
        PayoutStatus::Paid => theme.success,
        PayoutStatus::Pending | PayoutStatus::InTransit => theme.warn,
        PayoutStatus::Failed => theme.error,
        PayoutStatus::Canceled | PayoutStatus::Other(_) => theme.dim,
    }
}

/// The day a payout arrives (or arrived), or a dash where the gateway does not say.
pub fn arrival(payout: &Payout) -> String {
    payout
        .arrival
        .map_or_else(|| "—".into(), |d| d.format("%Y-%m-%d").to_string())
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &PayoutsPane) {
    let list = &pane.list;
    // Payouts are not filtered: a list held is never all filtered out.
    let empty = list_parts::why_empty(theme, list, "payouts", String::new, "no payouts yet");
    let created = format::created_title(model.zone, model.now);
    let mut titles = TITLES;
    titles[CREATED] = &created;
    let columns = Columns::of_screen(theme, &titles, Some(AMOUNT), empty).sorted(list);
    let widths = |rows: &[&Payout], width| widths(rows, &created, width);
    list_parts::screen_table((model, theme), frame, area, list, columns, widths, cell);
}

/// Each column's width for `rows` in `width`.
fn widths(rows: &[&Payout], created: &str, width: u16) -> Vec<u16> {
    let amounts: Vec<String> = rows.iter().map(|p| p.amount.to_string()).collect();
    let time = u16::try_from(format::width(created)).unwrap_or(11).max(11);
    let wants = [
        Want {
            min: time,
            ideal: time,
        },
        Want {
            min: 7,
            ideal: list_parts::widest(rows.iter().map(|p| p.status.label()), "status", 14),
        },
        Want {
            min: list_parts::widest(amounts.iter().map(String::as_str), "amount", 24).max(11),
            ideal: 0,
        },
        Want { min: 10, ideal: 10 },
        Want {
            min: 10,
            ideal: list_parts::widest(
                rows.iter()
                    .map(|p| p.bank_reference.as_deref().unwrap_or("")),
                "bank reference",
                32,
            ),
        },
        Want { min: 5, ideal: 5 },
        Want {
            min: 10,
            ideal: list_parts::widest(rows.iter().map(|p| p.id.as_str()), "payout", 32),
        },
    ];
    // What reached the bank, in what state, when, and how to find it on the statement;
    // then how many lines and the id (the payout's screen shows them whole).
    list_parts::fit_in_order(
        &wants,
        &[AMOUNT, STATUS, ARRIVAL, CREATED, REFERENCE, LINES, ID],
        width,
    )
}

/// Payout `p`'s cell in column `i`, `w` wide.
fn cell(model: &Model, theme: &Theme, p: &Payout, i: usize, w: usize) -> Cell<'static> {
    match i {
        CREATED => Cell::from(format::short_time(p.created, model.zone)),
        STATUS => Cell::from(Span::styled(
            format::truncate(&clean(p.status.label()), w),
            status_style(theme, &p.status),
        )),
        AMOUNT => Cell::from(
            Line::from(format::amount(&p.amount.to_string(), w)).alignment(Alignment::Right),
        ),
        ARRIVAL => Cell::from(arrival(p)),
        REFERENCE => Cell::from(format::truncate(
            p.bank_reference.as_deref().unwrap_or("—"),
            w,
        )),
        LINES => Cell::from(
            Line::from(p.line_count.map_or_else(|| "—".into(), |n| n.to_string()))
                .alignment(Alignment::Right),
        ),
        _ => Cell::from(Span::styled(format::truncate(&p.id, w), theme.dim)),
    }
}
