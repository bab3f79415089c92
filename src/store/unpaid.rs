//! Captured charges that no stored payout line holds: the charges reconciliation looks
//! for in a payout still to come, or lists as not paid out.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::params;

use super::charge_row::millis;
use super::columns::{RowOf, rows_of};
use super::{Result, Store};
use crate::money::Money;
use crate::recon::UnpaidCharge;

/// A period asking for more unpaid charges than this is cut off, oldest kept.
pub const UNPAID_MAX: usize = 500_000;

/// How long before its capture a charge may have been authorised: the charge table is
/// keyed by creation time, so the search starts this far before the period.
const AUTHORISED_BEFORE_CAPTURE: TimeDelta = TimeDelta::days(31);

impl Store {
    /// Charges captured in `[from, until)` (amount captured above zero) whose id is on
    /// no stored payout line, oldest capture first, at most `limit` (capped at
    /// `UNPAID_MAX`).
    pub fn captured_in_no_payout(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<UnpaidCharge>> {
        let key = |t: DateTime<Utc>| t.timestamp().saturating_mul(1 << 20);
        let created_from = from
            .checked_sub_signed(AUTHORISED_BEFORE_CAPTURE)
            .unwrap_or(from);
        let limit = limit.min(UNPAID_MAX) as i64;
        rows_of(
            self.conn(),
            "SELECT id, currency, captured, captured_at FROM charge
             WHERE k >= ?1 AND k < ?2 AND captured_at >= ?3 AND captured_at < ?4 AND captured > 0
               AND NOT EXISTS (SELECT 1 FROM balance_line b WHERE b.charge_id = charge.id)
             ORDER BY captured_at, id LIMIT ?5",
            params![
                key(created_from),
                key(until),
                millis(from),
                millis(until),
                limit
            ],
            |row| {
                let of = RowOf::at(row, "charge")?;
                let currency = of.currency(&row.get::<_, String>(1)?)?;
                Ok(UnpaidCharge {
                    amount: Money::from_minor(row.get(2)?, currency),
                    captured: of.time(row.get(3)?)?,
                    id: of.id,
                })
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::{charge, t0};
    use crate::domain::{BalanceLine, ChargeStatus, LineAmounts, LineKind, RawJson};
    use crate::money::Currency;

    fn captured(n: i64) -> crate::domain::Charge {
        let mut c = charge(n, ChargeStatus::Captured);
        c.captured_at = Some(c.created + TimeDelta::minutes(1));
        c
    }

    fn paid(charge_id: &str) -> BalanceLine {
        let m = |n| Money::from_minor(n, Currency::AUD);
        BalanceLine {
            kind: LineKind::Charge,
            source_id: Some(charge_id.into()),
            charge_id: Some(charge_id.into()),
            amounts: LineAmounts {
                gross: m(1000),
                fee: m(30),
                fee_tax: m(0),
                net: m(970),
            },
            occurred: t0(),
            raw: RawJson::default(),
        }
    }

    #[test]
    fn only_captured_charges_of_the_period_on_no_payout_line_are_listed() {
        let mut store = Store::open_in_memory().unwrap();
        let mut charges: Vec<_> = (1..=6).map(captured).collect();
        charges.push(charge(7, ChargeStatus::Authorised));
        store.upsert_charges(&charges, t0()).unwrap();
        store
            .put_balance_lines("po_1", &[paid("ch_0002"), paid("ch_0004")], t0())
            .unwrap();
        let (from, until) = (
            charges[0].created,
            charges[4].created + TimeDelta::minutes(2),
        );
        let unpaid = store.captured_in_no_payout(from, until, 100).unwrap();
        let ids: Vec<&str> = unpaid.iter().map(|u| u.id.as_str()).collect();
        // 2 and 4 are paid out, 6 was captured as the period ended, 7 never was.
        assert_eq!(ids, ["ch_0001", "ch_0003", "ch_0005"]);
        assert_eq!(unpaid[1].amount, Money::from_minor(3000, Currency::AUD));
        assert_eq!(
            store.captured_in_no_payout(from, until, 2).unwrap().len(),
            2
        );
    }
}
