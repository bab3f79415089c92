//! The time zone: the toggle key between the configured zone and UTC, and filter
//! dates counted as days in the zone on screen.

use chrono::{TimeZone, Utc};

use super::fixtures::*;
use super::model::{Model, ToastKind};
use super::msg::{Msg, Polled};
use super::update::update;
use crate::domain::ChargeStatus;
use crate::timezone::Zone;

fn plus_ten() -> Zone {
    Zone::parse("+10:00").unwrap()
}

#[test]
fn the_toggle_key_flips_between_the_configured_zone_and_utc() {
    let mut model = loaded(3, fixture_caps()).with_zone(plus_ten());
    let _ = update(&mut model, key('Z'));
    assert_eq!(model.zone, Zone::Utc);
    let toast = model.toasts.back().unwrap();
    assert_eq!(
        (toast.kind, toast.text.as_str()),
        (ToastKind::Info, "Times in UTC")
    );
    let _ = update(&mut model, key('Z'));
    assert_eq!(model.zone, plus_ten());
    assert_eq!(model.toasts.back().unwrap().text, "Times in +10:00");
    assert_eq!(model.configured_zone, plus_ten(), "the setting stays");
}

/// One charge at 20:00 UTC on 23 November: already the 24th in +10:00.
fn late_charge_model(zone: Zone) -> Model {
    let mut model = Model::new(
        session(fixture_caps()),
        Default::default(),
        std::time::Duration::from_secs(5),
        t0(),
    )
    .with_zone(zone);
    let mut late = charge(1, ChargeStatus::Captured);
    late.created = Utc.with_ymd_and_hms(2026, 11, 23, 20, 0, 0).unwrap();
    let _ = update(&mut model, Msg::Tick(t0()));
    let _ = update(
        &mut model,
        Msg::Polled(Ok(Polled {
            newer: vec![late],
            refreshed: Vec::new(),
            total: Some(1),
            older: None,
            first: true,
        })),
    );
    model
}

/// How many charges show with `text` as the filter.
fn shown(model: &mut Model, text: &str) -> usize {
    let _ = filter(model, text);
    model.screens.charges.list.visible_len()
}

#[test]
fn on_a_date_means_that_day_in_the_shown_zone() {
    assert_eq!(
        shown(&mut late_charge_model(plus_ten()), "on:2026-11-24"),
        1
    );
    assert_eq!(shown(&mut late_charge_model(Zone::Utc), "on:2026-11-24"), 0);
    // Toggling to UTC counts the filter's days again, in UTC.
    let mut model = late_charge_model(plus_ten());
    assert_eq!(shown(&mut model, "on:2026-11-24"), 1);
    let _ = update(&mut model, key('Z'));
    assert_eq!(model.screens.charges.list.visible_len(), 0);
    assert_eq!(model.screens.charges.list.filter_text, "on:2026-11-24");
}
