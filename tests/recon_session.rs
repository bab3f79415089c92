//! A session worked end to end on the simulator's bank with noise: payouts synced into
//! a profile's store and read back by `session::gather`, the statement imported into a
//! session database, auto-match recorded as events, and the board that the screen and
//! the commands show: states, exceptions, the difference-to-zero totals, marks by
//! hand, and sign-off.

mod common;

use chrono::NaiveDate;
use common::simulator::{Dialect, seeded};
use common::synced::Synced;
use paydeck::recon::import::ofx;
use paydeck::recon::session::{
    Board, ExceptionState, ProfileInputs, auto_match_events, gather, import_event, manual_match,
};
use paydeck::recon::{FeeBand, MatchConfig};
use paydeck::sim::{BankNoise, SimConfig};
use paydeck::store::Store;
use paydeck::store::sessions::{Event, ItemState, NewSession, SessionStore, SqliteSessions, Stamp};
use serde_json::Value;

const HEAVY: &str = "merge=0.15,fee=0.2,late=0.2,ref=0.2,lost=0.1,unrelated=0.2";

fn stamp() -> Stamp {
    Stamp {
        who: "tester".into(),
        at: chrono::Utc::now(),
    }
}

#[tokio::test]
async fn a_session_imports_matches_marks_and_signs_off_on_the_simulators_bank() {
    let dialect = Dialect::Pin;
    let config = SimConfig {
        seed: 12,
        bank_noise: HEAVY.parse::<BankNoise>().expect("noise"),
        ..seeded(600, 40)
    };
    let synced = Synced::start(dialect, config).await;
    let (sim, writer) = (&synced.sim, &synced.writer);

    let (status, truth) = sim.admin_get("bank/truth?dialect=pin").await;
    assert_eq!(status, 200);
    let truth: Value = serde_json::from_str(&truth).expect("JSON");
    let day = |v: &Value| NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap();
    let (from, to) = (day(&truth["from"]), day(&truth["to"]));
    let (_, text) = sim.admin_get("bank/statement?dialect=pin&format=ofx").await;
    let statement = ofx::parse("nov.ofx", &text).expect("the OFX reads");

    let inputs: Vec<ProfileInputs> = vec![
        writer
            .call(move |s: &mut Store| gather(s, "pin", from, to))
            .await
            .expect("the profile's inputs"),
    ];
    assert!(!inputs[0].payouts.is_empty());
    let mut sessions =
        SqliteSessions::open(&SqliteSessions::path_in(&synced.dir)).expect("the session database");
    let new = NewSession {
        name: "nov".into(),
        profiles: vec!["pin".into()],
        from,
        to,
    };
    let id = sessions.create(&new, &stamp()).expect("created");
    let view = sessions.load(id).unwrap();
    let (import, sorted) = import_event(&statement, &view).expect("the lines");
    assert_eq!(sorted.new.len(), statement.lines.len());
    sessions.record(id, import, &stamp()).unwrap();
    // The same file again adds nothing, and says so.
    let view = sessions.load(id).unwrap();
    let (again, sorted) = import_event(&statement, &view).unwrap();
    assert_eq!(
        sorted.to_string(),
        format!("0 new lines, {} already imported", statement.lines.len())
    );
    sessions.record(id, again, &stamp()).unwrap();

    let config = MatchConfig {
        fee_band: FeeBand::of("pin"),
        ..MatchConfig::default()
    };
    let view = sessions.load(id).unwrap();
    let (events, outcome) = auto_match_events(&view, &inputs, &config, to);
    assert_eq!(
        events.len(),
        outcome.matches.len() + outcome.proposals.len()
    );
    assert!(!outcome.proposals.is_empty(), "heavy noise makes proposals");
    for event in events {
        sessions.record(id, event, &stamp()).unwrap();
    }
    // A second run finds nothing left to record.
    let view = sessions.load(id).unwrap();
    assert!(auto_match_events(&view, &inputs, &config, to).0.is_empty());

    let board = Board::build(&view, &inputs, &config, to);
    let matched = board
        .deposits
        .iter()
        .filter(|d| d.state == ItemState::Matched)
        .count();
    assert_eq!(matched, outcome.matches.len());
    assert_eq!(board.exceptions.len(), outcome.exceptions.len());
    // The bar: the statement is what the lines add up to; the difference is what
    // is neither matched nor ignored, since every match balances.
    for t in &board.totals {
        let lines: i64 = view
            .lines
            .iter()
            .filter(|l| l.currency == t.currency)
            .map(|l| l.amount_minor)
            .sum();
        assert_eq!(t.statement, lines);
        assert_eq!(t.statement, t.matched + t.unmatched);
        assert_eq!(t.difference, t.unmatched);
    }
    let why = board.signoff_refusal().expect("proposals wait");
    assert!(why.contains("proposal"), "{why}");

    // Accept every proposal: the bar's matched total takes in their deposits.
    for m in board.matches.iter().filter(|m| m.proposed) {
        sessions
            .record(id, Event::Accept { match_id: m.id }, &stamp())
            .unwrap();
    }
    let view = sessions.load(id).unwrap();
    let board = Board::build(&view, &inputs, &config, to);
    for t in &board.totals {
        assert_eq!(
            t.difference, t.unmatched,
            "a less-fee proposal balances by its adjustment"
        );
    }
    let why = board.signoff_refusal().expect("exceptions are open");
    assert!(why.contains("exception(s) open"), "{why}");

    // Unmatch one match by hand: its deposit and payout join the queue; matching them
    // again by hand needs no adjustment, and a wrong pair needs a reason.
    let single = board
        .matches
        .iter()
        .find(|m| m.items.len() == 2 && m.adjustment.is_none() && m.tier < 3)
        .expect("a tier 1 or 2 match")
        .clone();
    sessions
        .record(
            id,
            Event::Unmatch {
                match_id: single.id,
            },
            &stamp(),
        )
        .unwrap();
    let view = sessions.load(id).unwrap();
    let board = Board::build(&view, &inputs, &config, to);
    let queued: Vec<_> = board
        .exceptions
        .iter()
        .filter(|e| e.deposits.contains(&single.items[0]) || e.payouts.contains(&single.items[1]))
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(queued, ["deposit_without_payout", "payout_without_deposit"]);
    let other = board
        .payouts
        .iter()
        .find(|p| {
            p.item != single.items[1]
                && p.payout.amount.currency.code() == "AUD"
                && p.payout.amount
                    != board
                        .payouts
                        .iter()
                        .find(|q| q.item == single.items[1])
                        .unwrap()
                        .payout
                        .amount
        })
        .expect("another payout");
    let wrong = manual_match(
        &board,
        vec![single.items[0].clone(), other.item.clone()],
        None,
    );
    assert!(wrong.unwrap_err().contains("give a reason"));
    let again = manual_match(&board, single.items.clone(), None).expect("balances");
    sessions.record(id, again, &stamp()).unwrap();

    // Flag every exception left with a note: sign-off is then allowed, and freezes
    // the totals.
    let view = sessions.load(id).unwrap();
    let board = Board::build(&view, &inputs, &config, to);
    for e in board
        .exceptions
        .iter()
        .filter(|e| e.state == ExceptionState::Open)
    {
        let flag = Event::Flag {
            item: e.item.clone(),
            note: format!("looked at: {}", e.kind.name()),
        };
        sessions.record(id, flag, &stamp()).unwrap();
    }
    let view = sessions.load(id).unwrap();
    let board = Board::build(&view, &inputs, &config, to);
    assert!(
        board
            .exceptions
            .iter()
            .all(|e| e.state == ExceptionState::Flagged)
    );
    let signoff = board
        .signoff()
        .expect("every exception is flagged with a note");
    sessions.record(id, signoff, &stamp()).unwrap();
    let view = sessions.load(id).unwrap();
    assert_eq!(view.frozen, board.totals);
    let board = Board::build(&view, &inputs, &config, to);
    assert!(
        board
            .signoff_refusal()
            .unwrap()
            .contains("signed off by tester")
    );
    // The summary and exceptions exports read back with the board's figures.
    common::board_exports::check_signed_off(&board);

    synced.stop().await;
}
