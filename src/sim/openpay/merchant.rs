//! `GET /v1/{merchant_id}`: the merchant object (Openpay's "Comercio"), with the
//! fields of Openpay's API reference: id, name, email, phone, status,
//! creation_date, balance, clabe. `available_funds` and how the balance is made up
//! (the net of what no payout has taken yet) are guesses, recorded in
//! `docs/openpay.md`.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use serde_json::value::RawValue;

use super::render::{self, reply};
use super::{OpenpayResult, OpenpayState};
use crate::sim::common::major_units;
use crate::sim::ledger::Ledger;
use crate::sim::rng::Rng;

/// The account's currency: balances are kept in Mexican pesos.
const ACCOUNT_CURRENCY: &str = "MXN";

/// What stays the same for one seed: who the merchant is.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub clabe: String,
    pub created: DateTime<Utc>,
}

impl Profile {
    /// The merchant of `seed`, signed up a year and a bit before `start`.
    pub(crate) fn for_seed(seed: u64, start: DateTime<Utc>) -> Profile {
        let mut rng = Rng::derive(seed, 12);
        let account: String = (0..11).map(|_| digit(&mut rng)).collect();
        let phone: String = (0..4).map(|_| digit(&mut rng)).collect();
        Profile {
            name: "Paydeck Demo".to_string(),
            email: "pagos@paydeck-demo.mx".to_string(),
            phone: format!("(55) 5550-{phone}"),
            // 646 (STP) + 180 (Mexico City) + 11 account digits + the check digit.
            clabe: with_check_digit(&format!("646180{account}")),
            created: start - TimeDelta::days(400 + rng.range_i64(0..200)),
        }
    }
}

fn digit(rng: &mut Rng) -> char {
    char::from(b'0' + rng.range(0..10) as u8)
}

/// A 17-digit CLABE prefix with its control digit (weights 3, 7, 1, mod 10).
fn with_check_digit(first17: &str) -> String {
    let sum: u32 = first17
        .chars()
        .filter_map(|c| c.to_digit(10))
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| (d * w) % 10)
        .sum();
    format!("{first17}{}", (10 - sum % 10) % 10)
}

#[derive(Serialize)]
struct MerchantJson<'a> {
    id: &'a str,
    name: &'a str,
    email: &'a str,
    phone: &'a str,
    status: &'static str,
    balance: Box<RawValue>,
    available_funds: Box<RawValue>,
    clabe: &'a str,
    creation_date: String,
}

/// What the account holds in its currency, in minor units: the net (after
/// Openpay's fee and its IVA) of every movement no payout has taken yet. A
/// payout leaves the balance when it is made, at its cut-off.
fn balance_minor(l: &Ledger) -> i64 {
    l.unpaid_movements()
        .iter()
        .filter(|m| m.currency.code() == ACCOUNT_CURRENCY)
        .fold(0, |sum, m| sum.saturating_add(m.net))
}

/// `GET /v1/{merchant_id}`.
pub(super) async fn get(State(s): State<Arc<OpenpayState>>) -> OpenpayResult {
    let balance = balance_minor(&s.ledger());
    let p = &s.merchant;
    Ok(reply(
        StatusCode::OK,
        &MerchantJson {
            id: &s.merchant_id,
            name: &p.name,
            email: &p.email,
            phone: &p.phone,
            status: "active",
            balance: major_units::json(balance, ACCOUNT_CURRENCY),
            available_funds: major_units::json(balance, ACCOUNT_CURRENCY),
            clabe: &p.clabe,
            creation_date: render::time(p.created),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clabe_check_digit_matches_a_published_example() {
        // The CLABE in Openpay's merchant example, `646180109400135624`.
        assert_eq!(with_check_digit("64618010940013562"), "646180109400135624");
    }
}
