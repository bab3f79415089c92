//! The payouts screen: what the gateway sent to the bank, newest first as the gateway
//! lists them; `Enter` opens one with its lines.

use super::super::effect::Effect;
use super::super::keymap::Intent;
use super::super::listing::Listing;
use super::super::model::Model;
use super::Hint;
use super::list_screen::ListScreen;
use super::payout;
use crate::app::offers::Act;
use crate::domain::Payout;

#[derive(Debug, Clone, Default)]
pub struct PayoutsPane {
    pub list: Listing<Payout>,
}

impl ListScreen for PayoutsPane {
    const ACT: Act = Act::Payouts;
    const OPEN_ITEM: fn(&mut Model, Payout) -> Vec<Effect> = payout::open_payout;
}

/// The status line's keys on the payouts list.
pub(crate) fn hints(pane: &PayoutsPane) -> Vec<Hint> {
    let open = pane.list.selected().map(|_| (Intent::Open, "open payout"));
    open.into_iter().chain([(Intent::Back, "back")]).collect()
}
