//! Stripe payouts, their balance transactions as lines, the balance, and what
//! became of a charge's money (its balance transaction and the payout that
//! took it).

use async_trait::async_trait;
use chrono::TimeDelta;
use serde_json::Value;
use serde_json::value::RawValue;

use super::wire::{self, ChargeBalance, ChargeTxn};
use super::{StripeGateway, request};
use crate::domain::{
    Balance, BalanceLine, ChargeSettlement, LineKind, Page, PageRequest, Payout, PayoutPlace,
};
use crate::gateway::error::clipped;
use crate::gateway::paths;
use crate::gateway::record::decode;
use crate::gateway::transport::Transport;
use crate::gateway::{GatewayError, Payouts, Result};

/// The most payouts of one day asked whether they hold a charge.
const MAX_CANDIDATES: usize = 10;
/// Stripe's ids are short; anything longer is not one.
const MAX_ID_LEN: usize = 255;

/// An id that goes into a query string: Stripe's characters only, or no such
/// object (so a hostile id never becomes another parameter or filter).
fn query_id<'a>(id: &'a str, what: &str) -> Result<&'a str> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(id)
    } else {
        Err(GatewayError::NotFound {
            message: clipped(format_args!("{id:?} is not a {what} id")),
        })
    }
}

#[async_trait]
impl Payouts for StripeGateway {
    async fn list_payouts(&self, page: &PageRequest) -> Result<Page<Payout>> {
        let request = request::get("payouts").query("expand[]", "data.destination");
        self.page(request, page, wire::payout).await
    }

    async fn get_payout(&self, id: &str) -> Result<Payout> {
        let request = request::get(paths::record("payouts", id)?).query("expand[]", "destination");
        self.one(request, wire::payout).await
    }

    /// `GET /v1/balance_transactions?payout=`, each line's source expanded to
    /// name its charge. The payout's own transaction (type `payout`) is the
    /// payout itself, not one of its lines, and is left out.
    async fn payout_lines(&self, id: &str, page: &PageRequest) -> Result<Page<BalanceLine>> {
        let request = request::get("balance_transactions")
            .query("payout", query_id(id, "payout")?)
            .query("expand[]", "data.source");
        let mut lines = self.page(request, page, wire::balance_line).await?;
        lines.items.retain(|line| line.kind != LineKind::Payout);
        Ok(lines)
    }

    async fn balance(&self) -> Result<Balance> {
        self.one(request::get("balance"), wire::balance).await
    }

    /// The charge's balance transaction gives its fee and net; until it is
    /// available, no payout can have taken it and `available_on` is when one
    /// can. Once available, see [`StripeGateway::payout_holding`].
    async fn charge_settlement(&self, charge_id: &str) -> Result<ChargeSettlement> {
        let request = request::get(paths::record("charges", charge_id)?)
            .query("expand[]", "balance_transaction");
        let txn = match self.one(request, wire::charge_balance).await? {
            ChargeBalance::None => {
                return Ok(ChargeSettlement {
                    amounts: None,
                    payout: PayoutPlace::Unknown,
                });
            }
            // Not expanded after all: read it by its id.
            ChargeBalance::Id(id) => {
                let path = paths::record("balance_transactions", &id)?;
                self.one(request::get(path), wire::charge_txn).await?
            }
            ChargeBalance::Txn(txn) => txn,
        };
        let payout = if txn.available {
            match self.payout_holding(&txn, charge_id).await? {
                Some(payout_id) => PayoutPlace::PaidOut { payout_id },
                None => PayoutPlace::NotYet { expected_by: None },
            }
        } else {
            PayoutPlace::NotYet {
                expected_by: txn.available_on.map(|t| t.date_naive()),
            }
        };
        Ok(ChargeSettlement {
            amounts: Some(txn.amounts),
            payout,
        })
    }
}

impl StripeGateway {
    /// The payout that took an available charge, without reading every payout:
    /// an automatic payout sweeps what is available when it is made, so it is
    /// one made within a day of the charge's `available_on`. Of that day's
    /// payouts in the charge's currency (one page, at most [`MAX_CANDIDATES`]),
    /// ask each for the charge's line (`?payout=…&source=…&limit=1`). None
    /// found: not paid out yet (a manual schedule, or a payout not yet made).
    async fn payout_holding(&self, txn: &ChargeTxn, charge_id: &str) -> Result<Option<String>> {
        let Some(from) = txn.available_on else {
            return Ok(None);
        };
        let source = txn.source.as_deref().unwrap_or(charge_id);
        let source = query_id(source, "charge")?;
        let day = request::get("payouts")
            .query("created[gte]", from.timestamp())
            .query("created[lt]", (from + TimeDelta::days(1)).timestamp());
        let payouts = self
            .page(day, &PageRequest::first(100), wire::payout)
            .await?;
        let currency = txn.amounts.currency();
        let candidates = payouts
            .items
            .into_iter()
            .filter(|p| p.amount.currency == currency)
            .take(MAX_CANDIDATES);
        for payout in candidates {
            let holds = request::get("balance_transactions")
                .query("payout", query_id(&payout.id, "payout")?)
                .query("source", source);
            let found = self.page(holds, &PageRequest::first(1), line_id).await?;
            if !found.items.is_empty() {
                return Ok(Some(payout.id));
            }
        }
        Ok(None)
    }
}

/// Only that a line is there.
fn line_id(raw: &RawValue) -> Result<()> {
    let _: Value = decode("balance transaction", raw)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_for_a_query_are_stripe_characters_only() {
        assert_eq!(query_id("po_1Abc", "payout").unwrap(), "po_1Abc");
        for bad in ["", "po_1&type=charge", "po 1", "po_1/..", &"x".repeat(256)] {
            assert!(
                matches!(query_id(bad, "payout"), Err(GatewayError::NotFound { .. })),
                "{bad}"
            );
        }
    }
}
