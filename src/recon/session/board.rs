//! The board: a session's deposits, payouts and exceptions queue with their states,
//! its difference-to-zero totals and whether it may be signed off, worked out from the
//! saved session and the profiles' payouts. The screen, `paydeck recon status` and the
//! exports all show this one answer.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::auto::{profile_of, run, states};
use super::exception_ref::exception_ref;
use super::inputs::ProfileInputs;
use super::scope::scoped;
use super::totals::totals;
use crate::domain::Payout;
use crate::money::Money;
use crate::recon::{Exception, ExceptionKind, MatchConfig, MatchOutcome};
use crate::store::sessions::signoff::{self, Remaining};
use crate::store::sessions::{
    Event, ItemKind, ItemRef, ItemRow, ItemState, LineRecord, SessionSummary, SessionView, Stamp,
    Totals,
};

/// One bank line.
#[derive(Clone, Debug, PartialEq)]
pub struct DepositRow {
    pub item: ItemRef,
    pub line: LineRecord,
    pub state: ItemState,
    pub match_id: Option<i64>,
    pub note: Option<String>,
    pub changed: Option<Stamp>,
}

/// One payout of a profile.
#[derive(Clone, Debug, PartialEq)]
pub struct PayoutRow {
    pub item: ItemRef,
    pub payout: Payout,
    /// How many balance lines the store holds for it.
    pub lines: usize,
    pub state: ItemState,
    pub match_id: Option<i64>,
    pub note: Option<String>,
    pub changed: Option<Stamp>,
    /// No deposit yet, and its window is still open.
    pub awaiting: bool,
}

/// Where an exception of the queue stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExceptionState {
    Open,
    /// Kept in the queue, explained by its note.
    Flagged,
    /// Set aside with a reason; it no longer holds sign-off up.
    Ignored,
}

impl ExceptionState {
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionState::Open => "open",
            ExceptionState::Flagged => "flagged",
            ExceptionState::Ignored => "ignored",
        }
    }
}

/// One entry of the exceptions queue.
#[derive(Clone, Debug, PartialEq)]
pub struct ExceptionRow {
    /// The item a flag, ignore or note on this exception is recorded against.
    pub item: ItemRef,
    pub kind: ExceptionKind,
    pub deposits: Vec<ItemRef>,
    pub payouts: Vec<ItemRef>,
    pub charges: Vec<ItemRef>,
    pub amount: Money,
    pub why: String,
    pub state: ExceptionState,
    pub note: Option<String>,
}

impl ExceptionRow {
    /// How a refusal names it: the kind and what it is about.
    pub fn label(&self) -> String {
        let about = self
            .deposits
            .iter()
            .chain(&self.payouts)
            .chain(&self.charges)
            .next()
            .map(|i| i.id.clone())
            .unwrap_or_default();
        format!("{} {}", self.kind.name(), about)
    }
}

/// A session worked out.
#[derive(Clone, Debug, PartialEq)]
pub struct Board {
    pub summary: SessionSummary,
    pub deposits: Vec<DepositRow>,
    pub payouts: Vec<PayoutRow>,
    pub exceptions: Vec<ExceptionRow>,
    /// Live, per currency.
    pub totals: Vec<Totals>,
    /// The totals frozen at sign-off; empty while the session is open.
    pub frozen: Vec<Totals>,
    /// Live matches and proposals, as saved.
    pub matches: Vec<crate::store::sessions::MatchRow>,
    /// Who holds which item, lapsed claims included (`holder_of` leaves them out).
    pub claims: Vec<crate::store::sessions::ClaimRow>,
    /// The newest event the board was built from: what a mark decided on it has seen.
    pub latest: i64,
    /// The session's claims version the board was built from (`SessionView`'s).
    pub claims_version: i64,
}

