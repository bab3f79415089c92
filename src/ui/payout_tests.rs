//! Snapshots of the payouts list, a payout with its lines and totals (the net check
//! holding, and off by a cent), the balance, and a charge's settlement in its detail.

use crate::app::Model;
use crate::app::fixtures::{balance_line, payout, payout_caps};
use crate::app::listing::Listing;
use crate::app::model::Loadable;
use crate::app::screens::{BalancePane, ChargeDetail, Pane, PayoutPane, PayoutsPane};
use crate::domain::{
    Balance, BalanceAmounts, BalanceLine, ChargeSettlement, LineAmounts, LineKind, Page,
    PayoutPlace, RawJson,
};
use crate::money::{Currency, Money};

const SIZES: [(u16, u16); 3] = [(40, 10), (80, 24), (160, 48)];

/// Snapshots on a gateway with payouts, their lines, the balance and charge payouts.
fn snap(name: &str, setup: impl Fn(&mut Model)) {
    super::test_support::snap!(SIZES; name, |m: &mut Model| {
        m.session.caps = payout_caps();
        setup(m);
    });
}

fn listing<T>(items: Vec<T>) -> Listing<T> {
    let mut list = Listing::default();
    list.append(
        Page {
            items,
            next: None,
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    list
}

/// Two charges, a refund of the first, and the gateway's monthly fee: A$125.05 net.
fn lines() -> Vec<BalanceLine> {
    let aud = |minor| Money::from_minor(minor, Currency::AUD);
    let mut fee = balance_line(LineKind::Fee, 0, None);
    fee.source_id = Some("fee_monthly_2026_11".into());
    fee.amounts.fee = aud(150);
    fee.amounts.fee_tax = aud(15);
    fee.amounts.net = aud(-165);
    vec![
        balance_line(
            LineKind::Charge,
            10_000,
            Some("ch_3Pq9Wx8Yz7Ab6Cd5Ef4Gh3I01"),
        ),
        balance_line(
            LineKind::Charge,
            5_000,
            Some("ch_3Pq9Wx8Yz7Ab6Cd5Ef4Gh3I02"),
        ),
        balance_line(
            LineKind::Refund,
            -2_000,
            Some("ch_3Pq9Wx8Yz7Ab6Cd5Ef4Gh3I01"),
        ),
        fee,
    ]
}

fn payout_pane(lines: Vec<BalanceLine>) -> PayoutPane {
    let mut paid = payout(2);
    paid.amount = Money::from_minor(12_505, Currency::AUD);
    paid.line_count = Some(4);
    PayoutPane {
        payout_id: paid.id.clone(),
        payout: Loadable::Loaded(Box::new(paid)),
        lines: Some(listing(lines)),
    }
}

#[test]
fn payouts_list() {
    snap("payouts", |m| {
        let mut list = listing((1..=4).map(payout).collect());
        list.select_row(1);
        m.screens.push(Pane::Payouts(PayoutsPane { list }));
    });
}

#[test]
fn a_payout_whose_lines_add_up() {
    snap("payout_holds", |m| {
        m.screens.push(Pane::Payout(Box::new(payout_pane(lines()))));
    });
}

#[test]
fn a_payout_with_a_line_off_by_a_cent() {
    snap("payout_off", |m| {
        let mut lines = lines();
        lines[1].amounts.net = Money::from_minor(4_891, Currency::AUD);
        m.screens.push(Pane::Payout(Box::new(payout_pane(lines))));
    });
}

#[test]
fn a_payout_still_loading_from_a_charge() {
    snap("payout_loading", |m| {
        let mut pane = payout_pane(Vec::new());
        pane.payout = Loadable::Failed("the gateway timed out".into());
        pane.lines = Some(Listing {
            loading: true,
            ..Listing::default()
        });
        m.screens.push(Pane::Payout(Box::new(pane)));
    });
}

#[test]
fn balance() {
    snap("balance", |m| {
        let amounts = vec![
            BalanceAmounts::new(
                Money::from_minor(1_234_567, Currency::AUD),
                Some(Money::from_minor(98_765, Currency::AUD)),
            )
            .unwrap(),
            BalanceAmounts::new(Money::from_minor(120_000, Currency::JPY), None).unwrap(),
            BalanceAmounts::new(
                Money::from_minor(12_345, Currency::KWD),
                Some(Money::from_minor(-5, Currency::KWD)),
            )
            .unwrap(),
        ];
        m.screens.push(Pane::Balance(BalancePane {
            balance: Loadable::Loaded(Balance {
                amounts,
                raw: RawJson::default(),
            }),
        }));
    });
}

/// The first fixture charge that was captured, open on its own with the settlement
/// `settled` makes of its fee and net.
fn settled(m: &mut Model, settled: impl Fn(LineAmounts) -> Loadable<Option<ChargeSettlement>>) {
    let charge = (0..m.screens.charges.list.visible_len())
        .filter_map(|r| m.screens.charges.list.row(r))
        .find(|c| c.captured.is_positive())
        .cloned()
        .expect("a captured fixture charge");
    let captured = charge.captured.to_minor().expect("cents");
    let amounts = balance_line(LineKind::Charge, captured, None).amounts;
    m.screens.push(Pane::Charge(Box::new(ChargeDetail {
        refunds: Loadable::Loaded(Vec::new()),
        settlement: settled(amounts),
        ..ChargeDetail::on_its_own(&charge.id.clone(), Some(charge))
    })));
}

#[test]
fn a_charges_settlement() {
    snap("charge_paid_out", |m| {
        settled(m, |amounts| {
            Loadable::Loaded(Some(ChargeSettlement {
                amounts: Some(amounts),
                payout: PayoutPlace::PaidOut {
                    payout_id: "po_0002".into(),
                },
            }))
        });
    });
    snap("charge_not_yet_paid_out", |m| {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27);
        settled(m, |amounts| {
            Loadable::Loaded(Some(ChargeSettlement {
                amounts: Some(amounts),
                payout: PayoutPlace::NotYet { expected_by: day },
            }))
        });
    });
    snap("charge_settlement_failed", |m| {
        settled(m, |_| Loadable::Failed("the gateway timed out".into()));
    });
}
