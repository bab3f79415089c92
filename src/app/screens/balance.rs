//! The balance screen: what the gateway holds for the merchant, available and pending,
//! per currency. Read once when opened and again on refresh.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Model};
use super::{Hint, Pane, loadable};
use crate::app::offers::{self, Act};
use crate::domain::Balance;
use crate::gateway::GatewayError;

#[derive(Debug, Clone)]
pub struct BalancePane {
    pub balance: Loadable<Balance>,
}

/// Opens the balance on top, where the gateway has one; nothing if it is on top already.
pub(crate) fn open(model: &mut Model) -> Vec<Effect> {
    if !offers::allowed(model, Act::Balance) {
        return Vec::new();
    }
    if matches!(model.screens.top(), Some(Pane::Balance(_))) {
        return Vec::new();
    }
    model.screens.push(Pane::Balance(BalancePane {
        balance: Loadable::Loading,
    }));
    model.touch();
    vec![Effect::LoadBalance]
}

/// The balance as the gateway gave it, into every balance screen open.
pub(crate) fn on_balance(
    model: &mut Model,
    result: Result<Box<Balance>, GatewayError>,
) -> Vec<Effect> {
    let loaded = loadable(result.map(|b| *b));
    for pane in model.screens.above_mut() {
        if let Pane::Balance(pane) = pane {
            pane.balance = loaded.clone();
        }
    }
    super::stats::on_balance(model, &loaded);
    model.touch();
    Vec::new()
}

/// What a key does on the balance screen: refresh reads it again.
pub(crate) fn on_key(model: &mut Model, intent: Intent) -> Vec<Effect> {
    let Some(Pane::Balance(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    match intent {
        Intent::Refresh => {
            pane.balance = Loadable::Loading;
            vec![Effect::LoadBalance]
        }
        _ => Vec::new(),
    }
}

pub(crate) fn hints() -> Vec<Hint> {
    vec![(Intent::Back, "back")]
}
