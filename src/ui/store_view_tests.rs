//! The charges list over the local store: the first frame marked `cached · updating`
//! before the gateway answers, and the filter's totals in the filter line (each
//! currency's gross, refunded and net, exact), at every size down to 40x10.

use super::test_support::{charges, now, render, session};
use super::theme::Theme;
use crate::app::fixtures::{key, settle};
use crate::app::keymap::Keymap;
use crate::app::model::Model;
use crate::app::msg::Msg;
use crate::app::update::update;
use crate::store::Store;
use std::time::Duration;

const SIZES: [(u16, u16); 3] = [(160, 48), (80, 24), (40, 10)];

/// The twelve fixture charges in a store.
fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.upsert_charges(&charges(), now()).unwrap();
    store
}

/// A dashboard just started over `store`: its window read, no poll answered yet.
pub(super) fn started(store: &Store, width: u16, height: u16) -> Model {
    let mut model = Model::new(session(), Keymap::default(), Duration::from_secs(5), now());
    model.screen = (width, height);
    let effects = update(&mut model, Msg::StoreOpened(Ok(())));
    settle(&mut model, store, effects);
    model
}

pub(super) fn text(model: &Model) -> String {
    let terminal = render(model, &Theme::dark());
    let buffer = terminal.backend().buffer();
    let (w, h) = model.screen;
    (0..h)
        .map(|y| (0..w).map(|x| buffer[(x, y)].symbol()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A snapshot named `name_WxH` of the model `at` makes at each of the sizes.
fn snapshot_each_size(name: &str, at: impl Fn(u16, u16) -> Model) {
    for (w, h) in SIZES {
        let terminal = render(&at(w, h), &Theme::dark());
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn the_first_frame_comes_from_the_store_marked_cached() {
    let store = store();
    snapshot_each_size("store_first_frame", |w, h| started(&store, w, h));
    let wide = text(&started(&store, 160, 48));
    assert!(wide.contains("cached · updating"), "{wide}");
    assert!(wide.contains("ch_7Kq2mXvTn4RbWc8YdZp1Aq"), "{wide}");
}

/// Started over `store`, then sorted by amount (`s` twice: created, then amount).
fn sorted_by_amount(store: &Store, width: u16, height: u16) -> Model {
    let mut model = started(store, width, height);
    for _ in 0..2 {
        let effects = update(&mut model, key('s'));
        settle(&mut model, store, effects);
    }
    model
}

#[test]
fn sorted_by_amount_the_column_says_so_and_the_store_orders_the_rows() {
    let store = store();
    snapshot_each_size("store_sorted_amount", |w, h| sorted_by_amount(&store, w, h));
    let wide = text(&sorted_by_amount(&store, 160, 48));
    assert!(wide.contains("▼ amount"), "{wide}");
    assert!(
        !wide.contains("loaded only"),
        "the store sorts every charge: {wide}"
    );
}

/// Started over `store`, then filtered on `text`, every answer of the store in.
fn filtered(store: &Store, text: &str, width: u16, height: u16) -> Model {
    let mut model = started(store, width, height);
    let effects = crate::app::fixtures::filter(&mut model, text);
    settle(&mut model, store, effects);
    model
}

#[test]
fn the_filter_line_totals_each_currency_exactly() {
    let store = store();
    let captured = "status:captured,partially_refunded,refunded";
    snapshot_each_size("store_totals", |w, h| filtered(&store, captured, w, h));
    let wide = text(&filtered(&store, captured, 160, 48));
    // Captured A$89.95 + A$42.00 + A$12.50 (A$42.00 refunded); US$250.00 with US$50.00
    // refunded; ¥3,480.
    assert!(wide.contains("5 charges"), "{wide}");
    assert!(wide.contains("gross − refunded = net: A$144.45 − A$42.00 = A$102.45 · ¥3,480 − ¥0 = ¥3,480 · US$250.00 − US$50.00 = US$200.00"), "{wide}");
    assert!(wide.contains("store"), "{wide}");
}

/// Filtered on a two-character needle, the page answered and, of the totals, only the
/// partial ones: the store's sums of the matches, said to be over the newest 50,000.
fn partly_totalled(store: &Store, width: u16, height: u16) -> Model {
    let mut model = started(store, width, height);
    let effects = crate::app::fixtures::filter(&mut model, "jp");
    for effect in &effects {
        match effect {
            crate::app::effect::Effect::StorePage(_) => {
                let msg = crate::app::fixtures::store_answer(store, effect).unwrap();
                update(&mut model, msg);
            }
            crate::app::effect::Effect::StoreTotals { filter, generation } => {
                let partial = crate::store::query::SearchedTotals {
                    totals: store.charge_totals(filter).unwrap(),
                    short_text: Some(crate::store::query::ShortTextScan {
                        looked_at: 50_000,
                        reached: None,
                        complete: false,
                    }),
                };
                let generation = *generation;
                update(
                    &mut model,
                    Msg::StorePartlyTotalled {
                        generation,
                        partial,
                    },
                );
            }
            _ => {}
        }
    }
    model
}

#[test]
fn a_short_needles_partial_totals_are_said_to_be_over_the_newest_charges() {
    let store = store();
    snapshot_each_size("store_partial_totals", |w, h| partly_totalled(&store, w, h));
    // kenji@example.jp's ¥12,000 (3-D Secure pending, nothing captured) and
    // hana@example.jp's ¥3,480.
    let wide = text(&partly_totalled(&store, 160, 48));
    assert!(
        wide.contains("2 of the newest 50,000 charges · ¥3,480 gross − ¥0 refunded = ¥3,480 net · counting the rest… · store"),
        "{wide}"
    );
    let narrow = text(&partly_totalled(&store, 40, 10));
    assert!(
        narrow.contains("2 of the newest 50,000 charges"),
        "{narrow}"
    );
}

#[test]
fn while_totals_are_computing_the_filter_line_says_so() {
    let store = store();
    let mut model = started(&store, 80, 24);
    let effects = crate::app::fixtures::filter(&mut model, "olivia");
    // Only the page is answered; the totals are still on their way.
    for effect in &effects {
        if let crate::app::effect::Effect::StorePage(_) = effect {
            let msg = crate::app::fixtures::store_answer(&store, effect).unwrap();
            update(&mut model, msg);
        }
    }
    let screen = text(&model);
    assert!(screen.contains("totals…"), "{screen}");
    insta::assert_snapshot!(
        "store_totals_computing_80x24",
        render(&model, &Theme::dark()).backend()
    );
}

#[test]
fn the_sync_progress_is_in_the_status_line_where_it_fits() {
    let store = store();
    for (w, h) in SIZES {
        let mut model = started(&store, w, h);
        let progress = "backfill 1.2M of ~3M · 4,100/s · eta 7 min";
        let effects = update(&mut model, Msg::SyncProgress(progress.into()));
        settle(&mut model, &store, effects);
        let screen = text(&model);
        let status = screen.lines().last().unwrap_or_default();
        assert_eq!(status.contains(progress), w >= 100, "{w}x{h}:\n{screen}");
        assert!(status.contains("help"), "{w}x{h}:\n{screen}");
    }
}
