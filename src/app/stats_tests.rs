//! `:stats` in `update`: what opening it asks for, how `[` `]` `+` `-` move and zoom
//! the period (never past the one holding now), that an answer to a replaced read is
//! dropped, the table and its scrolling, news read again, and the screen refused
//! without a store.

use chrono::TimeDelta;

use super::effect::Effect;
use super::fixtures::{charge, command, fixture_caps, key, session, settle, t0};
use super::keymap::Keymap;
use super::model::{Loadable, Model};
use super::msg::{Msg, Polled};
use super::screens::Pane;
use super::screens::stats::{StatsAsk, StatsPane};
use super::store_window::tests::over_store;
use super::update::update;
use crate::domain::ChargeStatus;
use crate::stats::{Period, Zoom};
use crate::store::Store;
use crate::timezone::Zone;

fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let charges: Vec<_> = (1..=20)
        .map(|i| {
            let status = match i % 4 {
                0 => ChargeStatus::Declined,
                1 => ChargeStatus::Authorised,
                _ => ChargeStatus::Captured,
            };
            charge(i, status)
        })
        .collect();
    store.upsert_charges(&charges, t0()).unwrap();
    store
}

fn pane(model: &Model) -> &StatsPane {
    match model.screens.top() {
        Some(Pane::Stats(pane)) => pane,
        other => panic!("not on the statistics: {other:?}"),
    }
}

fn asks(effects: &[Effect]) -> Vec<&StatsAsk> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadStats(ask) => Some(ask),
            _ => None,
        })
        .collect()
}

/// `:stats` opened over `store` and its figures read.
fn opened(store: &Store) -> Model {
    let mut model = over_store(store);
    let effects = command(&mut model, "stats");
    let rest = settle(&mut model, store, effects);
    assert_eq!(
        rest,
        [Effect::LoadBalance],
        "the balance is the gateway's to give"
    );
    model
}

#[test]
fn stats_asks_the_store_for_today_over_the_lists_filter_and_the_gateway_for_the_balance() {
    let store = store();
    let mut model = over_store(&store);
    let effects = command(&mut model, "stats");
    let ask = asks(&effects)[0].clone();
    assert_eq!(ask.period, Period::containing(Zoom::Day, t0(), Zone::Utc));
    assert_eq!(ask.now, t0());
    assert!(effects.contains(&Effect::LoadBalance));
    assert!(matches!(pane(&model).stats, Loadable::Loading));
    settle(&mut model, &store, effects);
    let Loadable::Loaded(stats) = &pane(&model).stats else {
        panic!("{:?}", pane(&model).stats)
    };
    assert_eq!(stats.counts().charges, 20);
    assert_eq!(stats.counts().declined, 5);
}

#[test]
fn the_period_moves_back_and_forth_but_never_past_the_one_holding_now() {
    let store = store();
    let mut model = opened(&store);
    let today = pane(&model).period.clone();
    let later = update(&mut model, key(']'));
    assert!(asks(&later).is_empty(), "{later:?}");
    assert!(
        model
            .toasts
            .iter()
            .any(|t| t.text.contains("latest period"))
    );
    let back = update(&mut model, key('['));
    assert_eq!(asks(&back)[0].period.end, today.start);
    settle(&mut model, &store, back);
    let Loadable::Loaded(yesterday) = &pane(&model).stats else {
        panic!()
    };
    assert_eq!(
        yesterday.counts().charges,
        0,
        "every fixture charge is from today"
    );
    let forward = update(&mut model, key(']'));
    assert_eq!(asks(&forward)[0].period, today);
}

