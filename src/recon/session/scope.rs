//! What of the profiles' side a session looks at: the payouts and charges in the
//! currencies its statements hold (another currency is paid into another account, on
//! another statement), and only payouts whose deposit could fall in its period.

use std::collections::BTreeSet;

use super::inputs::ProfileInputs;
use crate::recon::MatchConfig;
use crate::store::sessions::SessionView;

/// The part of `profiles` that `view` reconciles. With no statement imported yet,
/// every currency is in scope.
pub fn scoped(
    view: &SessionView,
    profiles: &[ProfileInputs],
    config: &MatchConfig,
) -> Vec<ProfileInputs> {
    let currencies: BTreeSet<&str> = view.lines.iter().map(|l| l.currency.as_str()).collect();
    let in_currency = |code: &str| currencies.is_empty() || currencies.contains(code);
    let (from, to) = (view.summary.from, view.summary.to);
    profiles
        .iter()
        .map(|p| ProfileInputs {
            profile: p.profile.clone(),
            payouts: p
                .payouts
                .iter()
                .filter(|w| in_currency(w.payout.amount.currency.code()))
                .filter(|w| {
                    let arrival = w.payout.arrival.unwrap_or(w.payout.created.date_naive());
                    let (_, last) = config.window.around(arrival);
                    last >= from && w.payout.created.date_naive() <= to
                })
                .cloned()
                .collect(),
            unpaid: p
                .unpaid
                .iter()
                .filter(|u| in_currency(u.amount.currency.code()))
                .cloned()
                .collect(),
        })
        .collect()
}
