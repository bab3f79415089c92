//! The transaction object, and its translation into the domain: a `PAYMENT` is a
//! charge, a `REFUND` a refund of its `parent_id`, a `CHARGEBACK` a dispute of it.
//! Amounts are decimal strings in major units, read exactly by [`Amount`].

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::domain::{
    CardSummary, Charge, ChargeSettlement, ChargeStatus, Dispute, DisputeStatus, Failure,
    LineAmounts, PayoutPlace, RawJson, Refund, RefundStatus,
};
use crate::gateway::GatewayError;
use crate::gateway::card_wire::{card_brand, expiry, last4};
use crate::gateway::decimal_amount::Amount;
use crate::gateway::error::clipped;
use crate::gateway::record::{currency, decode, malformed};
use crate::money::{Currency, Money};

/// The metadata keys under which a charge's `order_id` and `external_id` are shown.
pub const ORDER_ID_METADATA: &str = "order_id";
pub const EXTERNAL_ID_METADATA: &str = "external_id";

/// An authorisation not captured within this long expires.
pub const AUTHORISATION_LIFETIME: TimeDelta = TimeDelta::days(7);

/// What a transaction is; the list's `type` filter takes the same words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Payment,
    Refund,
    Chargeback,
}

impl Kind {
    pub fn wire(self) -> &'static str {
        match self {
            Kind::Payment => "PAYMENT",
            Kind::Refund => "REFUND",
            Kind::Chargeback => "CHARGEBACK",
        }
    }
}

#[derive(Deserialize)]
pub struct Transaction {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub order_amount: Amount,
    /// What is still held: less than the order after a partial void.
    pub authorized_amount: Option<Amount>,
    pub captured_amount: Option<Amount>,
    pub refunded_amount: Option<Amount>,
    pub currency: String,
    pub order_id: Option<String>,
    pub external_id: Option<String>,
    pub parent_id: Option<String>,
    pub description: Option<String>,
    pub card: Option<TrxCard>,
    pub created_at: DateTime<Utc>,
    pub decline_code: Option<String>,
    pub decline_message: Option<String>,
    /// Null until the transaction's money is in the gateway's books.
    pub fee: Option<Amount>,
    pub fee_tax: Option<Amount>,
    /// The batch that carries it, once one does.
    pub settlement_id: Option<String>,
    /// Until then, when its batch is expected to be paid.
    pub expected_settlement_date: Option<NaiveDate>,
}

#[derive(Deserialize)]
pub struct TrxCard {
    brand: Option<String>,
    last4: Option<String>,
    expiry_month: Option<Value>,
    expiry_year: Option<Value>,
}

/// A page of `GET /transactions`.
#[derive(Deserialize)]
pub struct ListBody {
    pub data: Vec<Box<RawValue>>,
    pub offset: Option<u64>,
    pub total: Option<u64>,
}

/// A transaction that must be of `kind`; any other type is "not found" as one.
fn transaction(kind: Kind, raw: &RawValue) -> Result<Transaction, GatewayError> {
    let t: Transaction = decode("transaction", raw)?;
    t.expect(kind)?;
    Ok(t)
}

impl Transaction {
    pub fn is(&self, kind: Kind) -> bool {
        self.kind.eq_ignore_ascii_case(kind.wire())
    }

    fn currency(&self, raw: &RawValue) -> Result<Currency, GatewayError> {
        currency(&self.currency, raw)
    }

    /// The status in the gateway's upper case, whatever case it came in.
    fn status(&self) -> String {
        self.status.to_ascii_uppercase()
    }

    /// The description, where it says anything.
    fn description(&self) -> Option<String> {
        self.description.clone().filter(|d| !d.is_empty())
    }

    /// What the transaction is for: a payment's order, a refund's or a chargeback's
    /// amount.
    fn order(&self, raw: &RawValue) -> Result<Money, GatewayError> {
        self.money(Some(self.order_amount), raw)
    }

    fn money(&self, amount: Option<Amount>, raw: &RawValue) -> Result<Money, GatewayError> {
        let currency = self.currency(raw)?;
        let amount = amount.map_or(Decimal::ZERO, |a| a.0);
        Money::new(amount, currency).map_err(|e| malformed("amount", e, raw))
    }

