//! How the session screen names an item for the operator: a bank line by its date,
//! amount and text (its identity is a hash), a payout or charge by its id, an exception
//! by its kind and what it is about. The audit log keeps the ids as well.

use crate::recon::session::{Board, ExceptionRow};
use crate::store::sessions::{ItemKind, ItemRef};

/// `deposit 2026-11-23 A$123.45 TRANSFER FROM J CITIZEN`, `payout po_1 A$97.80`.
pub fn label(board: &Board, item: &ItemRef) -> String {
    match item.kind {
        ItemKind::Deposit => match board.deposits.iter().find(|d| &d.item == item) {
            Some(d) => format!(
                "deposit {} {} {}",
                d.line.booked,
                money(&d.line.currency, d.line.amount_minor),
                d.line.text
            ),
            None => item.to_string(),
        },
        ItemKind::Payout => match board.payouts.iter().find(|p| &p.item == item) {
            Some(p) => format!("payout {} {}", p.payout.id, p.payout.amount),
            None => item.to_string(),
        },
        ItemKind::Exception => match board.exceptions.iter().find(|e| &e.item == item) {
            Some(e) => format!("{} {}", e.kind.name(), about(board, e)),
            None => item.to_string(),
        },
        ItemKind::Charge | ItemKind::PayoutLine => format!("{} {}", item.kind.as_str(), item.id),
    }
}

/// What an exception is about: its first deposit, payout or charge, and how many more.
pub fn about(board: &Board, e: &ExceptionRow) -> String {
    let all: Vec<&ItemRef> = e
        .deposits
        .iter()
        .chain(&e.payouts)
        .chain(&e.charges)
        .collect();
    let short = |item: &ItemRef| match item.kind {
        ItemKind::Deposit => board.deposits.iter().find(|d| &d.item == item).map_or_else(
            || "a deposit".to_string(),
            |d| {
                format!(
                    "deposit {} {}",
                    d.line.booked,
                    money(&d.line.currency, d.line.amount_minor)
                )
            },
        ),
        _ => item.id.clone(),
    };
    match all.split_first() {
        Some((first, [])) => short(first),
        Some((first, rest)) => format!("{} +{}", short(first), rest.len()),
        None => String::new(),
    }
}

/// A bank line's minor units as paydeck writes money everywhere (`A$1.00`, the same as
/// the payouts beside it), exact; a code paydeck does not know keeps its minor units.
pub fn money(currency: &str, minor: i64) -> String {
    match crate::money::Currency::from_code(currency) {
        Ok(c) => crate::money::Money::from_minor(minor, c).to_string(),
        Err(_) => format!("{currency} {minor} (minor units)"),
    }
}
