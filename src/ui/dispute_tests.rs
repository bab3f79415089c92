//! Snapshots of the disputes pane, a disputed charge's detail, and the evidence dialog.

use chrono::TimeDelta;

use super::test_support::{self, now};
use crate::app::Model;
use crate::app::dialogs::DialogState;
use crate::app::dialogs::evidence::EvidenceDialog;
use crate::app::listing::Listing;
use crate::app::model::{Loadable, Mode};
use crate::app::screens::{ChargeDetail, DisputesPane, Pane, dispute_order};
use crate::domain::{Dispute, DisputeStatus, Page, RawJson};
use crate::money::{Currency, Money};

/// Snapshots on a gateway with disputes.
fn snap(name: &str, setup: impl Fn(&mut Model)) {
    test_support::snap!(name, |m: &mut Model| {
        m.session.caps.disputes = true;
        setup(m);
    });
}

fn dispute(n: i64, status: DisputeStatus, reason: &str) -> Dispute {
    Dispute {
        id: format!("dp_1Qa2Ws3Ed4Rf5Tg6Yh7Uj{n:02}"),
        charge_id: format!("ch_3Pq9Wx8Yz7Ab6Cd5Ef4Gh3I{n:02}"),
        amount: Money::from_minor(4250 + n * 1000, Currency::AUD),
        status,
        reason: reason.into(),
        evidence_due: Some(now() + TimeDelta::hours(20 + n * 30)),
        evidence_submitted: false,
        created: now() - TimeDelta::days(10 - n),
        raw: RawJson::default(),
    }
}

fn disputes() -> Vec<Dispute> {
    vec![
        dispute(1, DisputeStatus::Won, "product_not_received"),
        dispute(2, DisputeStatus::NeedsResponse, "fraudulent"),
        dispute(3, DisputeStatus::UnderReview, "duplicate"),
        dispute(4, DisputeStatus::WarningNeedsResponse, "general"),
        dispute(5, DisputeStatus::Lost, "subscription_canceled"),
    ]
}

fn pane() -> DisputesPane {
    let mut list = Listing::default();
    list.append(
        Page {
            items: disputes(),
            next: None,
            total: None,
            skipped: Vec::new(),
        },
        |_| true,
    );
    list.sort_by(dispute_order, |_| true);
    DisputesPane { list }
}

#[test]
fn disputes_pane() {
    snap("disputes", |m| m.screens.push(Pane::Disputes(pane())));
}

#[test]
fn disputes_loading() {
    snap("disputes_loading", |m| {
        let mut pane = DisputesPane::default();
        pane.list.loading = true;
        m.screens.push(Pane::Disputes(pane));
    });
}

#[test]
fn a_disputed_charges_detail() {
    snap("detail_disputed", |m| {
        let id = m
            .screens
            .charges
            .list
            .row(0)
            .map(|c| c.id.clone())
            .unwrap_or_default();
        let mut d = dispute(2, DisputeStatus::NeedsResponse, "fraudulent");
        d.charge_id = id.clone();
        m.screens.charges.detail = Some(ChargeDetail {
            refunds: Loadable::Loaded(Vec::new()),
            dispute: Loadable::Loaded(Some(d)),
            ..ChargeDetail::in_list(&id)
        });
    });
}

#[test]
fn evidence_dialog() {
    for (name, text, state) in [
        ("evidence_empty", "", DialogState::Editing),
        (
            "evidence_typed",
            "Delivered 2026-11-20 to the billing address, signed for",
            DialogState::Editing,
        ),
        (
            "evidence_three_lines",
            "Delivered 2026-11-20 to the billing address on the order, signed for by the cardholder at the door\nTracking AU123456789 (Australia Post)\nThe cardholder wrote on 2026-11-22: \"arrived, thanks\"",
            DialogState::Editing,
        ),
        (
            "evidence_failed",
            "Delivered",
            DialogState::Failed("This dispute is already closed".into()),
        ),
    ] {
        snap(name, |m| {
            m.screens.push(Pane::Disputes(pane()));
            let mut dialog =
                EvidenceDialog::new(&dispute(2, DisputeStatus::NeedsResponse, "fraudulent"));
            dialog.input.insert_str(text);
            dialog.state = state.clone();
            m.mode = Mode::Evidence(dialog);
        });
    }
}
