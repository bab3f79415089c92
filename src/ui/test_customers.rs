//! Fixture customers (Ada and seven others), Ada's cards and subscriptions, and
//! refunds, for the view's tests; and the customers, customer, refunds and charge panes
//! that show them.

use std::collections::BTreeMap;

use chrono::{TimeDelta, TimeZone, Utc};

use super::test_support::{ago, charges, money, now};
use crate::app::Model;
use crate::app::model::Loadable;
use crate::app::screens::{ChargeDetail, CustomerPane, CustomersPane, Pane, RefundsPane, Section};
use crate::domain::{
    Card, CardBrand, Charge, Customer, Page, Plan, RawJson, Refund, RefundStatus, Subscription,
    SubscriptionState,
};
use crate::money::Currency;

pub const ADA: &str = "cus_Ad4L0v3l4c3Xq9Tz";

fn customer_card(
    id: &str,
    brand: CardBrand,
    last4: &str,
    month: u8,
    year: u16,
    primary: bool,
) -> Card {
    Card {
        id: id.into(),
        brand,
        last4: last4.into(),
        expiry_month: month,
        expiry_year: year,
        name: Some("Ada Lovelace".into()),
        primary,
        customer_id: Some(ADA.into()),
        raw: RawJson::default(),
    }
}

/// Ada's three cards: the primary Visa, a Mastercard, and an Amex that expired last month.
pub fn cards() -> Vec<Card> {
    vec![
        customer_card(
            "card_V1s4Pr1m4ry0000aa",
            CardBrand::Visa,
            "4242",
            9,
            2027,
            true,
        ),
        customer_card(
            "card_M4st3rC4rd0000bb",
            CardBrand::Mastercard,
            "4444",
            3,
            2028,
            false,
        ),
        customer_card(
            "card_Am3xExp1r3d000cc",
            CardBrand::Amex,
            "0005",
            10,
            2026,
            false,
        ),
    ]
}

/// One subscription in every state; the past-due one's plan was not given (its id shows).
pub fn subscriptions() -> Vec<Subscription> {
    let plan = |name: &str, minor: i64, interval: u32, unit: &str| Plan {
        name: name.into(),
        amount: money(minor, Currency::AUD),
        interval,
        interval_unit: unit.into(),
    };
    let plans: BTreeMap<&str, Plan> = [
        ("plan_gold", plan("Gold monthly", 4_900, 1, "month")),
        ("plan_beans_500g", plan("Beans 500g", 2_400, 2, "week")),
        ("plan_cups", plan("Paper cups", 1_250, 1, "month")),
        ("plan_beans_1kg", plan("Beans 1kg", 4_200, 1, "month")),
    ]
    .into();
    let sub = |id: &str, plan: &str, state: SubscriptionState, next: Option<i64>| Subscription {
        id: id.into(),
        customer_id: ADA.into(),
        plan_id: plan.into(),
        plan: plans.get(plan).cloned(),
        state,
        next_billing: next.map(|days| now() + TimeDelta::days(days)),
        created: now() - TimeDelta::days(200),
        cancelled_at: None,
        card_id: None,
        raw: RawJson::default(),
    };
    let mut cancelled = sub(
        "sub_C4nc3ll3d00005",
        "plan_beans_1kg",
        SubscriptionState::Cancelled,
        None,
    );
    cancelled.cancelled_at = Some(now() - TimeDelta::days(30));
    vec![
        sub(
            "sub_Tr14l000000001",
            "plan_gold",
            SubscriptionState::Trial,
            Some(6),
        ),
        sub(
            "sub_Act1v300000002",
            "plan_beans_500g",
            SubscriptionState::Active,
            Some(7),
        ),
        sub(
            "sub_C4nc3ll1ng0003",
            "plan_cups",
            SubscriptionState::Cancelling,
            Some(20),
        ),
        cancelled,
        sub(
            "sub_P4stDu3000004",
            "plan_machine",
            SubscriptionState::PastDue,
            Some(-3),
        ),
    ]
}

pub fn ada() -> Customer {
    Customer {
        id: ADA.into(),
        email: "ada@example.com".into(),
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        phone: Some("+61 2 9000 0000".into()),
        company: Some("Analytical Engines Pty Ltd".into()),
        notes: Some("Phone orders; call before 5pm.\nPrefers the Visa.".into()),
        created: Utc.with_ymd_and_hms(2025, 3, 14, 9, 26, 53).unwrap(),
        primary_card: cards().into_iter().next(),
        raw: RawJson::default(),
    }
}

