//! Auto-match: the tiers in turn over what is still unmatched (reference, then exact
//! amount, then proposals), then the exceptions queue over what is left and over the
//! payouts' own lines. Pure and deterministic: the same input gives the same answer in
//! the same order.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::exceptions;
use super::matching::{Match, MatchConfig, MatchInput, MatchOutcome, Tier};
use super::tiers;
use crate::domain::PayoutStatus;
use crate::money::{Currency, Money};

/// A statement line as the tiers read it.
#[derive(Debug)]
pub(crate) struct Deposit {
    pub index: usize,
    pub amount: Money,
    pub minor: i64,
    pub booked: NaiveDate,
    /// The bank's reference, normalised ([`normalise`]).
    pub reference: String,
    /// Every text the bank gave (reference, description, other references),
    /// normalised, empty ones left out.
    pub texts: Vec<String>,
}

/// A payout looked for on the statement.
#[derive(Debug)]
pub(crate) struct Expected {
    pub id: String,
    pub amount: Money,
    pub minor: i64,
    pub arrival: NaiveDate,
    /// What the bank may show of it, normalised, with what each is: (name, text).
    pub keys: Vec<(&'static str, String)>,
}

impl Expected {
    /// Whether the gateway says what the statement should show besides the id.
    pub fn has_reference(&self) -> bool {
        self.keys.iter().any(|(name, _)| *name != "payout id")
    }
}

/// What is matched so far.
pub(crate) struct Board<'a> {
    pub config: &'a MatchConfig,
    pub deposits: Vec<Deposit>,
    pub payouts: Vec<Expected>,
    pub deposit_taken: Vec<bool>,
    pub payout_taken: Vec<bool>,
    /// Each deposit explained by payouts: the payouts' places in `payouts`.
    pub paid_by: BTreeMap<usize, Vec<usize>>,
    pub outcome: MatchOutcome,
}

/// Upper case, runs of white space as one space, trimmed: how references compare.
pub(crate) fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

impl<'a> Board<'a> {
    fn new(input: &MatchInput<'_>, config: &'a MatchConfig) -> Board<'a> {
        let deposits: Vec<Deposit> = input
            .lines
            .iter()
            .enumerate()
            .filter_map(|(index, line)| {
                let minor = line.amount.to_minor().ok()?;
                let mut texts: Vec<String> = [&line.reference, &line.text]
                    .into_iter()
                    .chain(&line.other_refs)
                    .chain(line.details.iter().map(|d| &d.reference))
                    .chain(line.details.iter().filter_map(|d| d.end_to_end_id.as_ref()))
                    .map(|t| normalise(t))
                    .filter(|t| !t.is_empty())
                    .collect();
                texts.dedup();
                Some(Deposit {
                    index,
                    amount: line.amount,
                    minor,
                    booked: line.booked,
                    reference: normalise(&line.reference),
                    texts,
                })
            })
            .collect();
        let currencies: Vec<Currency> = deposits.iter().map(|d| d.amount.currency).collect();
        let payouts: Vec<Expected> = input
            .payouts
            .iter()
            .map(|p| &p.payout)
            .filter(|p| !matches!(p.status, PayoutStatus::Failed | PayoutStatus::Canceled))
            .filter(|p| currencies.contains(&p.amount.currency))
            .filter_map(|p| {
                let minor = p.amount.to_minor().ok().filter(|m| *m != 0)?;
                let arrival = p.arrival.unwrap_or(p.created.date_naive());
                // Paid before the statement's first day: an earlier statement's.
                if config.window.around(arrival).1 < input.from {
                    return None;
                }
                let named = [
                    ("bank reference", p.bank_reference.as_deref()),
                    ("statement descriptor", p.statement_descriptor.as_deref()),
                    ("payout id", Some(p.id.as_str())),
                ];
                let keys = named
                    .into_iter()
                    .filter_map(|(name, text)| Some((name, normalise(text?))))
                    .filter(|(_, text)| !text.is_empty())
                    .collect();
                Some(Expected {
                    id: p.id.clone(),
                    amount: p.amount,
                    minor,
                    arrival,
                    keys,
                })
            })
            .collect();
        let mut payouts = payouts;
        payouts.sort_by(|a, b| (a.arrival, &a.id).cmp(&(b.arrival, &b.id)));
        Board {
            config,
            deposit_taken: vec![false; deposits.len()],
            payout_taken: vec![false; payouts.len()],
            deposits,
            payouts,
            paid_by: BTreeMap::new(),
            outcome: MatchOutcome::default(),
        }
    }

    /// Untaken deposits, in statement order.
    pub fn open_deposits(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.deposits.len()).filter(|d| !self.deposit_taken[*d])
    }

    /// Untaken payouts that could have made deposit `d`: same currency, window.
    pub fn candidates(&self, d: usize) -> impl Iterator<Item = usize> + '_ {
        let deposit = &self.deposits[d];
        (0..self.payouts.len()).filter(move |p| {
            let payout = &self.payouts[*p];
            !self.payout_taken[*p]
                && payout.amount.currency == deposit.amount.currency
                && self.config.window.contains(payout.arrival, deposit.booked)
        })
    }

    /// Deposit `d` explained by payouts `ps`.
    pub fn take(&mut self, d: usize, ps: &[usize]) {
        self.deposit_taken[d] = true;
        for p in ps {
            self.payout_taken[*p] = true;
        }
        self.paid_by.insert(d, ps.to_vec());
    }

    /// Deposit `d` matched to payout `p` by `tier`, accepted.
    pub fn accept(&mut self, d: usize, p: usize, tier: Tier, why: String) {
        self.take(d, &[p]);
        self.outcome.matches.push(Match {
            deposit: self.deposits[d].index,
            payout: self.payouts[p].id.clone(),
            tier,
            why,
        });
    }

    /// The ids of payouts `ps`, sorted.
    pub fn ids(&self, ps: &[usize]) -> Vec<String> {
        let mut ids: Vec<String> = ps.iter().map(|p| self.payouts[*p].id.clone()).collect();
        ids.sort();
        ids
    }
}

/// Auto-match and the exceptions queue over `input`.
pub fn auto_match(input: &MatchInput<'_>, config: &MatchConfig) -> MatchOutcome {
    let mut board = Board::new(input, config);
    tiers::reference::run(&mut board);
    tiers::amount::run(&mut board);
    tiers::proposals::run(&mut board);
    exceptions::bank_side(&mut board, input.as_of);
    let mut outcome = board.outcome;
    outcome
        .exceptions
        .extend(exceptions::ledger_side(input, config));
    outcome.matches.sort_by_key(|m| m.deposit);
    outcome.proposals.sort_by_key(|p| (p.line(), p.deposit));
    outcome.exceptions.sort_by(|a, b| {
        (a.kind, &a.deposits, &a.payouts, &a.charges).cmp(&(
            b.kind,
            &b.deposits,
            &b.payouts,
            &b.charges,
        ))
    });
    outcome
}
