//! `update` on a session screen kept live: another operator's write reloads it once,
//! only when newer than the board shown, and so does a claim taken or given up; an
//! unreachable store refuses marks and says
//! why, and once back every session shown is read again.

use super::effect::Effect;
use super::fixtures::{key, last_toast, loaded, payout_caps};
use super::model::Model;
use super::msg::Msg;
use super::recon_ask::ReconAsk;
use super::recon_fixtures::{SESSION, arrives_as_of, board, today};
use super::screens::Pane;
use super::update::update;
use crate::store::sessions::watch::News;

/// `:recon nov` with the fixture board arrived, as of event 10.
fn on_session() -> Model {
    let mut m = loaded(3, payout_caps());
    let _ = super::fixtures::command(&mut m, "recon nov");
    let effects = arrives_as_of(&mut m, board("test"), 10);
    assert!(effects.is_empty(), "{effects:?}");
    m
}

fn changed(m: &mut Model, session: i64, event_id: i64) -> Vec<Effect> {
    let session = crate::store::sessions::SessionId(session);
    update(m, Msg::StoreNews(News::Changed { session, event_id }))
}

fn claims(m: &mut Model, session: i64, version: i64) -> Vec<Effect> {
    let session = crate::store::sessions::SessionId(session);
    update(m, Msg::StoreNews(News::Claims { session, version }))
}

/// The board arriving as of event 10 and claims version `version`.
fn arrives_with_claims(m: &mut Model, version: i64) -> Vec<Effect> {
    let mut board = board("test");
    board.claims_version = version;
    arrives_as_of(m, board, 10)
}

fn shown_session(m: &Model) -> i64 {
    match m.screens.top() {
        Some(Pane::Recon(p)) => p.board().unwrap().summary.id.0,
        other => panic!("no session on top: {other:?}"),
    }
}

fn reload() -> Vec<Effect> {
    vec![Effect::Recon(ReconAsk::Open {
        name: SESSION.into(),
        create: None,
        today: today(),
    })]
}

#[test]
fn news_of_a_newer_event_of_the_session_shown_reloads_it_once() {
    let mut m = on_session();
    let id = shown_session(&m);
    // As old as the board, or of another session: nothing to do.
    assert!(changed(&mut m, id, 10).is_empty());
    assert!(changed(&mut m, id, 9).is_empty());
    assert!(changed(&mut m, id + 1, 50).is_empty());
    assert_eq!(changed(&mut m, id, 11), reload());
    // While that reload is out, more news waits for its answer.
    assert!(changed(&mut m, id, 13).is_empty());
    // The board read before event 13 was committed: read again.
    assert_eq!(arrives_as_of(&mut m, board("test"), 12), reload());
    assert!(arrives_as_of(&mut m, board("test"), 13).is_empty());
    assert!(changed(&mut m, id, 13).is_empty());
}

#[test]
fn news_of_a_newer_claims_version_of_the_session_shown_reloads_it_once() {
    let mut m = on_session();
    let id = shown_session(&m);
    assert_eq!(arrives_with_claims(&mut m, 4), Vec::new());
    // As old as the board's claims, or of another session: nothing to do.
    assert!(claims(&mut m, id, 4).is_empty());
    assert!(claims(&mut m, id + 1, 50).is_empty());
    assert_eq!(claims(&mut m, id, 5), reload());
    // While that reload is out, more news (of claims or events) waits for its answer.
    assert!(claims(&mut m, id, 6).is_empty());
    assert!(changed(&mut m, id, 11).is_empty());
    // The board read before claim 6 and event 11: read again, until it has both.
    assert_eq!(arrives_with_claims(&mut m, 5), reload());
    let mut board = board("test");
    board.claims_version = 6;
    assert_eq!(arrives_as_of(&mut m, board.clone(), 10), reload());
    assert!(arrives_as_of(&mut m, board, 11).is_empty());
    assert!(claims(&mut m, id, 6).is_empty());
}

#[test]
fn a_marks_own_news_needs_no_second_reload() {
    let mut m = on_session();
    let id = shown_session(&m);
    // Down to the open exception's deposit and flag it: the mark is out.
    let _ = update(&mut m, key('f'));
    for c in "wrong account".chars() {
        let _ = update(&mut m, key(c));
    }
    let sent = update(
        &mut m,
        super::fixtures::code(crossterm::event::KeyCode::Enter),
    );
    assert!(
        matches!(sent.as_slice(), [Effect::Recon(ReconAsk::Mark(_))]),
        "{sent:?}"
    );
    // Its own news comes before its answer: the answer brings it in.
    assert!(changed(&mut m, id, 11).is_empty());
    assert!(arrives_as_of(&mut m, board("test"), 11).is_empty());
}

#[test]
fn an_unreachable_store_refuses_marks_and_once_back_the_session_is_read_again() {
    let mut m = on_session();
    let down = News::Unreachable("connection refused".into());
    assert!(update(&mut m, Msg::StoreNews(down)).is_empty());
    for k in ['f', 'n', 'i', 'm', 'u'] {
        assert!(update(&mut m, key(k)).is_empty(), "{k}");
        assert!(last_toast(&m).contains("unreachable"), "{}", last_toast(&m));
        assert!(
            matches!(m.mode, super::model::Mode::Normal),
            "{k} opened a dialog"
        );
    }
    assert!(super::fixtures::command(&mut m, "import nov.ofx").is_empty());
    assert!(
        last_toast(&m).contains("connection refused"),
        "{}",
        last_toast(&m)
    );
    // Picking writes nothing, so it still works.
    let _ = update(&mut m, key(' '));
    match m.screens.top() {
        Some(Pane::Recon(p)) => assert_eq!(p.picked.len(), 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(update(&mut m, Msg::StoreNews(News::Reachable)), reload());
    assert_eq!(m.sessions_down, None);
    // Its answer, as of the event shown before, is enough.
    assert!(arrives_as_of(&mut m, board("test"), 10).is_empty());
    // Back already: nothing more to read.
    assert!(update(&mut m, Msg::StoreNews(News::Reachable)).is_empty());
}