impl Board {
    /// Works the session out. `as_of` is the day the queue is judged on (today): a
    /// payout is missing only once its deposit window has closed by then.
    pub fn build(
        view: &SessionView,
        profiles: &[ProfileInputs],
        config: &MatchConfig,
        as_of: NaiveDate,
    ) -> Board {
        let profiles = &scoped(view, profiles, config);
        let outcome = run(view, profiles, config, as_of);
        let rows: HashMap<&ItemRef, &ItemRow> = view.items.iter().map(|r| (&r.item, r)).collect();
        let deposits: Vec<DepositRow> = view
            .lines
            .iter()
            .map(|line| {
                let item = ItemRef::deposit(&line.identity);
                let row = rows.get(&item).copied();
                DepositRow {
                    state: row.map_or(ItemState::Open, |r| r.state),
                    match_id: row.and_then(|r| r.match_id),
                    note: row.and_then(|r| r.note.clone()),
                    changed: row.map(|r| r.changed.clone()),
                    line: line.clone(),
                    item,
                }
            })
            .collect();
        let awaiting: BTreeSet<&str> = outcome.awaiting.iter().map(String::as_str).collect();
        let payouts: Vec<PayoutRow> = profiles
            .iter()
            .flat_map(|p| p.payouts.iter().map(move |w| (p.profile.as_str(), w)))
            .map(|(profile, w)| {
                let item = ItemRef::of(ItemKind::Payout, profile, &w.payout.id);
                let row = rows.get(&item).copied();
                PayoutRow {
                    state: row.map_or(ItemState::Open, |r| r.state),
                    match_id: row.and_then(|r| r.match_id),
                    note: row.and_then(|r| r.note.clone()),
                    changed: row.map(|r| r.changed.clone()),
                    awaiting: awaiting.contains(w.payout.id.as_str()),
                    lines: w.lines.len(),
                    payout: w.payout.clone(),
                    item,
                }
            })
            .collect();
        let exceptions = queue(view, profiles, &outcome, &rows);
        Board {
            summary: view.summary.clone(),
            totals: totals(view, profiles),
            frozen: view.frozen.clone(),
            matches: view.matches.clone(),
            claims: view.claims.clone(),
            latest: view.latest,
            claims_version: view.claims_version,
            deposits,
            payouts,
            exceptions,
        }
    }

