//! What a session reads from each profile's store for its period: the payouts with
//! their lines, and the captured charges no payout holds yet.

use chrono::{NaiveDate, NaiveTime, TimeDelta};

use crate::money::{Currency, Money};
use crate::recon::{PayoutWithLines, StatementLine, UnpaidCharge};
use crate::store::sessions::SessionView;
use crate::store::{self, PAYOUTS_MAX, Store, UNPAID_MAX};

/// A payout created this long before the period may still be deposited in it.
pub const PAYOUT_LOOKBACK: TimeDelta = TimeDelta::days(14);

/// One profile's side of a session.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProfileInputs {
    pub profile: String,
    /// Oldest first, each with its lines.
    pub payouts: Vec<PayoutWithLines>,
    /// Captured in the period, on no stored payout line.
    pub unpaid: Vec<UnpaidCharge>,
}

/// Reads `profile`'s payouts created from `PAYOUT_LOOKBACK` before `from` to the end
/// of `to`, with their lines, and the charges captured from `from` to the end of `to`
/// that no payout holds.
pub fn gather(
    store: &Store,
    profile: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> store::Result<ProfileInputs> {
    let start = from.and_time(NaiveTime::MIN).and_utc();
    let end = (to + TimeDelta::days(1)).and_time(NaiveTime::MIN).and_utc();
    let mut payouts = Vec::new();
    for payout in store.payouts_between(start - PAYOUT_LOOKBACK, end, PAYOUTS_MAX)? {
        let lines = store.balance_lines(&payout.id)?;
        payouts.push(PayoutWithLines { payout, lines });
    }
    let unpaid = store.captured_in_no_payout(start, end, UNPAID_MAX)?;
    Ok(ProfileInputs {
        profile: profile.to_string(),
        payouts,
        unpaid,
    })
}

/// The session's lines as auto-match reads them, in the view's order (a line whose
/// currency paydeck does not know is read as having no amount and left out of
/// matching, which cannot happen to a line an import wrote).
pub fn statement_lines(view: &SessionView) -> Vec<StatementLine> {
    view.lines
        .iter()
        .map(|l| {
            let amount = Currency::from_code(&l.currency)
                .map(|c| Money::from_minor(l.amount_minor, c))
                .unwrap_or_else(|_| Money::zero(Currency::AUD));
            StatementLine {
                at_line: 0,
                booked: l.booked,
                value_date: None,
                amount,
                text: l.text.clone(),
                reference: l.reference.clone(),
                other_refs: l.other_refs.clone(),
                bank_id: Some(l.identity.as_str().to_string()),
                details: Vec::new(),
            }
        })
        .collect()
}