    fn expect(&self, kind: Kind) -> Result<(), GatewayError> {
        if self.is(kind) {
            Ok(())
        } else {
            // The id and type are the gateway's text: clipped, so a hostile record
            // cannot make an error message as long as itself.
            Err(GatewayError::NotFound {
                message: clipped(format!(
                    "{} is a {}, not a {}",
                    self.id,
                    self.kind,
                    kind.wire()
                )),
            })
        }
    }

    fn parent(&self, raw: &RawValue) -> Result<String, GatewayError> {
        self.parent_id
            .clone()
            .ok_or_else(|| malformed(&self.kind, "no parent_id", raw))
    }
}

/// A `PAYMENT` as a charge; any other type is "not found" as a charge.
pub fn charge(raw: &RawValue) -> Result<Charge, GatewayError> {
    let t = transaction(Kind::Payment, raw)?;
    let amount = t.order(raw)?;
    let captured = t.money(t.captured_amount, raw)?;
    let refunded = t.money(t.refunded_amount, raw)?;
    let zero = Money::zero(amount.currency);
    let status = match t.status().as_str() {
        "AUTHORIZED" => ChargeStatus::Authorised,
        "DECLINED" => ChargeStatus::Declined,
        "VOIDED" => ChargeStatus::Voided,
        "EXPIRED" => ChargeStatus::Expired,
        // Settlement is the gateway's business; refunds are transactions of their own
        // and show only in `refunded_amount`.
        "CAPTURED" | "PARTIAL_CAPTURED" | "SETTLED" | "PARTIAL_SETTLED" => {
            if refunded.is_positive() && refunded.amount >= captured.amount {
                ChargeStatus::Refunded
            } else if refunded.is_positive() {
                ChargeStatus::PartiallyRefunded
            } else {
                ChargeStatus::Captured
            }
        }
        other => {
            return Err(malformed(
                "payment",
                format!("unknown status {other:?}"),
                raw,
            ));
        }
    };
    let captured = if captured.is_positive() {
        captured
    } else {
        zero
    };
    // What was let go uncaptured: a partial void of an authorisation (what is held is
    // `authorized_amount`), the rest of a partial capture (a capture is final), or all
    // of a voided or lapsed one.
    let released = match status {
        ChargeStatus::Authorised => match t.authorized_amount {
            Some(held) => amount.checked_sub(t.money(Some(held), raw)?).ok(),
            None => None,
        },
        ChargeStatus::Voided | ChargeStatus::Expired => Some(amount),
        ChargeStatus::Declined | ChargeStatus::Pending3ds => None,
        _ => amount.checked_sub(captured).ok(),
    }
    .filter(Money::is_positive)
    .unwrap_or(zero);
    let failure = (status == ChargeStatus::Declined).then(|| Failure {
        code: t.decline_code.clone().unwrap_or_else(|| "declined".into()),
        message: t
            .decline_message
            .clone()
            .unwrap_or_else(|| "The card was declined".into()),
    });
    let mut metadata = BTreeMap::new();
    if let Some(order) = &t.order_id {
        metadata.insert(ORDER_ID_METADATA.to_string(), order.clone());
    }
    if let Some(external) = t.external_id.as_ref().filter(|e| **e != t.id) {
        metadata.insert(EXTERNAL_ID_METADATA.to_string(), external.clone());
    }
    Ok(Charge {
        id: t.id.clone(),
        created: t.created_at,
        amount,
        captured,
        released,
        refunded,
        status,
        refund_pending: false,
        // The gateway does not say when a capture happened.
        captured_at: None,
        authorisation_expires: (status == ChargeStatus::Authorised)
            .then(|| t.created_at + AUTHORISATION_LIFETIME),
        email: None,
        description: t.description(),
        card: t.card.as_ref().map(card_summary),
        customer_id: None,
        ip: None,
        metadata,
        failure,
        three_d_secure_session: None,
        raw: RawJson::new(raw.get()),
    })
}

