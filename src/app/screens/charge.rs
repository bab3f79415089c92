//! A charge's detail, wherever it shows: beside the charges list (or in its place), or
//! on its own screen, reached from a customer, a refund or a dispute. One type for both:
//! its state, its keys, the gateway's answers about the charge (its refunds, a newer
//! copy, its dispute, a 3-D Secure verification) and what it offers.

use super::super::charge_list::ChargeList;
use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::model::{Loadable, Model, ToastKind};
use super::super::msg::Answer;
use super::{Hint, Pane, loadable, scrolled};
use crate::app::copy_menu::Copying;
use crate::app::offers::{self, Act};
use crate::domain::{Charge, ChargeSettlement, ChargeStatus, Dispute, RawJson, Refund};

/// One open charge: which one, how it is shown, and what was fetched about it.
#[derive(Debug, Clone)]
pub struct ChargeDetail {
    pub charge_id: String,
    /// Where the charge itself is read from.
    pub copy: ChargeCopy,
    /// How it is being read: its fields or the gateway's JSON, and how far down.
    pub view: DetailView,
    pub refunds: Loadable<Vec<Refund>>,
    /// The charge's dispute, fetched for disputed charges where the gateway has them.
    pub dispute: Loadable<Option<Dispute>>,
    /// Its fee, net and payout, fetched where the gateway tells them (`None`: not asked).
    pub settlement: Loadable<Option<ChargeSettlement>>,
    /// The gateway's JSON, fetched on demand for a charge read from the local store
    /// (which does not keep it); `None` until `J` asks.
    pub raw: Option<Loadable<RawJson>>,
}

/// How a detail is being read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetailView {
    /// The gateway's JSON instead of the fields.
    pub raw: bool,
    /// Lines scrolled down, never past the last line drawn.
    pub scroll: u16,
}

impl DetailView {
    /// Scrolls by `delta` lines, never past `max`.
    pub fn scroll_by(&mut self, delta: isize, max: u16) {
        self.scroll = scrolled(self.scroll, delta, max);
    }

    /// The gateway's JSON or the fields, from the top.
    pub fn toggle_raw(&mut self) {
        self.raw = !self.raw;
        self.scroll = 0;
    }
}

/// Where a detail's charge is read from.
#[derive(Debug, Clone)]
pub enum ChargeCopy {
    /// The charges list's row, read each time: beside the list the detail shows what
    /// the list holds, so the poll's merges, a resync and a search reach it without a
    /// second copy to keep in step, and it says so when the list no longer holds it.
    InList,
    /// A copy of its own, for a charge opened on its own screen: no list is under it,
    /// so it is loaded, and replaced by every newer copy that arrives.
    Own(Loadable<Box<Charge>>),
}