#[test]
fn zooming_in_on_today_lands_on_the_hour_holding_now_and_out_stops_at_a_month() {
    let store = store();
    let mut model = opened(&store);
    let hour = update(&mut model, key('+'));
    assert_eq!(
        asks(&hour)[0].period,
        Period::containing(Zoom::Hour, t0(), Zone::Utc)
    );
    assert!(
        asks(&update(&mut model, key('+'))).is_empty(),
        "an hour is the closest"
    );
    for zoom in [Zoom::Day, Zoom::Week, Zoom::Month] {
        let out = update(&mut model, key('-'));
        assert_eq!(asks(&out)[0].period.zoom, zoom);
    }
    assert!(asks(&update(&mut model, key('-'))).is_empty());
    assert!(model.toasts.iter().any(|t| t.text.contains("widest")));
}

#[test]
fn an_answer_to_a_replaced_read_is_dropped() {
    let store = store();
    let mut model = opened(&store);
    let first = update(&mut model, key('['));
    let second = update(&mut model, key(']'));
    // The second read answers first; the first's answer, late, must not replace it.
    settle(&mut model, &store, second);
    let today = pane(&model).stats.clone();
    settle(&mut model, &store, first);
    assert_eq!(format!("{:?}", pane(&model).stats), format!("{today:?}"));
    assert_eq!(pane(&model).period.zoom, Zoom::Day);
    assert!(pane(&model).period.holds(t0()));
}

#[test]
fn the_table_toggles_and_only_it_scrolls() {
    let store = store();
    let mut model = opened(&store);
    model.drawn.stats_max_scroll = 5;
    update(&mut model, key('j'));
    assert_eq!(pane(&model).scroll, 0, "the charts do not scroll");
    update(&mut model, key('t'));
    assert!(pane(&model).table);
    for _ in 0..9 {
        update(&mut model, key('j'));
    }
    assert_eq!(pane(&model).scroll, 5, "no further than its last line");
    update(&mut model, key('t'));
    assert!(!pane(&model).table);
    assert_eq!(pane(&model).scroll, 0);
}

#[test]
fn news_reads_a_period_holding_now_again() {
    let store = store();
    let mut model = opened(&store);
    let mut newer = charge(21, ChargeStatus::Captured);
    newer.created = t0() + TimeDelta::seconds(1);
    let effects = update(
        &mut model,
        Msg::Polled(Ok(Polled {
            newer: vec![newer],
            refreshed: Vec::new(),
            total: None,
            older: None,
            first: false,
        })),
    );
    assert_eq!(asks(&effects).len(), 1, "{effects:?}");
}

#[test]
fn without_a_store_there_are_no_statistics_and_it_says_why() {
    let mut model = Model::new(
        session(fixture_caps()),
        Keymap::default(),
        std::time::Duration::from_secs(5),
        t0(),
    );
    let effects = command(&mut model, "stats");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(model.screens.top().is_none());
    assert!(model.toasts.iter().any(|t| t.text.contains("--no-store")));
}

#[test]
fn flipping_the_zone_reads_the_period_on_the_new_wall_clock() {
    let store = store();
    let mut model = opened(&store);
    model.configured_zone = Zone::Fixed(chrono::FixedOffset::east_opt(10 * 3600).unwrap());
    model.zone = model.configured_zone;
    update(&mut model, key('['));
    update(&mut model, key(']'));
    let effects = update(&mut model, key('Z'));
    let ask = asks(&effects)[0];
    assert_eq!(ask.period, Period::containing(Zoom::Day, t0(), Zone::Utc));
}

#[test]
fn e_lists_the_authorisations_lapsing_within_a_day_on_the_charges_list() {
    let store = store();
    let mut model = opened(&store);
    let effects = update(&mut model, key('e'));
    assert!(model.screens.top().is_none(), "back on the charges list");
    assert_eq!(
        model.screens.charges.list.filter_text,
        super::screens::stats::EXPIRING_FILTER
    );
    settle(&mut model, &store, effects);
    let window = model.screens.charges.store.as_ref().unwrap();
    assert_eq!(window.filter.statuses, [ChargeStatus::Authorised].into());
    assert_eq!(
        window.filter.expires_before,
        Some(t0() + TimeDelta::hours(24))
    );
    // The fixture authorisations expire a week after they were made: none within a day.
    assert_eq!(model.screens.charges.list.visible_len(), 0);
}