/// A `PAYMENT`'s fee, net and batch (docs/trx-gateway.md, "Fees"): its captured
/// amount less the fee and the tax on it once the gateway has booked it, then the
/// batch that carries it or the day that batch is expected to be paid. The
/// gateway states no net, so the net here is computed.
pub fn settlement(raw: &RawValue) -> Result<ChargeSettlement, GatewayError> {
    let t = transaction(Kind::Payment, raw)?;
    let Some(fee) = t.fee else {
        return Ok(ChargeSettlement {
            amounts: None,
            payout: PayoutPlace::Unknown,
        });
    };
    let gross = t.money(t.captured_amount, raw)?;
    let fee = t.money(Some(fee), raw)?;
    let fee_tax = t.money(t.fee_tax, raw)?;
    let net = gross
        .checked_sub(fee)
        .and_then(|n| n.checked_sub(fee_tax))
        .map_err(|e| malformed("fee", e, raw))?;
    let payout = match t.settlement_id {
        Some(payout_id) => PayoutPlace::PaidOut { payout_id },
        None => PayoutPlace::NotYet {
            expected_by: t.expected_settlement_date,
        },
    };
    Ok(ChargeSettlement {
        amounts: Some(LineAmounts {
            gross,
            fee,
            fee_tax,
            net,
        }),
        payout,
    })
}

/// A `REFUND` transaction as a refund of its parent payment.
pub fn refund(raw: &RawValue) -> Result<Refund, GatewayError> {
    let t = transaction(Kind::Refund, raw)?;
    let status = match t.status().as_str() {
        "SETTLED" => RefundStatus::Succeeded,
        "DECLINED" | "VOIDED" | "EXPIRED" => RefundStatus::Failed,
        // CAPTURED until the gateway has processed it.
        _ => RefundStatus::Pending,
    };
    Ok(Refund {
        charge_id: t.parent(raw)?,
        amount: t.order(raw)?,
        status,
        created: t.created_at,
        reason: t.description(),
        error_message: t.decline_message.clone(),
        id: t.id,
        raw: RawJson::new(raw.get()),
    })
}

/// A `CHARGEBACK` transaction as a dispute of its parent payment: open while
/// `CAPTURED`, lost once `SETTLED` (the money is gone), won once `VOIDED`.
pub fn dispute(raw: &RawValue) -> Result<Dispute, GatewayError> {
    let t = transaction(Kind::Chargeback, raw)?;
    let status = match t.status().as_str() {
        "SETTLED" => DisputeStatus::Lost,
        "VOIDED" => DisputeStatus::Won,
        "CAPTURED" | "PARTIAL_CAPTURED" => DisputeStatus::Other("open".into()),
        other => DisputeStatus::Other(other.to_ascii_lowercase()),
    };
    Ok(Dispute {
        charge_id: t.parent(raw)?,
        amount: t.order(raw)?,
        status,
        reason: t.description().unwrap_or_else(|| "chargeback".into()),
        evidence_due: None,
        evidence_submitted: false,
        created: t.created_at,
        id: t.id,
        raw: RawJson::new(raw.get()),
    })
}

