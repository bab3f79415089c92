//! A session screen kept live: news of another operator's write to the session shown,
//! or of a claim taken or given up on it (`store::sessions::watch`), reloads it through
//! the usual path when it is newer than the board; while the store is unreachable the
//! screen says so and marks are refused (not queued), and once it is back every session
//! shown is read again.

use super::super::effect::Effect;
use super::super::model::{Model, ToastKind};
use super::super::recon_ask::ReconAsk;
use super::Pane;
use super::recon::{ReconPane, today};
use crate::store::sessions::SessionId;
use crate::store::sessions::watch::News;

/// The effect that reads session `name` again and works out its board.
pub(crate) fn reload(model: &Model, name: &str) -> Effect {
    Effect::Recon(ReconAsk::Open {
        name: name.to_string(),
        create: None,
        today: today(model),
    })
}

pub(crate) fn on_news(model: &mut Model, news: News) -> Vec<Effect> {
    match news {
        News::Changed { session, event_id } => newer(
            model,
            session,
            |pane| (pane.board().map(|b| b.latest), &mut pane.behind),
            event_id,
        ),
        News::Claims { session, version } => newer(
            model,
            session,
            |pane| {
                (
                    pane.board().map(|b| b.claims_version),
                    &mut pane.claims_behind,
                )
            },
            version,
        ),
        News::Unreachable(why) => {
            model.sessions_down = Some(why);
            model.touch();
            Vec::new()
        }
        News::Reachable => {
            let was_down = model.sessions_down.take().is_some();
            model.touch();
            if !was_down {
                return Vec::new();
            }
            // What was missed meanwhile is unknown: every session shown is read again.
            let mut names = Vec::new();
            for pane in recon_panes(model) {
                let (latest, claims) = pane
                    .board()
                    .map_or((0, 0), |b| (b.latest, b.claims_version));
                pane.behind = pane.behind.max(Some(latest));
                pane.claims_behind = pane.claims_behind.max(Some(claims));
                if !names.contains(&pane.name) {
                    names.push(pane.name.clone());
                }
            }
            names.iter().map(|name| reload(model, name)).collect()
        }
    }
}

/// Reloads each pane showing `session` whose board is older than `number`, which
/// `of` picks on a pane (the board's number, and what the pane has heard of).
fn newer(
    model: &mut Model,
    session: SessionId,
    of: impl Fn(&mut ReconPane) -> (Option<i64>, &mut Option<i64>),
    number: i64,
) -> Vec<Effect> {
    let mut stale = Vec::new();
    for pane in recon_panes(model) {
        let shows = pane.board().map(|b| b.summary.id) == Some(session);
        let asked = pane.working.is_some() || pane.behind.or(pane.claims_behind).is_some();
        let (shown, heard) = of(pane);
        if !shows || shown.is_none_or(|shown| number <= shown) {
            continue;
        }
        // A board already asked for (a mark's, a reload) may not hold it: its answer
        // asks again if so.
        *heard = (*heard).max(Some(number));
        if !asked && !stale.contains(&pane.name) {
            stale.push(pane.name.clone());
        }
    }
    stale.iter().map(|name| reload(model, name)).collect()
}

/// A new board is on `pane`: whether it still lacks an event or a claims change heard
/// of (so it is read again).
pub(crate) fn caught_up(pane: &mut ReconPane) -> bool {
    let (latest, claims) = pane
        .board()
        .map_or((0, 0), |b| (b.latest, b.claims_version));
    let events_behind = pane.behind.is_some_and(|newer| newer > latest);
    let claims_behind = pane.claims_behind.is_some_and(|newer| newer > claims);
    if !events_behind {
        pane.behind = None;
    }
    if !claims_behind {
        pane.claims_behind = None;
    }
    events_behind || claims_behind
}

/// Refuses a mark while the store is unreachable, saying so: true when it did.
pub(crate) fn refused_while_down(model: &mut Model) -> bool {
    let Some(why) = &model.sessions_down else {
        return false;
    };
    let text = format!(
        "Not recorded: the session store is unreachable ({why}); paydeck retries, try again once it is back"
    );
    model.toast(ToastKind::Error, text);
    true
}

fn recon_panes(model: &mut Model) -> impl Iterator<Item = &mut ReconPane> {
    model.screens.above_mut().filter_map(|pane| match pane {
        Pane::Recon(pane) => Some(&mut **pane),
        _ => None,
    })
}
