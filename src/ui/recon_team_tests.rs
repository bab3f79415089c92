//! Snapshots of a session shared with other operators at 160x48, 80x24 and 40x10: an
//! exception another operator holds, and the question after a mark refused because
//! another operator changed the session first.

use chrono::{TimeZone, Utc};
use crossterm::event::KeyCode;

use super::test_support::snap;
use crate::app::Model;
use crate::app::fixtures::{code, command, key, type_text};
use crate::app::msg::Msg;
use crate::app::recon_ask::ReconAnswer;
use crate::app::recon_fixtures::{SESSION, arrives, board};
use crate::app::update::update;
use crate::store::sessions::ClaimRow;

const SIZES: [(u16, u16); 3] = [(40, 10), (80, 24), (160, 48)];

/// The session on its exceptions tab, the first exception held by ana.
fn held(m: &mut Model) {
    let _ = command(m, "recon nov");
    let mut b = board("acme-test");
    let at = Utc.with_ymd_and_hms(2026, 11, 30, 14, 2, 0).unwrap();
    b.claims.push(ClaimRow {
        item: b.exceptions[0].item.clone(),
        holder: "ana".into(),
        taken: at,
        touched: at,
    });
    arrives(m, b);
    let _ = update(m, code(KeyCode::Tab));
    let _ = update(m, code(KeyCode::Tab));
}

#[test]
fn an_exception_another_operator_holds() {
    snap!(SIZES; "recon_team_held", held);
}

#[test]
fn a_mark_refused_for_another_operators_change() {
    snap!(SIZES; "recon_team_conflict", |m: &mut Model| {
        held(m);
        let _ = update(m, key('j'));
        let _ = update(m, key('f'));
        type_text(m, "paid twice");
        let _ = update(m, code(KeyCode::Enter));
        let why = "exception duplicate_charge ch_9: changed by ana at 14:02 UTC — reload?";
        let _ = update(
            m,
            Msg::Recon(ReconAnswer::Conflict {
                session: SESSION.into(),
                why: why.into(),
            }),
        );
    });
}
