//! One payout on its own screen: the payout itself (from the list, or read by id when
//! reached from a charge) and its balance lines, paged. `Enter` on a line opens its
//! charge; a line without one (a fee, an adjustment) says so.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::listing::Listing;
use super::super::model::{Loadable, Model, ToastKind};
use super::super::msg::Answer;
use super::super::request::PageAnswer;
use super::{Hint, Pane, charge, move_in_listing};
use crate::app::copy_menu::Copying;
use crate::app::offers;
use crate::domain::{BalanceLine, Payout};

#[derive(Debug, Clone)]
pub struct PayoutPane {
    pub payout_id: String,
    pub payout: Loadable<Box<Payout>>,
    /// Its lines, where the gateway lists them (`Capabilities::payout_lines`).
    pub lines: Option<Listing<BalanceLine>>,
}

impl PayoutPane {
    /// Whether every line is loaded, so that the totals are the payout's.
    pub fn all_lines_loaded(&self) -> bool {
        self.lines
            .as_ref()
            .is_some_and(|l| l.loaded && l.next.is_none())
    }

    /// The line selected, once any is loaded.
    pub fn selected_line(&self) -> Option<&BalanceLine> {
        self.lines.as_ref().and_then(|l| l.selected())
    }
}

/// A payout chosen on the payouts list: shown at once, its lines asked for.
pub(crate) fn open_payout(model: &mut Model, payout: Payout) -> Vec<Effect> {
    let id = payout.id.clone();
    push(model, &id, Loadable::Loaded(Box::new(payout)))
}

/// The payout a charge went into, read by its id.
pub(crate) fn open_payout_by_id(model: &mut Model, id: &str) -> Vec<Effect> {
    let mut effects = vec![Effect::LoadPayout(id.to_string())];
    effects.extend(push(model, id, Loadable::Loading));
    effects
}

/// Opens the payout of the charge the keys act on (`offers` allows it).
pub(crate) fn open_payout_of_target(model: &mut Model) -> Vec<Effect> {
    match offers::settled_payout(model) {
        Ok(id) => {
            let id = id.to_string();
            open_payout_by_id(model, &id)
        }
        Err(_) => Vec::new(),
    }
}

fn push(model: &mut Model, id: &str, payout: Loadable<Box<Payout>>) -> Vec<Effect> {
    let mut effects = Vec::new();
    let lines = model.session.caps.payout_lines.then(|| {
        let (list, ask) = Listing::first_page(model.generations.fresh());
        effects.push(Effect::LoadPayoutLines {
            payout_id: id.to_string(),
            ask,
        });
        list
    });
    model.screens.push(Pane::Payout(Box::new(PayoutPane {
        payout_id: id.to_string(),
        payout,
        lines,
    })));
    model.touch();
    effects
}

/// Every open payout screen of `id`.
fn panes_of<'a>(model: &'a mut Model, id: &'a str) -> impl Iterator<Item = &'a mut PayoutPane> {
    model
        .screens
        .above_mut()
        .filter_map(move |pane| match pane {
            Pane::Payout(pane) if pane.payout_id == id => Some(&mut **pane),
            _ => None,
        })
}

pub(crate) fn on_payout(model: &mut Model, answer: Answer<Box<Payout>>) -> Vec<Effect> {
    let jumped = crate::app::jump::JumpTo::Payout;
    crate::app::jump::answered(model, jumped, &answer.id, &answer.result);
    let loaded = super::loadable(answer.result);
    for pane in panes_of(model, &answer.id) {
        pane.payout = loaded.clone();
    }
    model.touch();
    Vec::new()
}

/// A page of a payout's lines, for the screen whose list asked for it.
pub(crate) fn on_lines(
    model: &mut Model,
    payout_id: &str,
    answer: PageAnswer<BalanceLine>,
) -> Vec<Effect> {
    let generation = answer.generation;
    let list = panes_of(model, payout_id)
        .filter_map(|pane| pane.lines.as_mut())
        .find(|lines| lines.generation == generation);
    if let Some(list) = list {
        let _ = list.take_answer(answer, |_| true);
        model.touch();
    }
    Vec::new()
}

/// What a key does on a payout's screen: moving in its lines (the next page asked for
/// near the end), opening a line's charge, copying the payout's id, reading it again.
pub(crate) fn on_key(
    model: &mut Model,
    intent: Intent,
    delta: Option<isize>,
    rows: usize,
) -> Vec<Effect> {
    let Some(Pane::Payout(pane)) = model.screens.top_mut() else {
        return Vec::new();
    };
    let id = pane.payout_id.clone();
    if let Some(delta) = delta {
        let Some(lines) = pane.lines.as_mut() else {
            return Vec::new();
        };
        return move_in_listing(lines, delta, rows)
            .map(|ask| Effect::LoadPayoutLines { payout_id: id, ask })
            .into_iter()
            .collect();
    }
    match intent {
        Intent::Open => {
            let Some(line) = pane.selected_line() else {
                return Vec::new();
            };
            match line.charge_id.clone() {
                Some(charge_id) => charge::open_charge(model, &charge_id),
                None => {
                    let text = no_charge(line);
                    model.toast(ToastKind::Info, text);
                    Vec::new()
                }
            }
        }
        Intent::Copy => vec![Effect::Copy(Copying::id("payout", &id))],
        Intent::Refresh => {
            model.screens.pop();
            open_payout_by_id(model, &id)
        }
        _ => Vec::new(),
    }
}

/// What the operator is told of a line with no charge to open.
pub fn no_charge(line: &BalanceLine) -> String {
    match &line.source_id {
        Some(source) => format!("This {} line ({source}) has no charge", line.kind.label()),
        None => format!("This {} line has no charge", line.kind.label()),
    }
}

/// The status line's keys on a payout.
pub(crate) fn hints(pane: &PayoutPane) -> Vec<Hint> {
    let open = pane.selected_line().map(|line| match line.charge_id {
        Some(_) => (Intent::Open, "open charge"),
        None => (Intent::Open, "no charge on this line"),
    });
    open.into_iter().chain([(Intent::Back, "back")]).collect()
}
