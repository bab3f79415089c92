//! A match made by hand (`m` over selected items): the deposits on one side, the
//! payouts on the other, and an adjustment line with the operator's reason when they
//! differ.

use super::board::Board;
use crate::money::{Currency, Money};
use crate::store::sessions::{Adjustment, Event, ItemKind, ItemRef, MATCH_ITEMS_MAX, TEXT_MAX};

/// What the selected deposits exceed the selected payouts by (negative when they fall
/// short), or why these items cannot be matched.
pub fn match_difference(board: &Board, items: &[ItemRef]) -> Result<Money, String> {
    let deposits: Vec<_> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Deposit)
        .collect();
    let payouts: Vec<_> = items
        .iter()
        .filter(|i| i.kind == ItemKind::Payout)
        .collect();
    if deposits.is_empty() || payouts.is_empty() {
        return Err("select at least one deposit and one payout (space), then m".into());
    }
    if deposits.len() + payouts.len() != items.len() {
        return Err("only deposits and payouts are matched; leave the others out".into());
    }
    if items.len() > MATCH_ITEMS_MAX {
        return Err(format!("a match joins at most {MATCH_ITEMS_MAX} items"));
    }
    let mut sum: Option<Money> = None;
    let mut add = |m: Money| -> Result<(), String> {
        let next = match sum {
            None => m,
            Some(s) => s.checked_add(m).map_err(|_| {
                format!(
                    "the items are in {} and {}: a match is in one currency",
                    s.currency.code(),
                    m.currency.code()
                )
            })?,
        };
        sum = Some(next);
        Ok(())
    };
    for d in deposits {
        let row = board
            .deposits
            .iter()
            .find(|r| &r.item == d)
            .ok_or_else(|| format!("{d} is not in this session"))?;
        let currency = Currency::from_code(&row.line.currency).map_err(|e| e.to_string())?;
        add(Money::from_minor(row.line.amount_minor, currency))?;
    }
    for p in payouts {
        let row = board
            .payouts
            .iter()
            .find(|r| &r.item == p)
            .ok_or_else(|| format!("{p} is not in this session's period"))?;
        let negated = Money::zero(row.payout.amount.currency)
            .checked_sub(row.payout.amount)
            .map_err(|e| e.to_string())?;
        add(negated)?;
    }
    sum.ok_or_else(|| "nothing selected".into())
}

/// The event matching `items` by hand. When the sides differ, `reason` (for the
/// adjustment line that takes up the difference) is required.
pub fn manual_match(
    board: &Board,
    items: Vec<ItemRef>,
    reason: Option<&str>,
) -> Result<Event, String> {
    let difference = match_difference(board, &items)?;
    let adjustment = if difference.is_zero() {
        None
    } else {
        let reason = reason.map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| {
            format!(
                "the deposits and payouts differ by {}: give a reason for an adjustment line, or change the selection",
                difference.plain()
            )
        })?;
        if reason.chars().count() > TEXT_MAX {
            return Err(format!("the reason is longer than {TEXT_MAX} characters"));
        }
        Some(Adjustment {
            amount_minor: difference.to_minor().map_err(|e| e.to_string())?,
            currency: difference.currency.code().to_string(),
            reason: reason.to_string(),
        })
    };
    Ok(Event::Match {
        items,
        tier: 0,
        reason: "matched by hand".into(),
        proposed: false,
        adjustment,
    })
}
