//! The Openpay dialect's payouts over real HTTP on loopback: payouts as
//! transactions, the payout report's four totals and its detail lists (each
//! line's fee and the IVA on it apart), the fee on a captured charge, and
//! Openpay's errors for what is wrong in a request.

use std::collections::HashMap;

mod common;

use common::Dialect;
use common::simulator::{Raw, seeded};
use paydeck::sim::SimConfig;
use reqwest::StatusCode;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use serde_json::value::RawValue;

const SEED: u64 = 21;
const DAY: i64 = 86_400;
const DETAILS: [&str; 4] = ["IN", "OUT", "CHARGED_ADJUSTMENTS", "REFUNDED_ADJUSTMENTS"];

/// A JSON object whose numbers are kept as the text that came.
type Object = HashMap<String, Box<RawValue>>;

/// The exact decimal of a JSON number, refusing anything but two decimals.
fn money(raw: &RawValue) -> Decimal {
    let text = raw.get();
    assert_eq!(
        text.split_once('.').map(|(_, d)| d.len()),
        Some(2),
        "two decimals: {text}"
    );
    text.parse().unwrap()
}

fn text(o: &Object, name: &str) -> String {
    serde_json::from_str::<Value>(o[name].get())
        .unwrap()
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// `fee.amount` and `fee.tax` of a transaction.
fn fee(o: &Object) -> (Decimal, Decimal) {
    let f: Object = serde_json::from_str(o["fee"].get()).expect("a fee object");
    assert_eq!(text(&f, "currency"), text(o, "currency"));
    (money(&f["amount"]), money(&f["tax"]))
}

struct Sim(Raw);

impl Sim {
    async fn start(charges: usize) -> Sim {
        let config = SimConfig {
            seed: SEED,
            ..seeded(charges, 20)
        };
        Sim(Raw::start(Dialect::Openpay, config).await)
    }

    async fn call(&self, path: &str) -> (StatusCode, String) {
        let r = self
            .0
            .http
            .get(format!("{}{path}", self.0.url))
            .basic_auth(&self.0.key, Some(""))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn list(&self, path: &str) -> Vec<Object> {
        let (status, body) = self.call(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    async fn object(&self, path: &str) -> Object {
        let (status, body) = self.call(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Openpay's error object, with its HTTP status and code.
    async fn refused(&self, path: &str, status: u16, code: i64) {
        let (got, body) = self.call(path).await;
        assert_eq!(got.as_u16(), status, "{path}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["error_code"], code, "{body}");
        assert_eq!(v["http_code"], status, "{body}");
        assert!(v["description"].as_str().is_some_and(|d| !d.is_empty()));
    }

    async fn advance(&self, seconds: i64) {
        let r = self
            .0
            .http
            .post(format!(
                "http://{}/_sim/clock/advance?seconds={seconds}&dialect=openpay",
                self.0.sim.addr
            ))
            .bearer_auth(&self.0.key)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }

    /// Every line of one detail list, read in pages of `limit`.
    async fn detail(&self, id: &str, detail: &str, limit: usize) -> Vec<Object> {
        let mut all = Vec::new();
        loop {
            let path = format!(
                "/reports/payout/{id}/detail?detail_type={detail}&offset={}&limit={limit}",
                all.len()
            );
            let page = self.list(&path).await;
            let last = page.len() < limit;
            all.extend(page);
            if last || all.len() > 10_000 {
                return all;
            }
        }
    }
}

/// What a payout looks like: a completed or in-progress `payout` transaction to
/// a masked CLABE, with no fee, its id in capitals as its authorisation.
fn check_payout(p: &Object) {
    let id = text(p, "id");
    assert!(
        id.len() == 20
            && id.starts_with("tr")
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(text(p, "authorization"), id.to_ascii_uppercase());
    assert_eq!(text(p, "transaction_type"), "payout");
    assert_eq!(text(p, "operation_type"), "out");
    assert_eq!(text(p, "method"), "bank_account");
    assert_eq!(p["fee"].get(), "null");
    assert!(["completed", "in_progress"].contains(&text(p, "status").as_str()));
    let account: Value = serde_json::from_str(p["bank_account"].get()).unwrap();
    let clabe = account["clabe"].as_str().unwrap();
    assert_eq!(clabe.len(), 18, "{clabe}");
    assert_eq!(&clabe[3..13], "XXXXXXXXXX", "{clabe}");
    assert!(text(p, "creation_date").ends_with("-06:00"));
    money(&p["amount"]);
}

/// Four days on, the seeded history has been paid out: payouts list newest
/// first, read back one by one, and each payout's report closes to the cent:
/// `in` is the IN lines' amounts, `out` the OUT lines' amounts plus every IN
/// and OUT line's fee and tax, `charged_adjustments` the chargeback fees, and
/// the payout's amount is `in − out − charged + refunded`.
#[tokio::test]
async fn payouts_are_transactions_whose_report_closes_to_the_cent() {
    let s = Sim::start(300).await;
    s.advance(4 * DAY).await;
    let payouts = s.list("/payouts?limit=100").await;
    assert!(!payouts.is_empty());
    let created: Vec<String> = payouts.iter().map(|p| text(p, "creation_date")).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "{created:?}");
    assert!(payouts.iter().any(|p| text(p, "status") == "completed"));
    let (mut refunds, mut chargebacks) = (0, 0);
    for listed in &payouts {
        check_payout(listed);
        let id = text(listed, "id");
        let one = s.object(&format!("/payouts/{id}")).await;
        assert_eq!(one["amount"].get(), listed["amount"].get());
        let summary = s.object(&format!("/reports/payout/{id}")).await;
        let total = |name: &str| money(&summary[name]);
        let mut lists: HashMap<&str, Vec<Object>> = HashMap::new();
        for detail in DETAILS {
            lists.insert(detail, s.detail(&id, detail, 100).await);
        }
        let amounts = |d: &str| {
            lists[d]
                .iter()
                .map(|t| money(&t["amount"]))
                .sum::<Decimal>()
        };
        let fees = |d: &str| {
            lists[d]
                .iter()
                .map(|t| {
                    let (fee, tax) = fee(t);
                    fee + tax
                })
                .sum::<Decimal>()
        };
        assert_eq!(total("in"), amounts("IN"), "{id}");
        assert_eq!(
            total("out"),
            amounts("OUT") + fees("IN") + fees("OUT"),
            "{id}"
        );
        assert_eq!(total("charged_adjustments"), amounts("CHARGED_ADJUSTMENTS"));
        assert_eq!(
            total("refunded_adjustments"),
            amounts("REFUNDED_ADJUSTMENTS")
        );
        assert_eq!(
            money(&listed["amount"]),
            total("in") - total("out") - total("charged_adjustments")
                + total("refunded_adjustments"),
            "{id}"
        );
        for (detail, operation) in [("IN", "in"), ("OUT", "out")] {
            for t in &lists[detail] {
                assert_eq!(text(t, "operation_type"), operation, "{detail}");
            }
        }
        for t in &lists["IN"] {
            if text(t, "transaction_type") == "charge" {
                // IVA is 16 % of the commission, to the cent, half away from zero.
                let (fee, tax) = fee(t);
                let iva = (fee * Decimal::new(16, 2))
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
                assert_eq!(tax, iva, "{}", text(t, "id"));
                assert!(fee > Decimal::ZERO);
            }
        }
        refunds += lists["OUT"]
            .iter()
            .filter(|t| text(t, "transaction_type") == "refund")
            .count();
        chargebacks += lists["OUT"]
            .iter()
            .filter(|t| text(t, "transaction_type") == "chargeback")
            .count();
        for t in &lists["CHARGED_ADJUSTMENTS"] {
            // A chargeback's fee: its amount is the fee and the IVA on it.
            let (fee, tax) = fee(t);
            assert_eq!(money(&t["amount"]), fee + tax);
            assert_eq!(text(t, "transaction_type"), "fee");
        }
    }
    assert!(
        refunds > 0 && chargebacks > 0,
        "{refunds} refunds, {chargebacks} chargebacks"
    );
}

/// The detail lists page by offset and limit over one order, newest first, and
/// `detail_type` is read in any case (or as `payout_type`).
#[tokio::test]
async fn report_details_page_in_one_order_and_take_any_case() {
    let s = Sim::start(1_500).await;
    s.advance(4 * DAY).await;
    let payouts = s.list("/payouts?limit=100").await;
    // The payout with the most charges.
    let mut most = (String::new(), Vec::new());
    for p in &payouts {
        let id = text(p, "id");
        let lines = s.detail(&id, "IN", 100).await;
        if lines.len() > most.1.len() {
            most = (id, lines);
        }
    }
    let (id, whole) = most;
    assert!(whole.len() > 10, "{} lines", whole.len());
    let paged = s.detail(&id, "in", 3).await;
    let ids = |lines: &[Object]| lines.iter().map(|t| text(t, "id")).collect::<Vec<_>>();
    assert_eq!(ids(&paged), ids(&whole));
    let dates: Vec<String> = whole.iter().map(|t| text(t, "operation_date")).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let aliased = s
        .list(&format!(
            "/reports/payout/{id}/detail?payout_type=In&limit=100"
        ))
        .await;
    assert_eq!(ids(&aliased), ids(&whole));
    let ten = s
        .list(&format!("/reports/payout/{id}/detail?detail_type=IN"))
        .await;
    assert_eq!(ten.len(), 10, "ten by default");
}

/// `payout_type`, creation and amount filters, offset paging, and Openpay's
/// errors: a bad filter is 400 / 1001, an unknown payout 404 / 1005.
#[tokio::test]
async fn payout_filters_and_errors() {
    let s = Sim::start(150).await;
    s.advance(4 * DAY).await;
    let all = s.list("/payouts?limit=100").await;
    assert!(all.len() >= 2, "{} payouts", all.len());
    let ids = |list: &[Object]| list.iter().map(|p| text(p, "id")).collect::<Vec<_>>();
    assert_eq!(
        ids(&s.list("/payouts?payout_type=automatic&limit=100").await),
        ids(&all)
    );
    assert!(s.list("/payouts?payout_type=MANUAL").await.is_empty());
    let second = s.list("/payouts?offset=1&limit=1").await;
    assert_eq!(ids(&second), ids(&all[1..2]));
    let day = text(&all[0], "creation_date")[..10].to_string();
    let that_day = s.list(&format!("/payouts?creation={day}&limit=100")).await;
    assert!(!that_day.is_empty());
    assert!(
        that_day
            .iter()
            .all(|p| text(p, "creation_date").starts_with(&day))
    );
    let amount = all[0]["amount"].get().to_string();
    let at_least = s
        .list(&format!("/payouts?amount[gte]={amount}&limit=100"))
        .await;
    assert!(
        at_least
            .iter()
            .all(|p| money(&p["amount"]) >= money(&all[0]["amount"]))
    );
    assert!(ids(&at_least).contains(&text(&all[0], "id")));

    s.refused("/payouts?payout_type=SOMETIMES", 400, 1001).await;
    s.refused("/payouts?creation=yesterday", 400, 1001).await;
    s.refused("/payouts?limit=0", 400, 1001).await;
    s.refused("/payouts/trnotapayout000000000", 404, 1005).await;
    s.refused("/reports/payout/trnotapayout000000000", 404, 1005)
        .await;
    let id = text(&all[0], "id");
    s.refused(&format!("/reports/payout/{id}/detail"), 400, 1001)
        .await;
    s.refused(
        &format!("/reports/payout/{id}/detail?detail_type=SIDEWAYS"),
        400,
        1001,
    )
    .await;
    s.refused(
        "/reports/payout/trnotapayout000000000/detail?detail_type=IN",
        404,
        1005,
    )
    .await;
}
