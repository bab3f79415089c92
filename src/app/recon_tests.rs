//! `update` on the reconciliation screens: commands and keys to the effects that call
//! the session database, and its answers to what the screen shows.

use crossterm::event::KeyCode;

use super::effect::Effect;
use super::fixtures::{code, command, key, last_toast, loaded, payout_caps, type_text};
use super::model::{Mode, Model};
use super::msg::Msg;
use super::recon_ask::{ReconAnswer, ReconAsk};
use super::recon_fixtures::{SESSION, arrives, board, today};
use super::screens::Pane;
use super::screens::recon::Tab;
use super::update::update;
use crate::store::sessions::{Event, ItemKind, ItemState};

fn model() -> Model {
    loaded(3, payout_caps())
}

/// `:recon nov` with the fixture board arrived.
fn on_session() -> Model {
    let mut m = model();
    let _ = command(&mut m, "recon nov");
    arrives(&mut m, board("test"));
    m
}

fn pane(m: &Model) -> &super::screens::ReconPane {
    match m.screens.top() {
        Some(Pane::Recon(p)) => p,
        other => panic!("no session on top: {other:?}"),
    }
}

fn mark(effects: &[Effect]) -> &super::recon_ask::Mark {
    match effects {
        [Effect::Recon(ReconAsk::Mark(mark))] => mark,
        other => panic!("no mark: {other:?}"),
    }
}

fn down(m: &mut Model, rows: usize) {
    for _ in 0..rows {
        let _ = update(m, key('j'));
    }
}

#[test]
fn recon_lists_the_sessions_and_enter_opens_one_without_creating_it() {
    let mut m = model();
    let effects = command(&mut m, "recon");
    assert_eq!(effects, [Effect::Recon(ReconAsk::List)]);
    let mut sessions = super::recon_fixtures::sessions("test");
    let listed = crate::store::sessions::SessionStore::list(&mut sessions).unwrap();
    let _ = update(&mut m, Msg::Recon(ReconAnswer::Listed(Ok(listed))));
    let effects = update(&mut m, code(KeyCode::Enter));
    assert_eq!(
        effects,
        [Effect::Recon(ReconAsk::Open {
            name: SESSION.into(),
            create: None,
            today: today(),
        })]
    );
    assert_eq!(pane(&m).name, SESSION);
}

