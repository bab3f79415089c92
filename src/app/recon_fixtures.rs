//! A small reconciliation session for the screen's tests, worked out by the real
//! pipeline (import, auto-match, the board) on a session database in memory: one
//! deposit matched by reference (A$97.80), one proposed as the sum of two payouts
//! (A$489.00), one with no payout (A$123.45), and a payout awaiting its deposit.

use chrono::{NaiveDate, TimeDelta};

use super::effect::Effect;
use super::fixtures::{balance_line, payout, t0};
use super::model::Model;
use super::msg::Msg;
use super::recon_ask::ReconAnswer;
use crate::domain::LineKind;
use crate::money::{Currency, Money};
use crate::recon::session::{Board, ProfileInputs, auto_match_events, import_event};
use crate::recon::statement::SourceFormat;
use crate::recon::{MatchConfig, PayoutWithLines, Statement, StatementLine};
use crate::store::sessions::{NewSession, SessionStore, SqliteSessions, Stamp};

pub const SESSION: &str = "nov";

pub fn today() -> NaiveDate {
    t0().date_naive()
}

fn stamp() -> Stamp {
    Stamp {
        who: "ada".into(),
        at: t0(),
    }
}

fn line(days_ago: i64, minor: i64, text: &str, reference: &str) -> StatementLine {
    StatementLine {
        at_line: 0,
        booked: today() - TimeDelta::days(days_ago),
        value_date: None,
        amount: Money::from_minor(minor, Currency::AUD),
        text: text.into(),
        reference: reference.into(),
        other_refs: Vec::new(),
        bank_id: None,
        details: Vec::new(),
    }
}

/// Payouts 1 to 4, each of one charge of A$100 × n less its fee (A$97.80 to A$391.20).
pub fn inputs(profile: &str) -> Vec<ProfileInputs> {
    let payouts = (1..=4)
        .map(|n| {
            let line = balance_line(LineKind::Charge, 10_000 * n, Some(&format!("ch_{n}")));
            let mut payout = payout(n);
            payout.amount = line.amounts.net;
            PayoutWithLines {
                payout,
                lines: vec![line],
            }
        })
        .collect();
    vec![ProfileInputs {
        profile: profile.to_string(),
        payouts,
        unpaid: Vec::new(),
    }]
}

/// The session's database in memory, with the statement imported and auto-matched.
pub fn sessions(profile: &str) -> SqliteSessions {
    let mut store = SqliteSessions::open_in_memory().unwrap();
    let new = NewSession {
        name: SESSION.into(),
        profiles: vec![profile.into()],
        from: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    };
    let id = store.create(&new, &stamp()).unwrap();
    let statement = Statement {
        file: "nov.ofx".into(),
        format: SourceFormat::Ofx,
        account: None,
        lines: vec![
            line(0, 9_780, "PAYDECK PTY LTD", "PAYDECK 0001"),
            line(0, 48_900, "PAYDECK PTY LTD SETTLEMENT", ""),
            line(1, 12_345, "TRANSFER FROM J CITIZEN", "RENT"),
        ],
        pending_skipped: 0,
    };
    let view = store.load(id).unwrap();
    let (event, _) = import_event(&statement, &view).unwrap();
    store.record(id, event, &stamp()).unwrap();
    let view = store.load(id).unwrap();
    let (events, _) = auto_match_events(&view, &inputs(profile), &MatchConfig::default(), today());
    for event in events {
        store.record(id, event, &stamp()).unwrap();
    }
    store
}

/// The board of `store`'s session as the runner works it out.
pub fn board_of(store: &mut SqliteSessions, profile: &str) -> Board {
    let id = store.find(SESSION).unwrap().id;
    let view = store.load(id).unwrap();
    Board::build(&view, &inputs(profile), &MatchConfig::default(), today())
}

pub fn board(profile: &str) -> Board {
    board_of(&mut sessions(profile), profile)
}

/// The session's board arriving for the screen `:recon nov` opened.
pub fn arrives(model: &mut Model, board: Board) {
    let _ = arrives_as_of(model, board, 1);
}

/// The board arriving as of event `event_id`, and what the screen does then.
pub fn arrives_as_of(model: &mut Model, mut board: Board, event_id: i64) -> Vec<Effect> {
    board.latest = event_id;
    super::update::update(
        model,
        Msg::Recon(ReconAnswer::Board {
            session: SESSION.into(),
            board: Box::new(board),
            told: None,
        }),
    )
}

/// The fixture session with its proposal accepted, its exception flagged with a note,
/// and signed off.
pub fn signed_off_board(profile: &str) -> Board {
    use crate::store::sessions::Event;
    let mut store = sessions(profile);
    let id = store.find(SESSION).unwrap().id;
    let board = board_of(&mut store, profile);
    for m in board.matches.iter().filter(|m| m.proposed) {
        let accept = Event::Accept { match_id: m.id };
        store.record(id, accept, &stamp()).unwrap();
    }
    for e in &board.exceptions {
        let flag = Event::Flag {
            item: e.item.clone(),
            note: "the tenant paid into the wrong account".into(),
        };
        store.record(id, flag, &stamp()).unwrap();
    }
    let board = board_of(&mut store, profile);
    let signoff = board.signoff().unwrap();
    store.record(id, signoff, &stamp()).unwrap();
    board_of(&mut store, profile)
}