    /// Who holds `item` at `now`, if anyone does.
    pub fn holder_of(
        &self,
        item: &ItemRef,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<&crate::store::sessions::ClaimRow> {
        self.claims
            .iter()
            .find(|c| &c.item == item && c.live_at(now))
    }

    /// Why sign-off is refused now, if it is (the rule is `signoff::refusal`).
    pub fn signoff_refusal(&self) -> Option<String> {
        if let Some(by) = &self.summary.signed_off {
            return Some(format!(
                "the session was signed off by {} at {}: reopen it first",
                by.who,
                by.at.format("%Y-%m-%d %H:%M UTC")
            ));
        }
        if let Some(p) = self.matches.iter().find(|m| m.proposed) {
            return Some(format!(
                "cannot sign off: proposal {} is waiting: accept it or undo it",
                p.id
            ));
        }
        let differences: Vec<(String, i64)> = self
            .totals
            .iter()
            .map(|t| (t.currency.clone(), t.difference))
            .collect();
        let remaining: Vec<Remaining> = self
            .exceptions
            .iter()
            .filter(|e| e.state != ExceptionState::Ignored)
            .map(|e| Remaining {
                label: e.label(),
                flagged: e.state == ExceptionState::Flagged,
                has_note: e.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
            })
            .collect();
        signoff::refusal(&differences, &remaining)
    }

    /// The sign-off event freezing the live totals, or why it is refused.
    pub fn signoff(&self) -> Result<Event, String> {
        match self.signoff_refusal() {
            Some(why) => Err(why),
            None => Ok(Event::SignOff {
                totals: self.totals.clone(),
            }),
        }
    }

    /// How many deposits, payouts and exceptions are in each state.
    pub fn counts(&self) -> Vec<(&'static str, usize, usize, usize)> {
        let states = [
            ItemState::Matched,
            ItemState::Proposed,
            ItemState::Flagged,
            ItemState::Ignored,
            ItemState::Open,
        ];
        states
            .into_iter()
            .map(|s| {
                let exceptions = self
                    .exceptions
                    .iter()
                    .filter(|e| e.state.as_str() == s.as_str())
                    .count();
                (
                    s.as_str(),
                    self.deposits.iter().filter(|d| d.state == s).count(),
                    self.payouts.iter().filter(|p| p.state == s).count(),
                    exceptions,
                )
            })
            .collect()
    }
}

/// The bank's side of the queue: resolved once its deposits or payouts are matched.
fn bank_side(kind: ExceptionKind) -> bool {
    matches!(
        kind,
        ExceptionKind::DepositWithoutPayout | ExceptionKind::PayoutWithoutDeposit
    )
}

/// The queue: the matcher's exceptions not resolved since, plus a deposit or payout
/// the matcher had paired that the operator unmatched (now without a partner).
fn queue(
    view: &SessionView,
    profiles: &[ProfileInputs],
    outcome: &MatchOutcome,
    rows: &HashMap<&ItemRef, &ItemRow>,
) -> Vec<ExceptionRow> {
    let profile_of = profile_of(profiles);
    let state = states(view);
    let deposit = |d: usize| ItemRef::deposit(&view.lines[d].identity);
    let payout = |id: &str| {
        ItemRef::of(
            ItemKind::Payout,
            profile_of.get(id).copied().unwrap_or_default(),
            id,
        )
    };
    let mut charge_profiles: HashMap<&str, &str> = HashMap::new();
    for p in profiles {
        let paid = p.payouts.iter().flat_map(|w| &w.lines);
        let ids = paid
            .filter_map(|l| l.charge_id.as_deref())
            .chain(p.unpaid.iter().map(|u| u.id.as_str()));
        for id in ids {
            charge_profiles.entry(id).or_insert(p.profile.as_str());
        }
    }
    let charge_profile = |id: &str| charge_profiles.get(id).copied().unwrap_or_default();
    let mut exceptions: Vec<Exception> = outcome.exceptions.clone();
    // Paired by the matcher, open again by hand.
    let paired_deposits: BTreeSet<usize> = outcome
        .matches
        .iter()
        .map(|m| m.deposit)
        .chain(outcome.proposals.iter().map(|p| p.line()))
        .collect();
    for d in paired_deposits {
        if state.get(&deposit(d)).is_none_or(|s| *s == ItemState::Open) {
            let line = &view.lines[d];
            if let Ok(c) = crate::money::Currency::from_code(&line.currency) {
                exceptions.push(Exception {
                    kind: ExceptionKind::DepositWithoutPayout,
                    deposits: vec![d],
                    payouts: Vec::new(),
                    charges: Vec::new(),
                    amount: Money::from_minor(line.amount_minor, c),
                    why: "unmatched by hand: match it to its payouts, or flag or ignore it".into(),
                });
            }
        }
    }
    let paired_payouts: BTreeSet<&str> = outcome
        .matches
        .iter()
        .map(|m| m.payout.as_str())
        .chain(
            outcome
                .proposals
                .iter()
                .flat_map(|p| p.payouts.iter().map(String::as_str)),
        )
        .collect();
    for id in paired_payouts {
        if state.get(&payout(id)).is_none_or(|s| *s == ItemState::Open)
            && let Some(w) = profiles
                .iter()
                .flat_map(|p| &p.payouts)
                .find(|w| w.payout.id == id)
        {
            exceptions.push(Exception {
                kind: ExceptionKind::PayoutWithoutDeposit,
                deposits: Vec::new(),
                payouts: vec![id.to_string()],
                charges: Vec::new(),
                amount: w.payout.amount,
                why: "unmatched by hand: match it to its deposit, or flag or ignore it".into(),
            });
        }
    }
    let identity = |d: usize| view.lines[d].identity.clone();
    let mut queue = Vec::new();
    for e in exceptions {
        let deposits: Vec<ItemRef> = e.deposits.iter().map(|d| deposit(*d)).collect();
        let payouts: Vec<ItemRef> = e.payouts.iter().map(|id| payout(id)).collect();
        let charges: Vec<ItemRef> = e
            .charges
            .iter()
            .map(|id| ItemRef::of(ItemKind::Charge, charge_profile(id), id))
            .collect();
        let item = exception_ref(&e, &identity);
        let subjects: Vec<&ItemRef> = if bank_side(e.kind) {
            deposits.iter().chain(&payouts).collect()
        } else {
            Vec::new()
        };
        if !subjects.is_empty()
            && subjects
                .iter()
                .all(|s| state.get(*s) == Some(&ItemState::Matched))
        {
            continue;
        }
        let (state, note) = match rows.get(&item) {
            Some(row) => (of_item(row.state), row.note.clone()),
            None => subjects
                .iter()
                .filter_map(|s| rows.get(*s))
                .find(|r| matches!(r.state, ItemState::Flagged | ItemState::Ignored))
                .map_or((ExceptionState::Open, None), |r| {
                    (of_item(r.state), r.note.clone())
                }),
        };
        queue.push(ExceptionRow {
            item,
            kind: e.kind,
            deposits,
            payouts,
            charges,
            amount: e.amount,
            why: e.why,
            state,
            note,
        });
    }
    queue
}

fn of_item(state: ItemState) -> ExceptionState {
    match state {
        ItemState::Flagged => ExceptionState::Flagged,
        ItemState::Ignored => ExceptionState::Ignored,
        _ => ExceptionState::Open,
    }
}
