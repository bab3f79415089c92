//! `:recon`: every reconciliation session, by name, with its period, profiles and
//! whether it is signed off. `Enter` opens one.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Model};
use super::super::recon_ask::ReconAsk;
use super::short_list::ShortList;
use super::{Hint, Pane, recon};
use crate::store::sessions::SessionSummary;

#[derive(Debug, Clone, Default)]
pub struct SessionsPane {
    pub list: ShortList<SessionSummary>,
}

/// The list on top (read again if it is there already).
pub(crate) fn open(model: &mut Model) -> Vec<Effect> {
    if !matches!(model.screens.top(), Some(Pane::Sessions(_))) {
        model.screens.push(Pane::Sessions(SessionsPane::default()));
    }
    model.touch();
    vec![Effect::Recon(ReconAsk::List)]
}

pub(crate) fn on_listed(model: &mut Model, result: Result<Vec<SessionSummary>, String>) {
    let loaded = match result {
        Ok(list) => Loadable::Loaded(list),
        Err(why) => Loadable::Failed(why),
    };
    for pane in model.screens.above_mut() {
        if let Pane::Sessions(pane) = pane {
            pane.list.load(&loaded);
        }
    }
}

pub(crate) fn on_key(model: &mut Model, intent: Intent, delta: Option<isize>) -> Vec<Effect> {
    let Some(Pane::Sessions(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    if let Some(delta) = delta {
        pane.list.move_by(delta);
        return Vec::new();
    }
    match intent {
        Intent::Open => match pane.list.selected().map(|s| s.name.clone()) {
            Some(name) => recon::show(model, &name, None),
            None => Vec::new(),
        },
        Intent::Refresh => open(model),
        _ => Vec::new(),
    }
}

pub(crate) fn hints(pane: &SessionsPane) -> Vec<Hint> {
    let open = pane
        .list
        .selected()
        .map(|_| (Intent::Open, "open the session"));
    open.into_iter().chain([(Intent::Back, "back")]).collect()
}
