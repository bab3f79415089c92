//! Snapshots of leaving with money in flight: the question after `q` and the wait
//! after a signal, at 80×24, 160×48 and 40×10.

use chrono::TimeDelta;

use super::test_support::snap;
use crate::app::Model;
use crate::app::model::Mode;
use crate::app::quitting::{STOP_WAIT, Stopping, WriteInFlight};
use crate::gateway::OperationKey;

/// The quit prompt is snapshotted small too: it must fit any window.
const SIZES: [(u16, u16); 3] = [(80, 24), (160, 48), (40, 10)];

fn in_flight(m: &mut Model) {
    m.writes.push(WriteInFlight {
        key: OperationKey::new(),
        what: "a capture of A$20.00 on ch_7Kq2mXvTn4RbWc8YdZp1Aq".into(),
    });
}

#[test]
fn quit_anyway_question() {
    snap!(SIZES; "quit_anyway", |m| {
        in_flight(m);
        m.mode = Mode::QuitAnyway;
    });
}

#[test]
fn quit_anyway_once_answered() {
    snap!(SIZES; "quit_anyway_answered", |m| m.mode = Mode::QuitAnyway);
}

#[test]
fn stopping_on_a_signal() {
    snap!(SIZES; "stopping", |m| {
        in_flight(m);
        m.stopping = Some(Stopping {
            signal: Some(libc::SIGTERM),
            until: m.now + TimeDelta::from_std(STOP_WAIT).unwrap(),
        });
    });
}
