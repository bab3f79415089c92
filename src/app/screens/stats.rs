//! `:stats`: the charges list's filter, added up over a period, as charts or (`t`) as
//! the table of exact figures behind them. `[` and `]` move the period, `+` and `-`
//! zoom it (hour, day, week, month), `c` picks the currency the volume chart draws,
//! `e` lists the authorisations lapsing within a day. The figures come from the local
//! store, on the reader thread; the balance, where the gateway has one, from the
//! gateway.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::mode_keys::ModeAction;
use super::super::model::{Loadable, Model, ToastKind};
use super::super::request::Generation;
use super::{Hint, Pane};
use crate::domain::{Balance, ChargeFilter};
use crate::money::Currency;
use crate::stats::{ChargeStats, Period, Zoom};

/// The filter the `e` key puts on the charges list.
pub const EXPIRING_FILTER: &str = "status:authorised expires:24h";

#[derive(Debug, Clone)]
pub struct StatsPane {
    pub period: Period,
    /// The charges list's filter when the screen opened, and its text.
    pub filter: ChargeFilter,
    pub filter_text: String,
    /// The exact figures instead of the charts.
    pub table: bool,
    /// The line the table starts at.
    pub scroll: u16,
    /// The currency the volume chart draws (`None`: the one with most charges).
    pub currency: Option<Currency>,
    pub stats: Loadable<ChargeStats>,
    /// `None`: the gateway keeps no balance to show.
    pub balance: Option<Loadable<Balance>>,
    /// The read in force: an answer to one since replaced is dropped.
    pub generation: Generation,
}

impl StatsPane {
    /// The currency the volume chart draws: the one picked, else the busiest.
    pub fn shown_currency(&self) -> Option<Currency> {
        let Loadable::Loaded(stats) = &self.stats else {
            return self.currency;
        };
        self.currency
            .filter(|c| stats.currencies.iter().any(|(held, _)| held == c))
            .or_else(|| stats.currencies.first().map(|(c, _)| *c))
    }
}

/// A read of the figures asked of the store.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsAsk {
    pub generation: Generation,
    pub filter: ChargeFilter,
    pub period: Period,
    /// The model's clock when asked: the authorisations' time left counts from it.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// Opens the statistics for today over the charges list's filter; on top already, it
/// stays as it is.
pub(crate) fn open(model: &mut Model) -> Vec<Effect> {
    if matches!(model.screens.top(), Some(Pane::Stats(_))) {
        return Vec::new();
    }
    let Some(window) = &model.screens.charges.store else {
        model.toast(
            ToastKind::Error,
            "statistics read the local store, and this dashboard has none (started with --no-store, or the store did not open, as said at start)",
        );
        return Vec::new();
    };
    let filter = window.filter.clone();
    let filter_text = model.screens.charges.list.filter_text.clone();
    let has_balance = model.session.caps.balance;
    let period = Period::containing(Zoom::Day, model.now, model.zone);
    let generation = model.generations.fresh();
    model.screens.push(Pane::Stats(Box::new(StatsPane {
        period: period.clone(),
        filter: filter.clone(),
        filter_text,
        table: false,
        scroll: 0,
        currency: None,
        stats: Loadable::Loading,
        balance: has_balance.then_some(Loadable::Loading),
        generation,
    })));
    model.touch();
    let mut effects = vec![Effect::LoadStats(StatsAsk {
        generation,
        filter,
        period,
        now: model.now,
    })];
    if has_balance {
        effects.push(Effect::LoadBalance);
    }
    effects
}

/// The store's figures, into the screen that asked for them.
pub(crate) fn on_stats(
    model: &mut Model,
    generation: Generation,
    result: Result<ChargeStats, String>,
) -> Vec<Effect> {
    let answered = model.screens.above_mut().find_map(|pane| match pane {
        Pane::Stats(pane) if pane.generation == generation => Some(pane),
        _ => None,
    });
    if let Some(pane) = answered {
        pane.stats = match result {
            Ok(stats) => Loadable::Loaded(stats),
            Err(why) => Loadable::Failed(why),
        };
        model.touch();
    }
    Vec::new()
}

/// The balance as the gateway gave it, into every statistics screen open.
pub(crate) fn on_balance(model: &mut Model, loaded: &Loadable<Balance>) {
    for pane in model.screens.above_mut() {
        if let Pane::Stats(pane) = pane
            && pane.balance.is_some()
        {
            pane.balance = Some(loaded.clone());
        }
    }
}

/// Charges came in or changed: a screen whose period holds now (`any_period`: every
/// screen, after a sync that may have filled older periods) reads its figures again.
pub(crate) fn on_news(model: &mut Model, any_period: bool) -> Vec<Effect> {
    let now = model.now;
    let mut asks = Vec::new();
    let mut generations = std::mem::take(&mut model.generations);
    for pane in model.screens.above_mut() {
        if let Pane::Stats(pane) = pane
            // A poll's news waits for a read in flight (polls come every few seconds);
            // the end of a sync does not.
            && (any_period
                || (pane.period.holds(now) && !matches!(pane.stats, Loadable::Loading)))
        {
            pane.generation = generations.fresh();
            asks.push(Effect::LoadStats(StatsAsk {
                generation: pane.generation,
                filter: pane.filter.clone(),
                period: pane.period.clone(),
                now,
            }));
        }
    }
    model.generations = generations;
    asks
}

