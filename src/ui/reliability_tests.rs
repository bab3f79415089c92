//! Snapshots of what the screen says about a gateway that misbehaves: the countdown to
//! the next try, how long a request has been out, and records that could not be read.

use std::time::Duration;

use chrono::TimeDelta;

use super::test_support::snap;
use super::test_support::{SIZES, model, now, render};
use super::theme::Theme;
use crate::app::Model;
use crate::app::dialogs::DialogState;
use crate::app::dialogs::action::ActionDialog;
use crate::app::model::Mode;
use crate::domain::{Action, Skipped};

/// The header's line, for checks that need no snapshot.
fn header(m: &Model) -> String {
    let terminal = render(m, &Theme::dark());
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width)
        .map(|x| buffer[(x, 0)].symbol())
        .collect()
}

#[test]
fn a_failed_poll_counts_down_to_the_next_try() {
    snap!("stale_retry_countdown", |m| {
        m.poll.started(now() - TimeDelta::seconds(1));
        m.poll.failed(
            now() - TimeDelta::seconds(1),
            "rate limited by the gateway; it asked for a wait of 11574 days".into(),
            Some(Duration::from_secs(999_999_999)),
        );
    });
}

#[test]
fn the_countdown_then_the_retry_in_flight() {
    let mut m = model(160, 48);
    m.poll.failed(now(), "HTTP 503".into(), None);
    assert!(header(&m).contains(", retry in 10s: "), "{}", header(&m));
    m.now = now() + TimeDelta::seconds(8);
    assert!(header(&m).contains(", retry in 2s: "), "{}", header(&m));
    m.poll.started(now() + TimeDelta::seconds(10));
    m.now = now() + TimeDelta::seconds(14);
    assert!(header(&m).contains(", retrying… 4s: "), "{}", header(&m));
}

#[test]
fn the_first_poll_shows_how_long_it_has_waited() {
    for (w, h) in SIZES {
        let mut m = Model::new(
            super::test_support::session(),
            Default::default(),
            Duration::from_secs(5),
            now() - TimeDelta::seconds(12),
        );
        m.screen = (w, h);
        m.poll.started(now() - TimeDelta::seconds(12));
        m.now = now();
        insta::assert_snapshot!(
            format!("loading_for_a_while_{w}x{h}"),
            render(&m, &Theme::dark()).backend()
        );
    }
}

#[test]
fn a_sending_dialog_shows_how_long_it_has_waited() {
    snap!("refund_dialog_sending_for_two_minutes", |m| {
        let charge = m
            .screens
            .charges
            .list
            .row(1)
            .expect("fixture charge")
            .clone();
        let mut d = ActionDialog::open(Action::Refund, &charge, &m.session.caps, m.session.gateway);
        d.state = DialogState::Working;
        m.busy.insert(charge.id.clone(), "refund");
        m.sent_at = Some(now() - TimeDelta::seconds(112));
        m.mode = Mode::Dialog(d);
    });
}

#[test]
fn unreadable_records_are_counted_in_the_header() {
    snap!("unreadable_records", |m| {
        m.note_unreadable(
            "charges",
            &[
                Skipped {
                    id: Some("ch_bad".into()),
                    why: r#"currency: "ZZZ" is not an ISO 4217 currency code"#.into(),
                },
                Skipped {
                    id: None,
                    why: "charge: missing field `amount`".into(),
                },
            ],
        );
    });
}
