//! The difference-to-zero bar's figures, per currency, in minor units:
//! - statement: every imported line;
//! - matched: the lines in an accepted match;
//! - unmatched: the lines neither matched nor ignored (proposed and flagged included);
//! - difference: what the statement still does not explain: the unmatched lines, plus
//!   whatever an accepted match's sides differ by beyond its adjustment line (zero
//!   when each match balances, which the matcher and the match dialog make sure of).

use std::collections::{BTreeMap, HashMap};

use super::inputs::ProfileInputs;
use crate::store::sessions::{ItemKind, ItemState, SessionView, Totals};

pub fn totals(view: &SessionView, profiles: &[ProfileInputs]) -> Vec<Totals> {
    let mut by: BTreeMap<String, Totals> = BTreeMap::new();
    let mut add = |currency: &str, f: &dyn Fn(&mut Totals)| {
        let t = by.entry(currency.to_string()).or_insert_with(|| Totals {
            currency: currency.to_string(),
            statement: 0,
            matched: 0,
            unmatched: 0,
            difference: 0,
        });
        f(t);
    };
    let states: HashMap<&str, ItemState> = view
        .items
        .iter()
        .filter(|row| row.item.kind == ItemKind::Deposit)
        .map(|row| (row.item.id.as_str(), row.state))
        .collect();
    let mut line_amount: HashMap<&str, (&str, i64)> = HashMap::new();
    for line in &view.lines {
        let minor = line.amount_minor;
        line_amount.insert(line.identity.as_str(), (line.currency.as_str(), minor));
        match states
            .get(line.identity.as_str())
            .copied()
            .unwrap_or(ItemState::Open)
        {
            ItemState::Matched => add(&line.currency, &|t| {
                t.statement = t.statement.saturating_add(minor);
                t.matched = t.matched.saturating_add(minor);
            }),
            ItemState::Ignored => add(&line.currency, &|t| {
                t.statement = t.statement.saturating_add(minor);
            }),
            _ => add(&line.currency, &|t| {
                t.statement = t.statement.saturating_add(minor);
                t.unmatched = t.unmatched.saturating_add(minor);
                t.difference = t.difference.saturating_add(minor);
            }),
        }
    }
    // What each accepted match leaves unexplained, per currency.
    let payout_amount: HashMap<(&str, &str), (&str, i64)> = profiles
        .iter()
        .flat_map(|p| {
            p.payouts.iter().filter_map(move |w| {
                let minor = w.payout.amount.to_minor().ok()?;
                Some((
                    (p.profile.as_str(), w.payout.id.as_str()),
                    (w.payout.amount.currency.code(), minor),
                ))
            })
        })
        .collect();
    for m in view.matches.iter().filter(|m| !m.proposed) {
        let mut left: BTreeMap<&str, i64> = BTreeMap::new();
        for item in &m.items {
            match item.kind {
                ItemKind::Deposit => {
                    if let Some((c, minor)) = line_amount.get(item.id.as_str()) {
                        let e = left.entry(c).or_default();
                        *e = e.saturating_add(*minor);
                    }
                }
                ItemKind::Payout => {
                    if let Some((c, minor)) =
                        payout_amount.get(&(item.profile.as_str(), item.id.as_str()))
                    {
                        let e = left.entry(c).or_default();
                        *e = e.saturating_sub(*minor);
                    }
                }
                _ => {}
            }
        }
        if let Some(a) = &m.adjustment {
            let e = left.entry(a.currency.as_str()).or_default();
            *e = e.saturating_sub(a.amount_minor);
        }
        for (currency, off) in left {
            add(currency, &|t| {
                t.difference = t.difference.saturating_add(off)
            });
        }
    }
    by.into_values().collect()
}
