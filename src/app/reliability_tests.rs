//! What the dashboard shows of a gateway that misbehaves: records it could not read,
//! waits the gateway asks for, and how long a request has been out.

use std::time::Duration;

use chrono::TimeDelta;
use crossterm::event::KeyCode;

use super::fixtures::*;
use super::model::{Mode, ToastKind};
use super::msg::Msg;
use super::poll::MAX_BACKOFF;
use super::update::update;
use crate::domain::ChargeStatus;
use crate::gateway::GatewayError;

#[test]
fn unreadable_records_are_named_once_and_counted() {
    let mut model = loaded(5, fixture_caps());
    let page = vec![
        skipped(
            "ch_bad",
            r#"currency: "ZZZ" is not an ISO 4217 currency code"#,
        ),
        skipped("ch_worse", "charge: invalid type: string \"forty\""),
    ];
    let _ = update(
        &mut model,
        Msg::Unreadable {
            list: "charges",
            skipped: page.clone(),
        },
    );
    let toast = model.toasts.back().expect("a toast");
    assert_eq!(toast.kind, ToastKind::Error);
    assert!(
        toast.text.starts_with(
            "Skipped 2 unreadable charges, showing the rest: ch_bad (currency: \"ZZZ\""
        ),
        "{}",
        toast.text
    );
    assert!(toast.text.contains("ch_worse (charge: invalid type"));
    assert_eq!(model.unreadable.len(), 2);
    // The next poll brings the same page: nothing new to say.
    let toasts = model.toasts.len();
    let _ = update(
        &mut model,
        Msg::Unreadable {
            list: "charges",
            skipped: page,
        },
    );
    assert_eq!(model.toasts.len(), toasts);
    assert_eq!(model.screens.charges.list.len(), 5, "the good charges stay");
}

#[test]
fn a_poll_told_to_wait_thirty_years_comes_back_within_the_longest_backoff() {
    let mut model = loaded(3, fixture_caps());
    let later = t0() + TimeDelta::seconds(6);
    let _ = update(&mut model, Msg::Tick(later));
    assert!(model.poll.in_flight);
    let _ = update(
        &mut model,
        Msg::Polled(Err(GatewayError::RateLimited {
            retry_after: Some(Duration::from_secs(999_999_999)),
        })),
    );
    let wait = model.poll.next_due - later;
    assert_eq!(wait, TimeDelta::from_std(MAX_BACKOFF).unwrap());
    assert_eq!(
        model.poll.last_error.as_deref(),
        Some("rate limited by the gateway; it asked for a wait of 11574 days")
    );
    // The header counts down: the loop wakes each second to redraw it.
    assert!(model.next_wakeup() <= later + TimeDelta::seconds(1));
}

#[test]
fn a_sent_dialog_knows_when_it_was_sent() {
    let mut model = loaded(3, fixture_caps());
    select_status(&mut model, ChargeStatus::Authorised);
    let _ = update(&mut model, key('c'));
    assert!(matches!(model.mode, Mode::Dialog(_)));
    let sent = t0() + TimeDelta::seconds(30);
    let _ = update(&mut model, Msg::Tick(sent));
    let effects = update(&mut model, code(KeyCode::Enter));
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(model.sent_at, Some(sent));
}
