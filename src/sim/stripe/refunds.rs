//! Refunds: `/v1/refunds` and the charge-scoped routes of seed 004
//! (`/v1/charges/{ch}/refunds[/{re}]`, legacy `/v1/charges/{ch}/refund`).
//!
//! Refunding a captured charge returns captured money (pending, then succeeded
//! after the ledger's settlement delay); refunding an uncaptured charge releases
//! the whole authorisation (a succeeded refund; partial amounts are refused).

use std::sync::Arc;

use axum::extract::{Path, State};

use super::charges::{self, ledger_error, money};
use super::list::{self, ListQuery, envelope, page_of};
use super::{
    QueryParams, RequestParams, StripeError, StripeResult, StripeState, allow, int,
    metadata_update, missing_param, ok, render,
};
use crate::sim::form::Params;
use crate::sim::ledger::{ChargeState, DisputeStatus, Ledger, RefundExtra, Source};

const REASONS: [&str; 3] = ["duplicate", "fraudulent", "requested_by_customer"];

const CREATE_PARAMS: [&str; 9] = [
    "charge",
    "payment_intent",
    "amount",
    "reason",
    "metadata",
    "refund_application_fee",
    "reverse_transfer",
    "instructions_email",
    "currency",
];

/// Validate and perform a refund of charge `ch`; returns the refund id.
fn refund_charge(l: &mut Ledger, ch: &str, p: &Params) -> Result<String, StripeError> {
    let amount = int(p, "amount")?;
    if amount.is_some_and(|a| a <= 0) {
        return Err(StripeError::invalid("Amount must be greater than 0.").param("amount"));
    }
    let reason = p.text("reason");
    if let Some(r) = &reason
        && !REASONS.contains(&r.as_str())
    {
        return Err(StripeError::invalid(format!(
                "Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer (got '{r}')"
            ))
            .param("reason"));
    }
    let metadata = metadata_update(p, &[])?.unwrap_or_default();
    let c = l
        .charge(ch)
        .map_err(|_| StripeError::missing("charge", ch, "charge"))?
        .clone();
    if l.dispute_for_charge(ch)
        .is_some_and(|d| d.status == DisputeStatus::Lost)
    {
        return Err(StripeError::state(
            "charge_disputed",
            format!("Charge {ch} has been charged back; cannot issue a refund."),
        ));
    }
    match c.state {
        ChargeState::Authorised => {
            if amount.is_some_and(|a| a != c.amount) {
                return Err(StripeError::invalid(
                    "You cannot partially refund an uncaptured charge. Instead, capture the charge for an amount less than the original amount.",
                )
                .param("amount")
                .stored());
            }
            l.release_authorisation(ch, reason, metadata, Source::Api)
                .map_err(|e| ledger_error(e, ch))
        }
        ChargeState::Captured => {
            let refundable = c.refundable();
            if refundable <= 0 {
                return Err(StripeError::state(
                    "charge_already_refunded",
                    format!("Charge {ch} has already been refunded."),
                ));
            }
            if let Some(a) = amount.filter(|a| *a > refundable) {
                return Err(StripeError::state(
                    "amount_too_large",
                    format!(
                        "Refund amount ({}) is greater than unrefunded amount on charge ({})",
                        money(a, &c.currency),
                        money(refundable, &c.currency)
                    ),
                )
                .param("amount"));
            }
            let id = l
                .refund_with(ch, amount, RefundExtra { reason, metadata }, Source::Api)
                .map_err(|e| ledger_error(e, ch))?;
            // Only the asynchronous-refund test card leaves a refund pending.
            if !c.card.refunds_pending {
                l.settle_refund_now(&id, Source::Api)
                    .map_err(|e| ledger_error(e, ch))?;
            }
            Ok(id)
        }
        ChargeState::Voided | ChargeState::Expired => Err(StripeError::state(
            "charge_already_refunded",
            format!("Charge {ch} has already been refunded."),
        )),
        ChargeState::Declined { .. } => Err(StripeError::invalid(format!(
            "Charge {ch} has failed; there is nothing to refund."
        ))
        .stored()),
        ChargeState::PendingAuthentication => Err(StripeError::invalid(format!(
            "Charge {ch} is awaiting 3D Secure authentication; there is nothing to refund."
        ))
        .stored()),
    }
}

fn refund_json(l: &Ledger, id: &str) -> StripeResult {
    let r = l
        .refund_by_token(id)
        .map_err(|_| StripeError::missing("refund", id, "id"))?;
    ok(render::refund(r))
}

