//! A session's tab as a table: deposits (date, amount, text, reference, state, note),
//! payouts (profile, id, arrival, amount, lines, state, awaiting) or the exceptions
//! queue (kind, what it is about, amount, why, state, note). Picked items are marked.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use crate::app::Model;
use crate::app::screens::ReconPane;
use crate::app::screens::recon::Tab;
use crate::app::screens::recon_labels::{about, money};
use crate::app::selection::Selection;
use crate::recon::session::{Board, DepositRow, ExceptionRow, ExceptionState, PayoutRow};
use crate::store::sessions::{ItemRef, ItemState};
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, Scrolled, Want};
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

/// One tab's rows, as the shared table reads a list.
struct TabRows<'a, T> {
    items: &'a [T],
    at: Selection,
}

impl<T> Scrolled for TabRows<'_, T> {
    type Item = T;
    fn visible_len(&self) -> usize {
        self.items.len()
    }
    fn selected_row(&self) -> usize {
        self.at.row
    }
    fn offset(&self) -> usize {
        self.at.offset
    }
    fn rows(&self, start: usize, count: usize) -> Vec<&T> {
        self.items.iter().skip(start).take(count).collect()
    }
}

pub fn draw(
    _model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    pane: &ReconPane,
    board: &Board,
) {
    let at = pane.selection();
    let picked = |item: &ItemRef| if pane.is_picked(item) { "•" } else { " " };
    match pane.tab {
        Tab::Deposits => {
            let cell = |d: &DepositRow, i, w| deposit_cell(theme, picked(&d.item), d, i, w);
            let spec = (
                &DEPOSIT_TITLES[..],
                2,
                "no statement lines yet: :import PATH",
            );
            tab_table(
                theme,
                frame,
                area,
                (&board.deposits, at),
                spec,
                deposit_widths,
                cell,
            );
        }
        Tab::Payouts => {
            let cell = |p: &PayoutRow, i, w| payout_cell(theme, picked(&p.item), p, i, w);
            let spec = (&PAYOUT_TITLES[..], 4, "no payouts in the period");
            tab_table(
                theme,
                frame,
                area,
                (&board.payouts, at),
                spec,
                payout_widths,
                cell,
            );
        }
        Tab::Exceptions => {
            let cell = |e: &ExceptionRow, i, w| exception_cell(theme, board, e, i, w);
            let widths = |rows: &[&ExceptionRow], w| exception_widths(board, rows, w);
            let spec = (&EXCEPTION_TITLES[..], 2, "no exceptions");
            tab_table(
                theme,
                frame,
                area,
                (&board.exceptions, at),
                spec,
                widths,
                cell,
            );
        }
    }
}

/// One tab's rows under its titles (the amount column, `right`, aligned right), or
/// `none` when it has none.
fn tab_table<T>(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    (items, at): (&[T], Selection),
    (titles, right, none): (&[&str], usize, &str),
    widths: impl for<'r> FnOnce(&[&'r T], u16) -> Vec<u16>,
    cell: impl for<'r> Fn(&'r T, usize, usize) -> Cell<'static>,
) {
    let rows = TabRows { items, at };
    let columns = Columns::of_screen(theme, titles, Some(right), (none.to_string(), theme.dim));
    let cell = |row, i, w| -> Cell<'_> { cell(row, i, w) };
    list_parts::table(theme, frame, area, &rows, columns, widths, cell);
}

pub fn state_style(theme: &Theme, state: ItemState) -> Style {
    match state {
        ItemState::Matched => theme.success,
        ItemState::Proposed => theme.accent,
        ItemState::Flagged => theme.warn,
        ItemState::Ignored => theme.dim,
        ItemState::Open => theme.text,
    }
}

fn text(value: &str, w: usize) -> Cell<'static> {
    Cell::from(format::truncate(&clean(value), w))
}

fn right(value: String, w: usize) -> Cell<'static> {
    Cell::from(Line::from(format::amount(&value, w)).alignment(Alignment::Right))
}

fn want(min: u16, ideal: u16) -> Want {
    Want { min, ideal }
}

const DEPOSIT_TITLES: [&str; 7] = ["", "booked", "amount", "text", "reference", "state", "note"];

fn deposit_amount(d: &DepositRow) -> String {
    money(&d.line.currency, d.line.amount_minor)
}

fn deposit_widths(rows: &[&DepositRow], width: u16) -> Vec<u16> {
    let amounts: Vec<String> = rows.iter().map(|d| deposit_amount(d)).collect();
    let wants = [
        want(1, 1),
        want(10, 10),
        want(
            list_parts::widest(amounts.iter().map(String::as_str), "amount", 24),
            0,
        ),
        want(
            8,
            list_parts::widest(rows.iter().map(|d| d.line.text.as_str()), "text", 40),
        ),
        want(
            8,
            list_parts::widest(
                rows.iter().map(|d| d.line.reference.as_str()),
                "reference",
                24,
            ),
        ),
        want(7, 8),
        want(
            8,
            list_parts::widest(rows.iter().filter_map(|d| d.note.as_deref()), "note", 40),
        ),
    ];
    list_parts::fit_in_order(&wants, &[2, 0, 5, 1, 3, 4, 6], width)
}