#[test]
fn recon_name_opens_or_creates_the_session_for_this_profile_and_month_or_the_period_given() {
    let mut m = model();
    let effects = command(&mut m, "recon dec");
    let [
        Effect::Recon(ReconAsk::Open {
            name,
            create: Some(new),
            ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "dec");
    assert_eq!(new.profiles, ["test"]);
    assert_eq!(
        (new.from.to_string(), new.to.to_string()),
        ("2026-11-01".into(), "2026-11-30".into())
    );
    let effects = command(&mut m, "recon q3 2026-07-01..2026-09-30");
    let [
        Effect::Recon(ReconAsk::Open {
            create: Some(new), ..
        }),
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (new.from.to_string(), new.to.to_string()),
        ("2026-07-01".into(), "2026-09-30".into())
    );
    // Created, the runner says so; the toast shows it.
    let _ = update(
        &mut m,
        Msg::Recon(ReconAnswer::Board {
            session: "q3".into(),
            board: Box::new(board("test")),
            told: Some("Created session q3".into()),
        }),
    );
    assert_eq!(last_toast(&m), "Created session q3");
}

#[test]
fn m_accepts_the_selected_proposal_and_u_undoes_a_match() {
    let mut m = on_session();
    down(&mut m, 2);
    let selected = pane(&m).selected().unwrap();
    assert_eq!(selected.state, ItemState::Proposed);
    let match_id = selected.match_id.unwrap();
    let effects = update(&mut m, key('m'));
    let accept = mark(&effects);
    assert_eq!(accept.event, Event::Accept { match_id });
    assert_eq!(accept.action, "recon_accept");
    // Audited as paydeck recon audits it: the match by its id.
    assert_eq!(accept.target, format!("match {match_id}"));
    assert_eq!(pane(&m).working, Some("recording"));
    let _ = update(&mut m, key('k'));
    let matched = pane(&m).selected().unwrap().match_id.unwrap();
    let effects = update(&mut m, key('u'));
    assert_eq!(mark(&effects).event, Event::Unmatch { match_id: matched });
    // On an open deposit, neither has anything to do: it says so, and nothing is sent.
    let _ = update(&mut m, key('k'));
    assert!(update(&mut m, key('m')).is_empty());
    assert!(
        last_toast(&m).contains("accepts a proposed match"),
        "{}",
        last_toast(&m)
    );
    assert!(update(&mut m, key('u')).is_empty());
}

#[test]
fn picked_items_that_balance_match_at_once_and_others_ask_a_reason_for_an_adjustment() {
    let mut m = on_session();
    // The awaiting payout (A$391.20) with the unexplained deposit (A$123.45).
    let _ = update(&mut m, key(' '));
    let _ = update(&mut m, code(KeyCode::Tab));
    assert_eq!(pane(&m).tab, Tab::Payouts);
    down(&mut m, 3);
    let _ = update(&mut m, key(' '));
    assert_eq!(pane(&m).picked.len(), 2);
    assert!(update(&mut m, key('m')).is_empty());
    let Mode::Recon(dialog) = &m.mode else {
        panic!("no dialog: {:?}", m.mode)
    };
    assert!(
        dialog
            .about()
            .iter()
            .any(|l| l.contains("differ by -A$267.75")),
        "{:?}",
        dialog.about()
    );
    // Enter without a reason sends nothing.
    assert!(update(&mut m, code(KeyCode::Enter)).is_empty());
    type_text(&mut m, "rent paid into the wrong account");
    let effects = update(&mut m, code(KeyCode::Enter));
    let Event::Match {
        items,
        tier,
        adjustment: Some(adjustment),
        ..
    } = &mark(&effects).event
    else {
        panic!("{effects:?}")
    };
    assert_eq!((items.len(), *tier), (2, 0));
    assert_eq!(
        (adjustment.amount_minor, adjustment.reason.as_str()),
        (-26_775, "rent paid into the wrong account")
    );
    assert!(matches!(m.mode, Mode::Normal));
    // A matched item cannot be picked.
    let _ = update(&mut m, key('k'));
    let before = pane(&m).picked.len();
    let _ = update(&mut m, code(KeyCode::Tab));
    let _ = update(&mut m, code(KeyCode::Tab));
    down(&mut m, 1);
    let _ = update(&mut m, key(' '));
    assert_eq!(pane(&m).picked.len(), before);
    assert!(last_toast(&m).contains("is matched"), "{}", last_toast(&m));
}

#[test]
fn f_i_and_n_ask_for_words_then_record_them_against_the_selected_item() {
    let mut m = on_session();
    let _ = update(&mut m, code(KeyCode::Tab));
    let _ = update(&mut m, code(KeyCode::Tab));
    assert_eq!(pane(&m).tab, Tab::Exceptions);
    let item = pane(&m).selected().unwrap().item.clone();
    assert_eq!(item.kind, ItemKind::Exception);
    for (k, action) in [
        ('f', "recon_flag"),
        ('i', "recon_ignore"),
        ('n', "recon_note"),
    ] {
        assert!(update(&mut m, key(k)).is_empty());
        assert!(matches!(m.mode, Mode::Recon(_)));
        assert!(
            update(&mut m, code(KeyCode::Enter)).is_empty(),
            "no words, nothing sent"
        );
        type_text(&mut m, "tenant paid the wrong account");
        let effects = update(&mut m, code(KeyCode::Enter));
        let sent = mark(&effects);
        assert_eq!(sent.action, action);
        assert_eq!(
            sent.reason.as_deref(),
            Some("tenant paid the wrong account")
        );
        let expected = match k {
            'f' => Event::Flag {
                item: item.clone(),
                note: "tenant paid the wrong account".into(),
            },
            'i' => Event::Ignore {
                item: item.clone(),
                reason: "tenant paid the wrong account".into(),
            },
            _ => Event::Note {
                item: item.clone(),
                text: "tenant paid the wrong account".into(),
            },
        };
        assert_eq!(sent.event, expected);
    }
    // Esc closes the dialog and records nothing.
    let _ = update(&mut m, key('f'));
    type_text(&mut m, "x");
    assert!(update(&mut m, code(KeyCode::Esc)).is_empty());
    assert!(matches!(m.mode, Mode::Normal));
}

#[test]
fn the_sessions_keys_are_remapped_in_keys_recon() {
    let mut m = on_session();
    m.keymap =
        super::keymap::Keymap::with_overrides(&[("recon.flag".into(), vec!["F".into()])]).unwrap();
    let _ = update(&mut m, key('f'));
    assert!(matches!(m.mode, Mode::Normal), "f no longer flags");
    let _ = update(&mut m, key('F'));
    assert!(matches!(m.mode, Mode::Recon(_)));
}

#[test]
fn signoff_is_refused_with_the_rules_words_and_reopen_needs_a_signed_off_session() {
    let mut m = on_session();
    assert!(command(&mut m, "signoff").is_empty());
    assert!(last_toast(&m).contains("proposal"), "{}", last_toast(&m));
    assert!(command(&mut m, "reopen typo").is_empty());
    assert!(
        last_toast(&m).contains("not signed off"),
        "{}",
        last_toast(&m)
    );
    // Away from a session, the commands say what to do first.
    let mut away = model();
    assert!(command(&mut away, "signoff").is_empty());
    assert!(
        last_toast(&away).contains(":recon NAME"),
        "{}",
        last_toast(&away)
    );
}

#[test]
fn a_refusal_is_a_toast_and_the_board_stays() {
    let mut m = on_session();
    let _ = update(&mut m, key('u'));
    let _ = update(
        &mut m,
        Msg::Recon(ReconAnswer::Failed {
            session: SESSION.into(),
            why: "the session was signed off by ada".into(),
        }),
    );
    assert_eq!(last_toast(&m), "the session was signed off by ada");
    assert!(pane(&m).board().is_some());
    assert_eq!(pane(&m).working, None);
}

#[test]
fn import_asks_the_runner_and_a_guessed_mapping_is_confirmed_before_it_is_used() {
    let mut m = on_session();
    let effects = command(&mut m, "import /tmp/nov.csv westpac");
    let [Effect::Recon(ReconAsk::Import(import))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(import.path, std::path::PathBuf::from("/tmp/nov.csv"));
    assert_eq!(
        (import.bank.as_deref(), import.mapping.is_none()),
        (Some("westpac"), true)
    );
    let guess = crate::recon::import::guess_mapping(
        "nov.csv",
        b"Date,Amount,Description\n2026-11-02,97.80,PAYDECK\n",
        crate::money::Currency::AUD,
    )
    .unwrap();
    let _ = update(
        &mut m,
        Msg::Recon(ReconAnswer::NeedsMapping {
            session: SESSION.into(),
            path: "/tmp/nov.csv".into(),
            bank: "westpac".into(),
            mapping: Box::new(guess.mapping.clone()),
            doubts: guess.doubts,
        }),
    );
    let effects = update(&mut m, code(KeyCode::Enter));
    let [Effect::Recon(ReconAsk::Import(import))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(import.mapping.as_ref(), Some(&guess.mapping));
    // The key opens a prompt for the path.
    let _ = update(&mut m, key('I'));
    type_text(&mut m, "/tmp/nov.ofx");
    let effects = update(&mut m, code(KeyCode::Enter));
    let [Effect::Recon(ReconAsk::Import(import))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (import.path.to_str(), import.bank.as_deref()),
        (Some("/tmp/nov.ofx"), None)
    );
}

#[test]
fn enter_drills_down_to_a_payout_and_tab_goes_round_the_tabs() {
    let mut m = on_session();
    let _ = update(&mut m, code(KeyCode::Tab));
    let effects = update(&mut m, code(KeyCode::Enter));
    let Some(Pane::Payout(payout)) = m.screens.top() else {
        panic!("no payout screen")
    };
    assert_eq!(payout.payout_id, "po_0001");
    assert!(
        matches!(effects.as_slice(), [Effect::LoadPayoutLines { .. }]),
        "{effects:?}"
    );
    let _ = update(&mut m, code(KeyCode::Esc));
    for tab in [Tab::Exceptions, Tab::Deposits, Tab::Payouts] {
        let _ = update(&mut m, code(KeyCode::Tab));
        assert_eq!(pane(&m).tab, tab);
    }
}
