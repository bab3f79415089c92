//! Snapshots of the reconciliation screens at 160x48, 80x24 and 40x10: the sessions,
//! a session on each tab with the difference-to-zero bar, the flag dialog, the help
//! with the session's keys, and a session signed off with its totals frozen.

use crossterm::event::KeyCode;

use super::test_support::{drawn_buffer, find};
use crate::app::Model;
use crate::app::fixtures::{code, key};
use crate::app::msg::Msg;
use crate::app::recon_ask::ReconAnswer;
use crate::app::recon_fixtures::{arrives, board, sessions, signed_off_board};
use crate::app::update::update;
use crate::store::sessions::SessionStore;

const SIZES: [(u16, u16); 3] = [(40, 10), (80, 24), (160, 48)];

fn snap(name: &str, setup: impl Fn(&mut Model)) {
    super::test_support::snap!(SIZES; name, setup);
}

fn command(m: &mut Model, text: &str) {
    let _ = crate::app::fixtures::command(m, text);
}

fn on_session(m: &mut Model) {
    command(m, "recon nov");
    arrives(m, board("acme-test"));
}

fn keys(m: &mut Model, msgs: impl IntoIterator<Item = Msg>) {
    for msg in msgs {
        let _ = update(m, msg);
    }
}

#[test]
fn the_sessions() {
    snap("recon_sessions", |m| {
        command(m, "recon");
        let listed = sessions("acme-test").list().unwrap();
        keys(m, [Msg::Recon(ReconAnswer::Listed(Ok(listed)))]);
    });
}

#[test]
fn a_session_on_each_tab() {
    snap("recon_deposits", |m| {
        on_session(m);
        keys(m, [key(' '), key('j')]);
    });
    snap("recon_payouts", |m| {
        on_session(m);
        keys(m, [code(KeyCode::Tab)]);
    });
    snap("recon_exceptions", |m| {
        on_session(m);
        keys(m, [code(KeyCode::Tab), code(KeyCode::Tab)]);
    });
}

#[test]
fn the_flag_dialog_and_the_help() {
    snap("recon_flag", |m| {
        on_session(m);
        keys(m, [code(KeyCode::Tab), code(KeyCode::Tab), key('f')]);
        for c in "tenant paid the wrong account".chars() {
            keys(m, [key(c)]);
        }
    });
    snap("recon_help", |m| {
        on_session(m);
        keys(m, [key('?')]);
    });
}

#[test]
fn a_session_signed_off() {
    snap("recon_signed_off", |m| {
        command(m, "recon nov");
        arrives(m, signed_off_board("acme-test"));
    });
}

/// The bar's figures are the board's, exact, at every size.
#[test]
fn the_bar_shows_the_difference_at_every_size() {
    for (w, h) in SIZES {
        let mut m = super::test_support::model(w, h);
        on_session(&mut m);
        let buffer = drawn_buffer(&m);
        assert!(find(&buffer, "612.45").is_some(), "{w}x{h}: the difference");
        if w >= 80 {
            assert!(find(&buffer, "710.25").is_some(), "{w}x{h}: the statement");
            assert!(find(&buffer, "97.80").is_some(), "{w}x{h}: matched");
        }
    }
}

#[test]
fn a_session_whose_store_is_unreachable() {
    snap("recon_unreachable", |m| {
        on_session(m);
        let why = "cannot reach the reconciliation store at 127.0.0.1:5432: connection refused";
        let news = crate::store::sessions::watch::News::Unreachable(why.into());
        keys(m, [Msg::StoreNews(news)]);
    });
}
