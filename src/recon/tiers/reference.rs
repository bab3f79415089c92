//! Tier 1: the bank's text names the payout (its id, trace id or bank reference, its
//! statement descriptor, Pin's `reference`), the amounts are equal and the deposit is
//! in the date window. A reference the bank cut short counts when it is long enough
//! and starts the name of no other open payout.

use crate::recon::matcher::Board;
use crate::recon::matching::Tier;

/// The shortest cut-short reference read as a payout's: shorter ones are too likely
/// to start several.
pub const MIN_PREFIX: usize = 6;

/// How a deposit's text names a payout.
enum Named {
    /// Whole: (what it is, the text).
    Whole(&'static str, String),
    /// Cut short: (what it is, the payout's full text).
    Cut(&'static str, String),
}

/// Whether `deposit`'s text (normalised) names payout `p`, and how.
fn names(board: &Board<'_>, d: usize, p: usize) -> Option<Named> {
    let deposit = &board.deposits[d];
    let payout = &board.payouts[p];
    for (name, key) in &payout.keys {
        if deposit.texts.iter().any(|t| t.contains(key.as_str())) {
            return Some(Named::Whole(name, key.clone()));
        }
    }
    let cut = &deposit.reference;
    if cut.chars().count() < MIN_PREFIX {
        return None;
    }
    let (name, key) = payout
        .keys
        .iter()
        .find(|(_, key)| key.starts_with(cut.as_str()))?;
    // Unambiguous: no other open payout's name starts the same way.
    let others = (0..board.payouts.len())
        .filter(|o| *o != p && !board.payout_taken[*o])
        .any(|o| {
            board.payouts[o]
                .keys
                .iter()
                .any(|(_, k)| k.starts_with(cut.as_str()))
        });
    (!others).then(|| Named::Cut(name, key.clone()))
}

/// Whether deposit `d`'s text names payout `p`, whole or cut short.
pub(crate) fn named(board: &Board<'_>, d: usize, p: usize) -> bool {
    names(board, d, p).is_some()
}

pub(crate) fn run(board: &mut Board<'_>) {
    let open: Vec<usize> = board.open_deposits().collect();
    for d in open {
        let mut hits: Vec<(usize, Named)> = board
            .candidates(d)
            .filter(|p| board.payouts[*p].minor == board.deposits[d].minor)
            .filter_map(|p| names(board, d, p).map(|n| (p, n)))
            .collect();
        // Two payouts named: not a match.
        if hits.len() != 1 {
            continue;
        }
        let Some((p, named)) = hits.pop() else {
            continue;
        };
        let id = board.payouts[p].id.clone();
        let why = match named {
            Named::Whole(name, key) => {
                format!("the bank's text holds payout {id}'s {name} {key:?}, for the same amount")
            }
            Named::Cut(name, key) => format!(
                "the bank's reference {:?} is the start of payout {id}'s {name} {key:?} (cut short), for the same amount",
                board.deposits[d].reference
            ),
        };
        board.accept(d, p, Tier::Reference, why);
    }
}