fn deposit_cell(theme: &Theme, picked: &str, d: &DepositRow, i: usize, w: usize) -> Cell<'static> {
    match i {
        0 => Cell::from(Span::styled(picked.to_string(), theme.accent)),
        1 => Cell::from(d.line.booked.to_string()),
        2 => right(deposit_amount(d), w),
        3 => text(&d.line.text, w),
        4 => text(&d.line.reference, w),
        5 => Cell::from(Span::styled(d.state.as_str(), state_style(theme, d.state))),
        _ => text(d.note.as_deref().unwrap_or(""), w),
    }
}

const PAYOUT_TITLES: [&str; 9] = [
    "", "profile", "payout", "arrival", "amount", "lines", "state", "awaiting", "note",
];

fn payout_widths(rows: &[&PayoutRow], width: u16) -> Vec<u16> {
    let amounts: Vec<String> = rows.iter().map(|p| p.payout.amount.to_string()).collect();
    let wants = [
        want(1, 1),
        want(
            7,
            list_parts::widest(rows.iter().map(|p| p.item.profile.as_str()), "profile", 16),
        ),
        want(
            10,
            list_parts::widest(rows.iter().map(|p| p.payout.id.as_str()), "payout", 32),
        ),
        want(10, 10),
        want(
            list_parts::widest(amounts.iter().map(String::as_str), "amount", 24),
            0,
        ),
        want(5, 5),
        want(7, 8),
        want(8, 8),
        want(
            8,
            list_parts::widest(rows.iter().filter_map(|p| p.note.as_deref()), "note", 40),
        ),
    ];
    list_parts::fit_in_order(&wants, &[4, 0, 6, 2, 3, 7, 5, 1, 8], width)
}

fn payout_cell(theme: &Theme, picked: &str, p: &PayoutRow, i: usize, w: usize) -> Cell<'static> {
    match i {
        0 => Cell::from(Span::styled(picked.to_string(), theme.accent)),
        1 => text(&p.item.profile, w),
        2 => Cell::from(Span::styled(
            format::truncate(&clean(&p.payout.id), w),
            theme.dim,
        )),
        3 => Cell::from(
            p.payout
                .arrival
                .map_or_else(|| "—".into(), |d| d.format("%Y-%m-%d").to_string()),
        ),
        4 => right(p.payout.amount.to_string(), w),
        5 => Cell::from(Line::from(p.lines.to_string()).alignment(Alignment::Right)),
        6 => Cell::from(Span::styled(p.state.as_str(), state_style(theme, p.state))),
        7 => Cell::from(Span::styled(
            if p.awaiting { "awaiting" } else { "" },
            theme.dim,
        )),
        _ => text(p.note.as_deref().unwrap_or(""), w),
    }
}

const EXCEPTION_TITLES: [&str; 6] = ["kind", "about", "amount", "why", "state", "note"];

/// The note column: who holds the exception (another operator working on it), then
/// its latest note.
fn exception_note(board: &Board, e: &ExceptionRow) -> String {
    let note = e.note.as_deref().unwrap_or("");
    match board.claims.iter().find(|c| c.item == e.item) {
        Some(claim) if note.is_empty() => format!("held by {}", claim.holder),
        Some(claim) => format!("held by {} · {note}", claim.holder),
        None => note.to_string(),
    }
}

fn exception_widths(board: &Board, rows: &[&ExceptionRow], width: u16) -> Vec<u16> {
    let amounts: Vec<String> = rows.iter().map(|e| e.amount.to_string()).collect();
    let abouts: Vec<String> = rows.iter().map(|e| about(board, e)).collect();
    let notes: Vec<String> = rows.iter().map(|e| exception_note(board, e)).collect();
    let wants = [
        want(
            10,
            list_parts::widest(rows.iter().map(|e| e.kind.name()), "kind", 26),
        ),
        want(
            10,
            list_parts::widest(abouts.iter().map(String::as_str), "about", 40),
        ),
        want(
            list_parts::widest(amounts.iter().map(String::as_str), "amount", 24),
            0,
        ),
        want(
            10,
            list_parts::widest(rows.iter().map(|e| e.why.as_str()), "why", 60),
        ),
        want(7, 7),
        want(
            8,
            list_parts::widest(notes.iter().map(String::as_str), "note", 40),
        ),
    ];
    list_parts::fit_in_order(&wants, &[2, 4, 0, 1, 3, 5], width)
}

fn exception_cell(
    theme: &Theme,
    board: &Board,
    e: &ExceptionRow,
    i: usize,
    w: usize,
) -> Cell<'static> {
    let style = match e.state {
        ExceptionState::Open => theme.warn,
        ExceptionState::Flagged => theme.accent,
        ExceptionState::Ignored => theme.dim,
    };
    match i {
        0 => text(e.kind.name(), w),
        1 => text(&about(board, e), w),
        2 => right(e.amount.to_string(), w),
        3 => text(&e.why, w),
        4 => Cell::from(Span::styled(e.state.as_str(), style)),
        _ => text(&exception_note(board, e), w),
    }
}