fn card_summary(card: &TrxCard) -> CardSummary {
    let (expiry_month, expiry_year) = expiry(card.expiry_month.as_ref(), card.expiry_year.as_ref());
    CardSummary {
        brand: card_brand(card.brand.as_deref()),
        last4: last4(card.last4.as_deref()),
        expiry_month,
        expiry_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardBrand;

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_string()).unwrap()
    }

    fn payment(status: &str, captured: &str, refunded: &str) -> String {
        format!(
            r#"{{"id":"trx_01J5XCMDXCFXCAQ1BV8HVG6644","type":"PAYMENT","status":"{status}",
            "order_amount":"12.50","authorized_amount":"12.50","captured_amount":"{captured}",
            "refunded_amount":"{refunded}","currency":"USD","order_id":"ORD-4K7Q2M9X1B",
            "external_id":"EXT-01J5XCMDXCFX","parent_id":null,"description":"Coffee beans 1kg",
            "card":{{"brand":"visa","last4":"4242","expiry_month":12,"expiry_year":2027}},
            "created_at":"2024-08-19T03:10:49Z","updated_at":"2024-08-19T03:10:49Z",
            "decline_code":null,"decline_message":null}}"#
        )
    }

    #[test]
    fn a_record_of_the_wrong_type_with_a_huge_id_makes_a_short_error() {
        let body = payment("AUTHORIZED", "0.00", "0.00")
            .replace("trx_01J5XCMDXCFXCAQ1BV8HVG6644", &"x".repeat(8_000))
            .replace("\"PAYMENT\"", "\"CHARGEBACK\"");
        let err = charge(&raw(&body)).unwrap_err().to_string();
        assert!(err.len() < 1_000, "{} bytes: {err:.80}", err.len());
    }

    #[test]
    fn the_documented_payment() {
        let c = charge(&raw(&payment("AUTHORIZED", "0.00", "0.00"))).unwrap();
        assert_eq!(c.amount.plain(), "12.50");
        assert_eq!(c.amount.currency, Currency::USD);
        assert_eq!(c.status, ChargeStatus::Authorised);
        assert!(c.captured.is_zero());
        assert_eq!(c.metadata[ORDER_ID_METADATA], "ORD-4K7Q2M9X1B");
        assert_eq!(c.metadata[EXTERNAL_ID_METADATA], "EXT-01J5XCMDXCFX");
        let card = c.card.unwrap();
        assert_eq!(
            (
                card.brand,
                card.last4.as_str(),
                card.expiry_month,
                card.expiry_year
            ),
            (CardBrand::Visa, "4242", 12, 2027)
        );
        assert_eq!(
            c.authorisation_expires.unwrap().to_rfc3339(),
            "2024-08-26T03:10:49+00:00"
        );
    }

    #[test]
    fn statuses_and_refunded_amounts_map_to_the_domain() {
        let status = |s, c, r| charge(&raw(&payment(s, c, r))).unwrap().status;
        assert_eq!(status("CAPTURED", "12.50", "0.00"), ChargeStatus::Captured);
        assert_eq!(
            status("PARTIAL_SETTLED", "5.00", "0.00"),
            ChargeStatus::Captured
        );
        assert_eq!(
            status("SETTLED", "12.50", "0.01"),
            ChargeStatus::PartiallyRefunded
        );
        assert_eq!(
            status("PARTIAL_CAPTURED", "5.00", "5.00"),
            ChargeStatus::Refunded
        );
        assert_eq!(status("VOIDED", "0.00", "0.00"), ChargeStatus::Voided);
        assert_eq!(status("EXPIRED", "0.00", "0.00"), ChargeStatus::Expired);
        let partial = charge(&raw(&payment("PARTIAL_CAPTURED", "5.00", "1.25"))).unwrap();
        assert_eq!(partial.captured.plain(), "5.00");
        assert_eq!(partial.refundable().plain(), "3.75");
        assert!(partial.authorisation_expires.is_none());
        assert!(matches!(
            charge(&raw(&payment("WEIRD", "0.00", "0.00"))),
            Err(GatewayError::Malformed { .. })
        ));
    }

    #[test]
    fn declines_keep_their_code_and_message() {
        let json = payment("DECLINED", "0.00", "0.00")
            .replace(
                r#""decline_code":null"#,
                r#""decline_code":"insufficient_funds""#,
            )
            .replace(
                r#""decline_message":null"#,
                r#""decline_message":"Not enough""#,
            );
        let failure = charge(&raw(&json)).unwrap().failure.unwrap();
        assert_eq!(
            (failure.code.as_str(), failure.message.as_str()),
            ("insufficient_funds", "Not enough")
        );
    }

    #[test]
    fn refunds_and_chargebacks_name_their_payment() {
        let refund_json = r#"{"id":"trx_R","type":"REFUND","status":"CAPTURED","order_amount":"0.01",
            "currency":"JPY","parent_id":"trx_P","description":"damaged",
            "created_at":"2024-08-20T00:00:00Z"}"#;
        // 0.01 JPY is finer than the yen: malformed, never rounded.
        assert!(matches!(
            refund(&raw(refund_json)),
            Err(GatewayError::Malformed { .. })
        ));
        let refund_json = refund_json.replace("JPY", "USD");
        let r = refund(&raw(&refund_json)).unwrap();
        assert_eq!(
            (r.charge_id.as_str(), r.amount.plain().as_str(), r.status),
            ("trx_P", "0.01", RefundStatus::Pending)
        );
        assert_eq!(r.reason.as_deref(), Some("damaged"));
        assert!(matches!(
            charge(&raw(&refund_json)),
            Err(GatewayError::NotFound { .. })
        ));
        let chargeback = refund_json
            .replace("REFUND", "CHARGEBACK")
            .replace("CAPTURED", "SETTLED");
        let d = dispute(&raw(&chargeback)).unwrap();
        assert_eq!(
            (d.charge_id.as_str(), &d.status),
            ("trx_P", &DisputeStatus::Lost)
        );
        assert!(refund(&raw(&chargeback)).is_err());
    }
}
