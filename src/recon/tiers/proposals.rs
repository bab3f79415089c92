//! Tier 3, proposals (never accepted without the operator): a deposit that is the sum
//! of two to `max_merged` open payouts of its currency within the window; a deposit
//! that is one payout less a bank fee of at most `max_bank_fee`, where the bank's text
//! names that payout (an amount near a payout's is no evidence alone); a bank fee booked as
//! its own line (a debit of at most `max_bank_fee` whose text says FEE) on the day of
//! a deposit already explained, proposed as that deposit's fee. Each only when one
//! answer fits: two ways to make a deposit propose neither.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::money::{Currency, Money};
use crate::recon::matcher::Board;
use crate::recon::matching::{Proposal, ProposalKind};

/// The open payouts a sum is looked for among, at most: the nearest by arrival.
const MAX_POOL: usize = 24;

pub(crate) fn run(board: &mut Board<'_>) {
    merged(board);
    less_fee(board);
    fee_lines(board);
}

/// `max_bank_fee` in minor units of `currency`.
fn max_fee(board: &Board<'_>, currency: Currency) -> i64 {
    (board.config.max_bank_fee * Decimal::from(10_i64.pow(currency.exponent())))
        .trunc()
        .to_i64()
        .unwrap_or(0)
}

/// Every set of 2..=`most` of `pool` (places, amounts) that adds up to `target`.
fn subsets(pool: &[(usize, i64)], target: i64, most: usize) -> Vec<Vec<usize>> {
    fn walk(
        pool: &[(usize, i64)],
        start: usize,
        left: i64,
        chosen: &mut Vec<usize>,
        most: usize,
        found: &mut Vec<Vec<usize>>,
    ) {
        if chosen.len() >= 2 && left == 0 {
            found.push(chosen.clone());
        }
        // Two ways are enough to know there is no single answer.
        if chosen.len() == most || found.len() > 1 {
            return;
        }
        for i in start..pool.len() {
            let Some(rest) = left.checked_sub(pool[i].1) else {
                continue;
            };
            chosen.push(pool[i].0);
            walk(pool, i + 1, rest, chosen, most, found);
            chosen.pop();
        }
    }
    let mut found = Vec::new();
    walk(pool, 0, target, &mut Vec::new(), most, &mut found);
    found
}

fn merged(board: &mut Board<'_>) {
    let open: Vec<usize> = board.open_deposits().collect();
    for d in open {
        let booked = board.deposits[d].booked;
        let mut pool: Vec<usize> = board.candidates(d).collect();
        pool.sort_by_key(|p| ((board.payouts[*p].arrival - booked).num_days().abs(), *p));
        pool.truncate(MAX_POOL);
        pool.sort_unstable();
        let amounts: Vec<(usize, i64)> =
            pool.iter().map(|p| (*p, board.payouts[*p].minor)).collect();
        let found = subsets(&amounts, board.deposits[d].minor, board.config.max_merged);
        let [ps] = &found[..] else {
            continue;
        };
        let ps = ps.clone();
        let payouts = board.ids(&ps);
        let why = format!(
            "{} payouts within the window add up to the deposit of {}: {}",
            ps.len(),
            board.deposits[d].amount,
            payouts.join(" + ")
        );
        board.take(d, &ps);
        board.outcome.proposals.push(Proposal {
            kind: ProposalKind::Merged,
            deposit: board.deposits[d].index,
            payouts,
            why,
        });
    }
}

fn less_fee(board: &mut Board<'_>) {
    let open: Vec<usize> = board.open_deposits().collect();
    for d in open {
        let deposit = &board.deposits[d];
        let most = max_fee(board, deposit.amount.currency);
        let fits: Vec<(usize, i64)> = board
            .candidates(d)
            .filter(|p| super::reference::named(board, d, *p))
            .filter_map(|p| {
                let fee = board.payouts[p].minor.checked_sub(deposit.minor)?;
                (1..=most).contains(&fee).then_some((p, fee))
            })
            .collect();
        let [(p, fee)] = fits[..] else {
            continue;
        };
        let fee = Money::from_minor(fee, deposit.amount.currency);
        let id = board.payouts[p].id.clone();
        let why = format!(
            "payout {id} of {} less a bank fee of {fee} is the deposit of {}",
            board.payouts[p].amount, deposit.amount
        );
        let index = deposit.index;
        board.take(d, &[p]);
        board.outcome.proposals.push(Proposal {
            kind: ProposalKind::LessFee { fee },
            deposit: index,
            payouts: vec![id],
            why,
        });
    }
}

/// Whether the bank's text says it is a fee.
fn says_fee(texts: &[String]) -> bool {
    texts.iter().any(|t| {
        t.split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "FEE" || w == "FEES")
    })
}

fn fee_lines(board: &mut Board<'_>) {
    let open: Vec<usize> = board.open_deposits().collect();
    for f in open {
        let line = &board.deposits[f];
        let most = max_fee(board, line.amount.currency);
        if !(line.minor < 0 && -line.minor <= most && says_fee(&line.texts)) {
            continue;
        }
        // The explained deposit of that day and currency nearest before it, else after.
        let same_day = |d: &usize| {
            let other = &board.deposits[*d];
            other.booked == line.booked && other.amount.currency == line.amount.currency
        };
        let before = board
            .paid_by
            .keys()
            .copied()
            .filter(|d| *d < f)
            .rfind(same_day);
        let after = board
            .paid_by
            .keys()
            .copied()
            .filter(|d| *d > f)
            .find(same_day);
        let Some(d) = before.or(after) else {
            continue;
        };
        let payouts = board.ids(&board.paid_by[&d]);
        let why = format!(
            "a bank fee of {} booked the day of the deposit of {} for {}",
            line.amount,
            board.deposits[d].amount,
            payouts.join(" + ")
        );
        let fee_line = line.index;
        board.deposit_taken[f] = true;
        board.outcome.proposals.push(Proposal {
            kind: ProposalKind::BankFeeLine { fee_line },
            deposit: board.deposits[d].index,
            payouts,
            why,
        });
    }
}
