//! Auto-match over a saved session: the matcher's answer as the events that record it,
//! leaving alone every item the operator (or an earlier run) has already decided.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;

use super::inputs::{ProfileInputs, statement_lines};
use super::scope::scoped;
use crate::recon::{
    MatchConfig, MatchInput, MatchOutcome, PayoutWithLines, ProposalKind, UnpaidCharge, auto_match,
};
use crate::store::sessions::{Adjustment, Event, ItemKind, ItemRef, ItemState, SessionView};

/// Runs auto-match over the session's lines and the profiles' payouts, and returns
/// the events that record its matches (tiers 1 and 2) and proposals (tier 3) whose
/// items are all still open, with the matcher's whole answer. Nothing is recorded:
/// the caller records the events, in order.
pub fn auto_match_events(
    view: &SessionView,
    profiles: &[ProfileInputs],
    config: &MatchConfig,
    as_of: NaiveDate,
) -> (Vec<Event>, MatchOutcome) {
    let profiles = &scoped(view, profiles, config);
    let outcome = run(view, profiles, config, as_of);
    let profile_of = profile_of(profiles);
    let deposit = |d: usize| ItemRef::deposit(&view.lines[d].identity);
    let payout = |id: &str| {
        let profile = profile_of.get(id).copied().unwrap_or_default();
        ItemRef::of(ItemKind::Payout, profile, id)
    };
    let states = states(view);
    let open = |items: &[ItemRef]| {
        items
            .iter()
            .all(|i| states.get(i).is_none_or(|s| *s == ItemState::Open))
    };
    let mut events = Vec::new();
    for m in &outcome.matches {
        let items = vec![deposit(m.deposit), payout(&m.payout)];
        if open(&items) {
            events.push(Event::Match {
                items,
                tier: m.tier.number(),
                reason: m.why.clone(),
                proposed: false,
                adjustment: None,
            });
        }
    }
    for p in &outcome.proposals {
        let (items, adjustment) = match &p.kind {
            ProposalKind::Merged => (vec![deposit(p.deposit)], None),
            // The deposit itself is matched to its payouts already: the fee line is
            // matched alone, its whole amount an adjustment.
            ProposalKind::BankFeeLine { fee_line } => {
                let line = &view.lines[*fee_line];
                let adjustment = Adjustment {
                    amount_minor: line.amount_minor,
                    currency: line.currency.clone(),
                    reason: format!("bank fee for the deposit of {}", p.payouts.join(" + ")),
                };
                (vec![deposit(*fee_line)], Some(adjustment))
            }
            ProposalKind::LessFee { fee } => {
                let adjustment = fee.to_minor().ok().map(|minor| Adjustment {
                    amount_minor: -minor,
                    currency: fee.currency.code().to_string(),
                    reason: "bank fee taken from the deposit".into(),
                });
                (vec![deposit(p.deposit)], adjustment)
            }
        };
        let mut items = items;
        if !matches!(p.kind, ProposalKind::BankFeeLine { .. }) {
            items.extend(p.payouts.iter().map(|id| payout(id)));
        }
        if open(&items) {
            events.push(Event::Match {
                items,
                tier: 3,
                reason: p.why.clone(),
                proposed: true,
                adjustment,
            });
        }
    }
    (events, outcome)
}

/// The matcher's answer for the session as it stands.
pub(super) fn run(
    view: &SessionView,
    profiles: &[ProfileInputs],
    config: &MatchConfig,
    as_of: NaiveDate,
) -> MatchOutcome {
    let lines = statement_lines(view);
    // One profile (the usual case) is read in place; several are put side by side.
    let (payouts, unpaid): (Cow<[PayoutWithLines]>, Cow<[UnpaidCharge]>) = match profiles {
        [one] => (Cow::Borrowed(&one.payouts), Cow::Borrowed(&one.unpaid)),
        many => (
            many.iter().flat_map(|p| p.payouts.clone()).collect(),
            many.iter().flat_map(|p| p.unpaid.clone()).collect(),
        ),
    };
    let input = MatchInput {
        lines: &lines,
        payouts: &payouts,
        unpaid: &unpaid,
        from: view.summary.from,
        as_of,
    };
    auto_match(&input, config)
}

/// Which profile holds each payout (the first, should two profiles share an id).
pub(super) fn profile_of(profiles: &[ProfileInputs]) -> HashMap<&str, &str> {
    let mut of = HashMap::new();
    for p in profiles {
        for payout in &p.payouts {
            of.entry(payout.payout.id.as_str())
                .or_insert(p.profile.as_str());
        }
    }
    of
}

/// Each item's state, for items with one other than open.
pub(super) fn states(view: &SessionView) -> HashMap<&ItemRef, ItemState> {
    view.items
        .iter()
        .map(|row| (&row.item, row.state))
        .collect()
}
