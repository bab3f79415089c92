//! The filter's totals over the store: a short needle's partial sums (over the newest
//! charges only) and the whole sums, arriving in either order, a stale one dropped; and
//! totals asked again while a slow sum is on its way, rather than queued behind it.

use super::tests::{over_store, store_with, window};
use super::*;
use crate::app::fixtures::{charge, filter, settle, store_answer, t0};
use crate::app::msg::{Msg, Polled};
use crate::app::update::update;
use crate::domain::ChargeStatus;
use crate::money::{Currency, Money};
use crate::store::Store;
use crate::store::query::{CurrencyTotals, ShortTextScan};

/// What the runner sends first for a short needle: `count` charges of A$1.00 among
/// the newest 50,000.
fn partly(generation: Generation, count: u64) -> Msg {
    let aud = Money::from_minor(100 * count as i64, Currency::AUD);
    Msg::StorePartlyTotalled {
        generation,
        partial: SearchedTotals {
            totals: Totals {
                count,
                by_currency: vec![CurrencyTotals {
                    currency: Currency::AUD,
                    count,
                    gross: aud,
                    refunded: Money::from_minor(0, Currency::AUD),
                    net: aud,
                }],
            },
            short_text: Some(ShortTextScan {
                looked_at: 50_000,
                reached: Some(StoreKey(1)),
                complete: false,
            }),
        },
    }
}

/// Filters on `text`, answers the page and returns the totals effect, still unanswered.
fn filtered(model: &mut Model, store: &Store, text: &str) -> Effect {
    let effects = filter(model, text);
    let [
        page @ Effect::StorePage(_),
        totals @ Effect::StoreTotals { .. },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    settle(model, store, vec![page.clone()]);
    totals.clone()
}

fn generation_of(effect: &Effect) -> Generation {
    let Effect::StoreTotals { generation, .. } = effect else {
        panic!("{effect:?}")
    };
    *generation
}

fn shown_count(model: &Model) -> Option<u64> {
    window(model).totals.as_ref().map(|t| t.count)
}

fn partial_count(model: &Model) -> Option<u64> {
    window(model).partial.as_ref().map(|p| p.totals.count)
}

#[test]
fn a_short_needles_partial_totals_show_until_the_whole_ones_come() {
    let store = store_with(30);
    let mut model = over_store(&store);
    // ch_0001 and ch_0010 to ch_0019.
    let totals = filtered(&mut model, &store, "01");
    assert!(update(&mut model, partly(generation_of(&totals), 7)).is_empty());
    assert_eq!(partial_count(&model), Some(7));
    assert_eq!(shown_count(&model), None);
    assert!(window(&model).totals_pending());
    settle(&mut model, &store, vec![totals]);
    assert_eq!(shown_count(&model), Some(11));
    assert_eq!(partial_count(&model), None);
    assert!(!window(&model).totals_pending());
}

#[test]
fn partial_totals_after_the_whole_ones_are_dropped() {
    let store = store_with(30);
    let mut model = over_store(&store);
    let totals = filtered(&mut model, &store, "01");
    let generation = generation_of(&totals);
    settle(&mut model, &store, vec![totals]);
    assert!(update(&mut model, partly(generation, 7)).is_empty());
    assert_eq!(partial_count(&model), None);
    assert_eq!(shown_count(&model), Some(11));
}

#[test]
fn after_a_filter_change_the_last_filters_totals_are_dropped_in_either_order() {
    let store = store_with(30);
    let mut model = over_store(&store);
    // "0", then "01": the filter bar opens on the text in force.
    let old = filtered(&mut model, &store, "0");
    let new = filtered(&mut model, &store, "1");
    assert_eq!(window(&model).filter.text, "01");
    assert_ne!(generation_of(&old), generation_of(&new));
    // The old filter's whole totals, then its partial ones, arrive late.
    update(&mut model, store_answer(&store, &old).unwrap());
    update(&mut model, partly(generation_of(&old), 7));
    assert_eq!((shown_count(&model), partial_count(&model)), (None, None));
    assert!(window(&model).totals_pending());
    // The new filter's partial ones, then whole ones.
    update(&mut model, partly(generation_of(&new), 3));
    assert_eq!(partial_count(&model), Some(3));
    update(&mut model, partly(generation_of(&old), 7));
    assert_eq!(partial_count(&model), Some(3));
    settle(&mut model, &store, vec![new]);
    assert_eq!(
        (shown_count(&model), partial_count(&model)),
        (Some(11), None)
    );
}

#[test]
fn news_while_the_totals_are_summed_asks_them_again_once_they_come() {
    let mut store = store_with(30);
    let mut model = over_store(&store);
    let totals = filtered(&mut model, &store, "01");
    let news = vec![charge(101, ChargeStatus::Captured)];
    store.upsert_charges(&news, t0()).unwrap();
    let polled = Polled {
        newer: news,
        refreshed: Vec::new(),
        total: None,
        older: None,
        first: false,
    };
    // The window is read again; the totals on their way are not asked a second time.
    let effects = update(&mut model, Msg::Polled(Ok(polled)));
    assert!(
        matches!(effects.as_slice(), [Effect::StorePage(_)]),
        "{effects:?}"
    );
    settle(&mut model, &store, effects);
    // They land, and are asked again since the store changed under them.
    let again = update(&mut model, store_answer(&store, &totals).unwrap());
    assert!(
        matches!(again.as_slice(), [Effect::StoreTotals { .. }]),
        "{again:?}"
    );
    assert_eq!(shown_count(&model), Some(12), "ch_0101 is news");
    settle(&mut model, &store, again);
    assert_eq!(shown_count(&model), Some(12));
    assert!(window(&model).totals_asked.is_none());
}