/// Eight customers: Ada, some with less known about them, one with no card.
pub fn customers() -> Vec<Customer> {
    let plain = |id: &str,
                 email: &str,
                 first: Option<&str>,
                 last: Option<&str>,
                 company: Option<&str>,
                 card: Option<(CardBrand, &str)>,
                 days: i64| Customer {
        id: id.into(),
        email: email.into(),
        first_name: first.map(Into::into),
        last_name: last.map(Into::into),
        phone: None,
        company: company.map(Into::into),
        notes: None,
        created: now() - TimeDelta::days(days),
        primary_card: card.map(|(brand, last4)| Card {
            id: format!("card_{id}"),
            brand,
            last4: last4.into(),
            expiry_month: 5,
            expiry_year: 2029,
            name: None,
            primary: true,
            customer_id: Some(id.into()),
            raw: RawJson::default(),
        }),
        raw: RawJson::default(),
    };
    vec![
        ada(),
        plain(
            "cus_S4mR0ast3rsQ2Wx",
            "sam@roasters.example",
            Some("Sam"),
            Some("Okafor"),
            Some("Roasters & Co"),
            Some((CardBrand::Mastercard, "4444")),
            90,
        ),
        plain(
            "cus_Ol1v1aCh3nP0o8",
            "olivia.chen@example.com",
            Some("Olivia"),
            Some("Chen"),
            None,
            Some((CardBrand::Visa, "4242")),
            41,
        ),
        plain(
            "cus_K3nj1Jp00000a1",
            "kenji@example.jp",
            Some("Kenji"),
            None,
            None,
            Some((CardBrand::Jcb, "0000")),
            12,
        ),
        plain(
            "cus_B1gC0rpAcc0unt",
            "accounts@bigcorp.example",
            None,
            None,
            Some("BigCorp International Holdings"),
            Some((CardBrand::Amex, "0005")),
            400,
        ),
        plain(
            "cus_N0C4rdY3t00001",
            "walk-in@example.com",
            Some("Pat"),
            Some("Walker"),
            None,
            None,
            2,
        ),
        plain(
            "cus_H4n4Jp0000000b",
            "hana@example.jp",
            Some("Hana"),
            Some("Sato"),
            Some("Matcha House"),
            Some((CardBrand::Jcb, "1111")),
            7,
        ),
        plain(
            "cus_L0ngEm41l00000",
            "a.very.long.email.address.for.testing@subdomain.example.com.au",
            Some("Alexandra-Josephine"),
            Some("Montgomery-Smythe"),
            Some("A Company With An Unreasonably Long Name Pty Ltd"),
            Some((CardBrand::Discover, "6011")),
            1,
        ),
    ]
}

/// A customers pane with every customer loaded and more on the gateway.
pub fn customers_pane() -> CustomersPane {
    let mut pane = CustomersPane::default();
    pane.list.append(
        Page {
            items: customers(),
            next: Some(crate::domain::Cursor::Page(2)),
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    pane
}

/// Ada's pane, everything loaded: her cards, her subscriptions, and five charges.
pub fn customer_pane(section: Section) -> CustomerPane {
    let mut pane = CustomerPane::new(ADA);
    pane.customer = Loadable::Loaded(ada());
    pane.cards.items = Loadable::Loaded(cards());
    pane.subscriptions.items = Loadable::Loaded(subscriptions());
    let mine: Vec<Charge> = charges()
        .into_iter()
        .filter(|c| {
            matches!(
                c.email.as_deref(),
                Some("olivia.chen@example.com" | "kenji@example.jp" | "pat@example.com")
            )
        })
        .map(|mut c| {
            c.customer_id = Some(ADA.into());
            c.email = Some("ada@example.com".into());
            c
        })
        .collect();
    pane.charges.merge_newer(mine);
    pane.charges.loading = false;
    pane.charges.loaded = true;
    pane.section = section;
    pane
}

/// Refunds, newest first: pending, succeeded and one failed.
pub fn refund_list() -> Vec<Refund> {
    let refund = |id: &str,
                  charge: &str,
                  minor: i64,
                  currency: Currency,
                  status: RefundStatus,
                  minutes: i64,
                  reason: Option<&str>| Refund {
        id: id.into(),
        charge_id: charge.into(),
        amount: money(minor, currency),
        status,
        created: ago(minutes),
        reason: reason.map(Into::into),
        error_message: None,
        raw: RawJson::default(),
    };
    let mut failed = refund(
        "rf_F41l3dXx0000000000003",
        "ch_0YhN6bGt4VfR2cDe8XsW1q",
        3_480,
        Currency::JPY,
        RefundStatus::Failed,
        100,
        None,
    );
    failed.error_message = Some("insufficient merchant balance".into());
    vec![
        refund(
            "rf_Hy6Gt4Fr2De9Sw1Qa3Zx5c",
            "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I",
            2_000,
            Currency::USD,
            RefundStatus::Pending,
            5,
            None,
        ),
        refund(
            "rf_P3nd1ngAa0000000000001",
            "ch_3FjX9pLmQ2sVb7NcRt5Ue0",
            8_995,
            Currency::AUD,
            RefundStatus::Pending,
            8,
            Some("customer changed their mind"),
        ),
        refund(
            "rf_Tq8Wm3Zp5Xc1Vb7Nr2Ks4d",
            "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I",
            3_000,
            Currency::USD,
            RefundStatus::Succeeded,
            11,
            Some("two meals not served"),
        ),
        refund(
            "rf_Succ33d3d000000000002",
            "ch_1MnB4vCx7ZaS9dFg2HjK5L",
            4_200,
            Currency::AUD,
            RefundStatus::Succeeded,
            50,
            None,
        ),
        failed,
        refund(
            "rf_0ld3rSucc33d3d0000004",
            "ch_9ZzZ0000000000000000aa",
            150_000,
            Currency::AUD,
            RefundStatus::Succeeded,
            60 * 24 * 3,
            Some("duplicate order"),
        ),
    ]
}

pub fn refunds_pane() -> RefundsPane {
    let mut pane = RefundsPane::default();
    pane.list.append(
        Page {
            items: refund_list(),
            next: None,
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    pane
}

/// A charge pane for one of the fixture charges.
pub fn charge_pane(id: &str) -> ChargeDetail {
    // Ada's copy where it is one of hers.
    let charge = customer_pane(Section::Charges)
        .charges
        .get(id)
        .cloned()
        .or_else(|| charges().into_iter().find(|c| c.id == id));
    let mut pane = ChargeDetail::on_its_own(id, charge);
    pane.refunds = Loadable::Loaded(Vec::new());
    pane
}

/// The path charges › customers › Ada.
pub fn open_ada(model: &mut Model, section: Section) {
    model.screens.push(Pane::Customers(customers_pane()));
    model
        .screens
        .push(Pane::Customer(Box::new(customer_pane(section))));
}
