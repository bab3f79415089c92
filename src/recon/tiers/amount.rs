//! Tier 2: the only open payout of exactly the deposit's amount within the date
//! window, when that payout has no other deposit of that amount in its window either.

use crate::recon::matcher::Board;
use crate::recon::matching::Tier;

pub(crate) fn run(board: &mut Board<'_>) {
    let open: Vec<usize> = board.open_deposits().collect();
    for d in open {
        let minor = board.deposits[d].minor;
        let same: Vec<usize> = board
            .candidates(d)
            .filter(|p| board.payouts[*p].minor == minor)
            .collect();
        let [p] = same[..] else {
            continue;
        };
        let payout = &board.payouts[p];
        let rivals = board
            .open_deposits()
            .filter(|o| *o != d)
            .filter(|o| {
                let other = &board.deposits[*o];
                other.minor == minor
                    && other.amount.currency == payout.amount.currency
                    && board.config.window.contains(payout.arrival, other.booked)
            })
            .count();
        if rivals > 0 {
            continue;
        }
        let why = format!(
            "the only payout of {} arriving within the window of {} (arrives {})",
            payout.amount, board.deposits[d].booked, payout.arrival
        );
        board.accept(d, p, Tier::Amount, why);
    }
}