/// The charge a detail can show now, or why not.
#[derive(Debug, Clone, Copy)]
pub enum Shown<'a> {
    Charge(&'a Charge),
    Loading,
    Failed(&'a str),
    /// Beside the list, which has since dropped it (a resync, a search).
    Gone,
}

impl ChargeDetail {
    /// The detail of a charge of the charges list, beside it or in its place.
    pub fn in_list(id: &str) -> ChargeDetail {
        ChargeDetail::with_copy(id, ChargeCopy::InList)
    }

    /// A charge on its own screen, showing `held` (a copy found elsewhere) until its
    /// own is loaded.
    pub fn on_its_own(id: &str, held: Option<Charge>) -> ChargeDetail {
        ChargeDetail::with_copy(
            id,
            ChargeCopy::Own(held.map_or(Loadable::Loading, |c| Loadable::Loaded(Box::new(c)))),
        )
    }

    fn with_copy(id: &str, copy: ChargeCopy) -> ChargeDetail {
        ChargeDetail {
            charge_id: id.to_string(),
            copy,
            view: DetailView::default(),
            refunds: Loadable::Loading,
            dispute: Loadable::Loaded(None),
            settlement: Loadable::Loaded(None),
            raw: None,
        }
    }

    /// `J`: the gateway's JSON or the fields. A charge whose JSON is not at hand (`kept`
    /// false: read from the store) has it fetched the first time.
    pub fn toggle_raw(&mut self, kept: bool) -> Vec<Effect> {
        self.view.toggle_raw();
        if !self.view.raw || kept || self.raw.as_ref().is_some_and(|r| !r.is_failed()) {
            return Vec::new();
        }
        self.raw = Some(Loadable::Loading);
        vec![Effect::LoadRaw(self.charge_id.clone())]
    }

    /// Opens this detail, with what it asks the gateway for: the charge's refunds, its
    /// own copy afresh (a held copy may be older than what happened to it since, a
    /// dispute), and its dispute where it is disputed.
    fn open(mut self, model: &Model) -> (ChargeDetail, Vec<Effect>) {
        let id = self.charge_id.clone();
        let mut effects = vec![Effect::LoadRefunds(id.clone())];
        if matches!(self.copy, ChargeCopy::Own(_)) {
            effects.push(Effect::LoadCharge(id.clone()));
        }
        let (dispute, more) = dispute_of(model, &id);
        self.dispute = dispute;
        effects.extend(more);
        if model.session.caps.charge_settlement {
            self.settlement = Loadable::Loading;
            effects.push(Effect::LoadChargeSettlement(id));
        }
        (self, effects)
    }

    /// The charge to show, `list` being the charges list a detail beside it reads.
    pub fn shown<'a>(&'a self, list: &'a ChargeList) -> Shown<'a> {
        match &self.copy {
            ChargeCopy::InList => list.get(&self.charge_id).map_or(Shown::Gone, Shown::Charge),
            ChargeCopy::Own(Loadable::Loaded(charge)) => Shown::Charge(charge),
            ChargeCopy::Own(Loadable::Loading) => Shown::Loading,
            ChargeCopy::Own(Loadable::Failed(why)) => Shown::Failed(why),
        }
    }

    /// Its own copy of the charge, once loaded.
    pub fn own_copy(&self) -> Option<&Charge> {
        match &self.copy {
            ChargeCopy::Own(Loadable::Loaded(charge)) => Some(charge),
            _ => None,
        }
    }

    /// Takes a newer copy of its charge into its own; true if it keeps one.
    pub fn take_newer(&mut self, charge: &Charge) -> bool {
        match &mut self.copy {
            ChargeCopy::Own(copy) if self.charge_id == charge.id => {
                *copy = Loadable::Loaded(Box::new(charge.clone()));
                true
            }
            _ => false,
        }
    }

    /// Its charge could not be read afresh: a copy already shown stays.
    fn not_reloaded(&mut self, why: &str) {
        if let ChargeCopy::Own(copy @ (Loadable::Loading | Loadable::Failed(_))) = &mut self.copy {
            *copy = Loadable::Failed(why.to_string());
        }
    }

    /// The charge's dispute, once known.
    pub fn loaded_dispute(&self) -> Option<&Dispute> {
        match &self.dispute {
            Loadable::Loaded(Some(dispute)) => Some(dispute),
            _ => None,
        }
    }

    /// Reads the charge's refunds again, and its own copy; a charge in the list is
    /// read again by the list's poll.
    pub fn reload(&mut self) -> Vec<Effect> {
        self.refunds = Loadable::Loading;
        let id = self.charge_id.clone();
        let mut effects = match self.copy {
            ChargeCopy::Own(_) => vec![Effect::LoadCharge(id.clone()), Effect::LoadRefunds(id)],
            ChargeCopy::InList => vec![Effect::LoadRefunds(id)],
        };
        // Its settlement again, where it was asked for (the gateway tells it).
        if self.settlement != Loadable::Loaded(None) {
            self.settlement = Loadable::Loading;
            effects.push(Effect::LoadChargeSettlement(self.charge_id.clone()));
        }
        effects
    }
}

/// A charge on its own. The held copy shows at once, and the gateway's is asked for
/// anyway: a list's copy may be older than what happened to it since (a dispute).
pub(crate) fn open_charge(model: &mut Model, id: &str) -> Vec<Effect> {
    let held = model.find_charge(id).cloned();
    let (detail, effects) = ChargeDetail::on_its_own(id, held).open(model);
    model.screens.push(Pane::Charge(Box::new(detail)));
    model.touch();
    effects
}

/// The detail of the charges list's selected charge, to open beside the list, with
/// what it asks the gateway for.
pub(crate) fn open_in_list(model: &Model, id: &str) -> (ChargeDetail, Vec<Effect>) {
    ChargeDetail::in_list(id).open(model)
}

/// The charge of a dispute chosen on the disputes screen: the same pane, with the
/// dispute already known, so its section and its keys are there at once.
pub(crate) fn open_disputed_charge(model: &mut Model, dispute: Dispute) -> Vec<Effect> {
    let mut effects = open_charge(model, &dispute.charge_id);
    effects.retain(|e| !matches!(e, Effect::LoadChargeDispute(_)));
    if let Some(Pane::Charge(detail)) = model.screens.top_mut() {
        detail.dispute = Loadable::Loaded(Some(dispute));
    }
    effects
}

/// For an open charge the gateway now says is disputed, whose dispute is not yet
/// known: ask for it, so the detail shows it and its keys work.
pub(crate) fn load_disputes_now_known(model: &mut Model, charge: &Charge) -> Vec<Effect> {
    if charge.status != ChargeStatus::Disputed || !model.session.caps.disputes {
        return Vec::new();
    }
    let mut wanted = false;
    for detail in model.screens.details_of(&charge.id) {
        if detail.dispute == Loadable::Loaded(None) {
            detail.dispute = Loadable::Loading;
            wanted = true;
        }
    }
    if wanted {
        vec![Effect::LoadChargeDispute(charge.id.clone())]
    } else {
        Vec::new()
    }
}

pub(crate) fn on_charge_loaded(model: &mut Model, answer: Answer<Box<Charge>>) -> Vec<Effect> {
    let jumped = crate::app::jump::JumpTo::Charge;
    crate::app::jump::answered(model, jumped, &answer.id, &answer.result);
    match answer.result {
        Ok(charge) => {
            model.update_charge(&charge);
            load_disputes_now_known(model, &charge)
        }
        Err(e) => {
            let why = e.to_string();
            for detail in model.screens.details_of(&answer.id) {
                detail.not_reloaded(&why);
            }
            model.touch();
            Vec::new()
        }
    }
}

/// A 3-D Secure session verified (the answer's id is the session's).
pub(crate) fn on_verified(model: &mut Model, answer: Answer<Box<Charge>>) -> Vec<Effect> {
    match answer.result {
        Ok(charge) => {
            let text = format!("3-D Secure verified: {} is {}", charge.id, charge.status);
            model.busy.remove(&charge.id);
            model.update_charge(&charge);
            model.toast(ToastKind::Success, text);
        }
        Err(e) => {
            model.busy.retain(|_, what| *what != "verify");
            model.toast(
                ToastKind::Error,
                format!("Verifying {} failed: {e}", answer.id),
            );
        }
    }
    Vec::new()
}

/// A charge's fee, net and payout, into every open detail of it.
pub(crate) fn on_settlement(model: &mut Model, answer: Answer<ChargeSettlement>) -> Vec<Effect> {
    let loaded = loadable(answer.result.map(Some));
    for detail in model.screens.details_of(&answer.id) {
        detail.settlement = loaded.clone();
    }
    model.touch();
    Vec::new()
}

pub(crate) fn on_refunds(model: &mut Model, answer: Answer<Vec<Refund>>) -> Vec<Effect> {
    let loaded = loadable(answer.result);
    for detail in model.screens.details_of(&answer.id) {
        detail.refunds = loaded.clone();
    }
    model.touch();
    Vec::new()
}

/// For a disputed charge on a gateway with disputes, the dispute is fetched too.
fn dispute_of(model: &Model, id: &str) -> (Loadable<Option<Dispute>>, Vec<Effect>) {
    let disputed = model
        .find_charge(id)
        .is_some_and(|c| c.status == ChargeStatus::Disputed);
    if disputed && model.session.caps.disputes {
        (
            Loadable::Loading,
            vec![Effect::LoadChargeDispute(id.to_string())],
        )
    } else {
        (Loadable::Loaded(None), Vec::new())
    }
}

/// Verifies the target charge's 3-D Secure session (which `offers` allows), where the
/// gateway told us it.
pub(crate) fn verify_target(model: &mut Model) -> Vec<Effect> {
    let Some(charge) = crate::app::offers::target_charge(model) else {
        return Vec::new();
    };
    let id = charge.id.clone();
    match charge.three_d_secure_session.clone() {
        Some(session) => {
            model.busy.insert(id, "verify");
            model.touch();
            vec![Effect::Verify {
                key: model.key_mint.next_key(),
                session,
            }]
        }
        None => {
            model.toast(
                ToastKind::Info,
                "The gateway sends this charge's session token to your callback URL; verify it with :verify TOKEN",
            );
            Vec::new()
        }
    }
}

/// What a key does on a charge's own screen.
pub(crate) fn on_key(model: &mut Model, intent: Intent, delta: Option<isize>) -> Vec<Effect> {
    let max_scroll = model.drawn.detail_max_scroll;
    let Some(Pane::Charge(detail)) = model.screens.top_mut() else {
        return Vec::new();
    };
    if let Some(delta) = delta {
        detail.view.scroll_by(delta, max_scroll);
        return Vec::new();
    }
    match intent {
        Intent::RawJson => {
            detail.view.toggle_raw();
            Vec::new()
        }
        Intent::Copy => vec![Effect::Copy(Copying::id("charge", &detail.charge_id))],
        Intent::Refresh => detail.reload(),
        _ => Vec::new(),
    }
}

/// What may be done to the keys' charge, for the status line: capture, void and refund
/// as it allows them, then opening its customer and finishing its 3-D Secure.
pub(crate) fn actions(model: &Model) -> Vec<Hint> {
    let acts = [
        (Act::Capture, "capture"),
        (Act::Void, model.session.caps.void_name),
        (Act::Refund, "refund"),
        (Act::OpenCustomer, "customer"),
        (Act::Verify3ds, "verify 3DS"),
        (Act::OpenPayout, "payout"),
    ];
    offers::offered(model, &acts)
}

/// The status line's keys on a charge opened as its own screen.
pub(crate) fn hints(model: &Model, detail: &ChargeDetail) -> Vec<Hint> {
    let raw = if detail.view.raw { "fields" } else { "raw" };
    let mut out = vec![(Intent::Back, "back"), (Intent::RawJson, raw)];
    out.extend(actions(model));
    out
}

/// A charge's JSON fetched for `J`: kept by its detail beside the charges list.
pub(crate) fn on_raw(model: &mut Model, answer: Answer<RawJson>) -> Vec<Effect> {
    let Some(detail) = &mut model.screens.charges.detail else {
        return Vec::new();
    };
    if detail.charge_id != answer.id {
        return Vec::new();
    }
    detail.raw = Some(match answer.result {
        Ok(raw) => Loadable::Loaded(raw),
        Err(e) => Loadable::Failed(e.to_string()),
    });
    model.touch();
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::fixtures::charge;

    fn shown_status(shown: Shown<'_>) -> Option<ChargeStatus> {
        match shown {
            Shown::Charge(charge) => Some(charge.status),
            _ => None,
        }
    }

    #[test]
    fn beside_the_list_the_detail_shows_the_lists_copy_until_the_list_drops_it() {
        let mut list = ChargeList::default();
        list.merge_newer(vec![charge(1, ChargeStatus::Authorised)]);
        let detail = ChargeDetail::in_list("ch_0001");
        assert_eq!(
            shown_status(detail.shown(&list)),
            Some(ChargeStatus::Authorised)
        );
        list.update(charge(1, ChargeStatus::Captured));
        assert_eq!(
            shown_status(detail.shown(&list)),
            Some(ChargeStatus::Captured)
        );
        let mut without = ChargeList::default();
        without.merge_newer(vec![charge(2, ChargeStatus::Captured)]);
        assert!(matches!(detail.shown(&without), Shown::Gone));
    }

    #[test]
    fn on_its_own_the_detail_keeps_the_newest_copy_it_was_given() {
        let list = ChargeList::default();
        let mut detail = ChargeDetail::on_its_own("ch_0001", None);
        assert!(matches!(detail.shown(&list), Shown::Loading));
        detail.not_reloaded("timed out");
        assert!(matches!(detail.shown(&list), Shown::Failed("timed out")));
        assert!(!detail.take_newer(&charge(2, ChargeStatus::Captured)));
        assert!(detail.take_newer(&charge(1, ChargeStatus::Captured)));
        detail.not_reloaded("timed out");
        assert_eq!(
            shown_status(detail.shown(&list)),
            Some(ChargeStatus::Captured),
            "a copy shown stays when a newer one cannot be read"
        );
    }
}
