//! A session's own exports, from the board the screen shows: the exceptions queue as
//! it stands, and the signed-off summary (the session, who signed it off and when, the
//! difference-to-zero totals sign-off froze, how many items are in each state, and
//! each exception that was flagged or set aside with its note).

use chrono::SecondsFormat;

use super::error::ExportError;
use super::table::{Cell, ExportTable, decimal_text};
use crate::money::Currency;
use crate::recon::session::{Board, ExceptionRow, ExceptionState};
use crate::store::sessions::{ItemRef, Stamp, Totals};

pub const EXCEPTION_COLUMNS: [&str; 9] = [
    "kind", "state", "amount", "currency", "deposits", "payouts", "charges", "why", "note",
];

pub const SUMMARY_COLUMNS: [&str; 5] = ["section", "item", "currency", "value", "note"];

/// The exceptions queue, one row per exception in the board's order.
pub fn exceptions_table(board: &Board) -> Result<ExportTable, ExportError> {
    let mut rows = Vec::with_capacity(board.exceptions.len());
    for e in &board.exceptions {
        let amount = exception_amount(e)?;
        let deposits: Vec<String> = e.deposits.iter().map(|d| deposit(board, d)).collect();
        rows.push(vec![
            Cell::text(e.kind.name()),
            Cell::text(e.state.as_str()),
            amount,
            Cell::text(e.amount.currency.code()),
            Cell::text(deposits.join("; ")),
            Cell::text(names(&e.payouts)),
            Cell::text(names(&e.charges)),
            Cell::text(&e.why),
            note(e.note.as_deref()),
        ]);
    }
    Ok(ExportTable {
        name: "Exceptions".into(),
        header: EXCEPTION_COLUMNS.map(String::from).to_vec(),
        rows,
    })
}

/// The signed-off summary, signed off by `signoff`. The totals are those frozen at
/// sign-off where the board was built after it, else its live ones (a board built
/// before the sign-off event was recorded: what the sign-off froze).
pub fn summary_table(board: &Board, signoff: &Stamp) -> Result<ExportTable, ExportError> {
    let s = &board.summary;
    let text = |section: &str, item: &str, value: Cell| {
        vec![
            Cell::text(section),
            Cell::text(item),
            Cell::Empty,
            value,
            Cell::Empty,
        ]
    };
    let mut rows = vec![
        text("session", "name", Cell::text(&s.name)),
        text("session", "profiles", Cell::text(s.profiles.join(", "))),
        text("session", "from", Cell::Date(s.from)),
        text("session", "to", Cell::Date(s.to)),
        text("sign-off", "by", Cell::text(&signoff.who)),
        text(
            "sign-off",
            "at",
            Cell::text(signoff.at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        ),
    ];
    let (totals, said) = if s.signed_off.is_some() {
        (&board.frozen, "frozen at sign-off")
    } else {
        (&board.totals, "as signed off")
    };
    for t in totals {
        rows.extend(totals_rows(t, said)?);
    }
    for (state, deposits, payouts, exceptions) in board.counts() {
        for (what, count) in [
            ("deposits", deposits),
            ("payouts", payouts),
            ("exceptions", exceptions),
        ] {
            let count = i64::try_from(count).unwrap_or(i64::MAX);
            rows.push(text(what, state, Cell::Int(count)));
        }
    }
    let explained = board
        .exceptions
        .iter()
        .filter(|e| e.state != ExceptionState::Open);
    for e in explained {
        let amount = exception_amount(e)?;
        rows.push(vec![
            Cell::text(e.state.as_str()),
            Cell::text(e.label()),
            Cell::text(e.amount.currency.code()),
            amount,
            note(e.note.as_deref()),
        ]);
    }
    Ok(ExportTable {
        name: "Summary".into(),
        header: SUMMARY_COLUMNS.map(String::from).to_vec(),
        rows,
    })
}

fn exception_amount(e: &ExceptionRow) -> Result<Cell, ExportError> {
    Cell::money(e.amount).map_err(|why| ExportError::Amount {
        about: format!("exception {}", e.label()),
        why,
    })
}

/// One currency's four figures of the difference-to-zero bar.
fn totals_rows(t: &Totals, said: &str) -> Result<Vec<Vec<Cell>>, ExportError> {
    let currency = Currency::from_code(&t.currency).map_err(|why| ExportError::Amount {
        about: format!("the totals in {}", t.currency),
        why,
    })?;
    let figures = [
        ("statement", t.statement),
        ("matched", t.matched),
        ("unmatched", t.unmatched),
        ("difference", t.difference),
    ];
    Ok(figures
        .into_iter()
        .map(|(item, minor)| {
            vec![
                Cell::text("totals"),
                Cell::text(item),
                Cell::text(currency.code()),
                Cell::Money { minor, currency },
                Cell::text(said),
            ]
        })
        .collect())
}

/// A bank line as a person finds it on the statement: day, amount, text.
fn deposit(board: &Board, item: &ItemRef) -> String {
    let row = board.deposits.iter().find(|d| &d.item == item);
    match row {
        Some(d) => {
            let l = &d.line;
            let amount = Currency::from_code(&l.currency).map_or_else(
                |_| l.amount_minor.to_string(),
                |c| decimal_text(l.amount_minor, c),
            );
            format!("{} {amount} {} {}", l.booked, l.currency, l.text)
        }
        None => item.id.clone(),
    }
}

/// Payouts or charges as `profile/id`, separated by semicolons.
fn names(items: &[ItemRef]) -> String {
    let names: Vec<String> = items
        .iter()
        .map(|i| format!("{}/{}", i.profile, i.id))
        .collect();
    names.join("; ")
}

fn note(note: Option<&str>) -> Cell {
    note.filter(|n| !n.is_empty())
        .map_or(Cell::Empty, Cell::text)
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