/// `POST /v1/refunds` with `charge` (a `payment_intent` is never found).
pub(super) async fn create(
    State(s): State<Arc<StripeState>>,
    RequestParams(p): RequestParams,
) -> StripeResult {
    allow(&p, &CREATE_PARAMS)?;
    let ch = match (p.text("charge"), p.text("payment_intent")) {
        (Some(ch), _) => ch,
        (None, Some(pi)) => {
            return Err(
                StripeError::invalid(format!("No such payment_intent: '{pi}'"))
                    .code("resource_missing")
                    .param("payment_intent"),
            );
        }
        (None, None) => {
            return Err(missing_param("charge").message(
                "One of the following params should be provided for this request: payment_intent or charge.",
            ));
        }
    };
    let mut l = s.ledger();
    let id = refund_charge(&mut l, &ch, &p)?;
    refund_json(&l, &id)
}

/// A refund of the charge in the path (`ch`): its parameters, the charge,
/// then [`refund_charge`]; returns the refund id.
fn refund_charge_in_path(l: &mut Ledger, ch: &str, p: &Params) -> Result<String, StripeError> {
    allow(p, &CREATE_PARAMS[2..])?;
    charges::find(l, ch)?;
    refund_charge(l, ch, p)
}

/// `POST /v1/charges/{ch}/refunds`.
pub(super) fn create_for_charge(l: &mut Ledger, ch: &str, p: &Params) -> StripeResult {
    let id = refund_charge_in_path(l, ch, p)?;
    refund_json(l, &id)
}

/// Legacy `POST /v1/charges/{ch}/refund`: refunds and returns the **charge**.
pub(super) fn legacy_refund(l: &mut Ledger, ch: &str, p: &Params) -> StripeResult {
    refund_charge_in_path(l, ch, p)?;
    charges::retrieve(l, ch, p)
}

/// `GET /v1/refunds`: `charge`, `created`, cursors.
pub(super) async fn list(
    State(s): State<Arc<StripeState>>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    let l = s.ledger();
    list::by_charge(
        l.refunds(),
        |r| &r.charge,
        &p,
        "/v1/refunds",
        render::refund,
    )
}

/// `GET /v1/charges/{ch}/refunds`.
pub(super) fn for_charge(l: &Ledger, ch: &str, p: &Params) -> StripeResult {
    let lq = ListQuery::parse(p)?;
    charges::find(l, ch)?;
    let (page, more) = page_of(l.refunds(), |r| r.charge == ch, &lq)?;
    ok(envelope(
        &format!("/v1/charges/{ch}/refunds"),
        page.into_iter().map(render::refund).collect(),
        more,
    ))
}

/// `GET /v1/refunds/{re}`.
pub(super) fn retrieve(l: &Ledger, re: &str, _: &Params) -> StripeResult {
    refund_json(l, re)
}

/// `GET /v1/charges/{ch}/refunds/{re}`: the refund must belong to the charge.
pub(super) async fn retrieve_for_charge(
    State(s): State<Arc<StripeState>>,
    Path((ch, re)): Path<(String, String)>,
    QueryParams(p): QueryParams,
) -> StripeResult {
    allow(&p, &[])?;
    let l = s.ledger();
    charges::find(&l, &ch)?;
    match l.refund_by_token(&re) {
        Ok(r) if r.charge == ch => ok(render::refund(r)),
        _ => Err(StripeError::missing("refund", &re, "id")),
    }
}

fn update_metadata(l: &mut Ledger, re: &str, p: &Params) -> StripeResult {
    let current = l
        .refund_by_token(re)
        .map_err(|_| StripeError::missing("refund", re, "id"))?
        .metadata
        .clone();
    if let Some(m) = metadata_update(p, &current)? {
        l.update_refund_metadata(re, m, Source::Api)
            .map_err(|_| StripeError::missing("refund", re, "id"))?;
    }
    refund_json(l, re)
}

/// `POST /v1/refunds/{re}`: `metadata` only.
pub(super) fn update(l: &mut Ledger, re: &str, p: &Params) -> StripeResult {
    allow(p, &["metadata"])?;
    update_metadata(l, re, p)
}

/// `POST /v1/charges/{ch}/refunds/{re}`: `metadata` only.
pub(super) async fn update_for_charge(
    State(s): State<Arc<StripeState>>,
    Path((ch, re)): Path<(String, String)>,
    RequestParams(p): RequestParams,
) -> StripeResult {
    allow(&p, &["metadata"])?;
    let mut l = s.ledger();
    charges::find(&l, &ch)?;
    if l.refund_by_token(&re)
        .map(|r| r.charge != ch)
        .unwrap_or(true)
    {
        return Err(StripeError::missing("refund", &re, "id"));
    }
    update_metadata(&mut l, &re, &p)
}