/// What one of the screen's own keys does.
pub(crate) fn on_action(model: &mut Model, action: ModeAction) -> Vec<Effect> {
    let zone = model.zone;
    let now = model.now;
    let Some(Pane::Stats(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    let period = match action {
        ModeAction::Earlier => pane.period.earlier(zone),
        ModeAction::Later => {
            let later = pane.period.later(zone);
            if later.start > now {
                model.toast(ToastKind::Info, "this is the latest period: it holds now");
                return Vec::new();
            }
            later
        }
        ModeAction::ZoomIn | ModeAction::ZoomOut => {
            let zoom = match action {
                ModeAction::ZoomIn => pane.period.zoom.finer(),
                _ => pane.period.zoom.coarser(),
            };
            let Some(zoom) = zoom else {
                let word = if action == ModeAction::ZoomIn {
                    "closest"
                } else {
                    "widest"
                };
                let text = format!("{} is the {word} zoom", pane.period.zoom.name());
                model.toast(ToastKind::Info, text);
                return Vec::new();
            };
            // Zooming in on the period that holds now lands on now, not its start.
            let at = if pane.period.holds(now) {
                now
            } else {
                pane.period.start
            };
            Period::containing(zoom, at, zone)
        }
        ModeAction::ToggleTable => {
            pane.table = !pane.table;
            pane.scroll = 0;
            model.touch();
            return Vec::new();
        }
        ModeAction::NextCurrency => {
            next_currency(pane);
            model.touch();
            return Vec::new();
        }
        ModeAction::Expiring => return list_expiring(model),
        _ => return Vec::new(),
    };
    read_again(model, period)
}

/// The zone times are shown in changed: the period becomes the one on the new wall
/// clock that holds now, if it held now, else its middle (the same day, week or month
/// by name), read again.
pub(crate) fn on_zone(model: &mut Model) -> Vec<Effect> {
    let Some(Pane::Stats(pane)) = model.screens.top() else {
        return Vec::new();
    };
    let old = &pane.period;
    let at = if old.holds(model.now) {
        model.now
    } else {
        old.start + (old.end - old.start) / 2
    };
    let period = Period::containing(old.zoom, at, model.zone);
    read_again(model, period)
}

/// Reads the figures for `period` into the screen on top.
fn read_again(model: &mut Model, period: Period) -> Vec<Effect> {
    let generation = model.generations.fresh();
    let Some(Pane::Stats(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    pane.period = period.clone();
    pane.generation = generation;
    pane.stats = Loadable::Loading;
    pane.scroll = 0;
    let filter = pane.filter.clone();
    model.touch();
    vec![Effect::LoadStats(StatsAsk {
        generation,
        filter,
        period,
        now: model.now,
    })]
}

fn next_currency(pane: &mut StatsPane) {
    let Loadable::Loaded(stats) = &pane.stats else {
        return;
    };
    let held: Vec<Currency> = stats.currencies.iter().map(|(c, _)| *c).collect();
    let at = pane
        .shown_currency()
        .and_then(|c| held.iter().position(|h| *h == c));
    pane.currency = match at {
        Some(i) => held.get((i + 1) % held.len().max(1)).copied(),
        None => held.first().copied(),
    };
}

/// Back to the charges list, filtered to the authorisations lapsing within a day.
fn list_expiring(model: &mut Model) -> Vec<Effect> {
    let today = super::super::filter_query::today(model.now, model.zone);
    if let Err(why) = super::super::filter_query::parse(EXPIRING_FILTER, today) {
        model.toast(ToastKind::Error, why);
        return Vec::new();
    }
    model.screens.clear();
    model.touch();
    super::apply_filter(model, EXPIRING_FILTER)
}

/// What the main keys do here: refresh reads the figures (and the balance) again,
/// moving keys scroll the table.
pub(crate) fn on_key(model: &mut Model, intent: Intent, delta: Option<isize>) -> Vec<Effect> {
    let Some(Pane::Stats(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    if let Some(delta) = delta {
        if pane.table {
            let max = model.drawn.stats_max_scroll;
            pane.scroll = super::scrolled(pane.scroll, delta, max);
            model.touch();
        }
        return Vec::new();
    }
    match intent {
        Intent::Refresh => {
            let reload_balance = pane.balance.is_some();
            if let Some(balance) = &mut pane.balance {
                *balance = Loadable::Loading;
            }
            let period = pane.period.clone();
            let mut effects = read_again(model, period);
            if reload_balance {
                effects.push(Effect::LoadBalance);
            }
            effects
        }
        _ => Vec::new(),
    }
}

/// The screen's own keys are in its heading; the status line adds the main ones.
pub(crate) fn hints() -> Vec<Hint> {
    vec![(Intent::Back, "back")]
}
