//! Drawing each screen: one file per screen of `app::screens`, by the same name, and
//! the screen on top drawn by its own file.

pub mod balance;
pub mod charge;
mod charge_settlement;
pub mod charges;
pub mod customer;
pub mod customers;
pub mod disputes;
pub mod payout;
pub mod payouts;
pub mod recon;
mod recon_tables;
pub mod refunds;
pub mod sessions;
pub mod stats;
mod stats_table;

use ratatui::Frame;

use crate::app::Model;
use crate::app::layout::Regions;
use crate::app::screens::Pane;
use crate::ui::theme::Theme;

/// Draws the screen on top in the regions laid out for it.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, r: &Regions) {
    match model.screens.top() {
        None => {
            charges::draw(model, theme, frame, r.table);
            if let Some(detail) = r.detail {
                charge::draw(model, theme, frame, detail);
            }
        }
        Some(Pane::Customers(pane)) => customers::draw(model, theme, frame, r.body, pane),
        Some(Pane::Customer(pane)) => customer::draw(model, theme, frame, r.body, pane),
        Some(Pane::Refunds(pane)) => refunds::draw(model, theme, frame, r.body, pane),
        Some(Pane::Charge(_)) => charge::draw(model, theme, frame, r.body),
        Some(Pane::Disputes(pane)) => disputes::draw(model, theme, frame, r.body, pane),
        Some(Pane::Payouts(pane)) => payouts::draw(model, theme, frame, r.body, pane),
        Some(Pane::Payout(pane)) => payout::draw(model, theme, frame, r.body, pane),
        Some(Pane::Balance(pane)) => balance::draw(model, theme, frame, r.body, pane),
        Some(Pane::Sessions(pane)) => sessions::draw(model, theme, frame, r.body, pane),
        Some(Pane::Recon(pane)) => recon::draw(model, theme, frame, r.body, pane),
        Some(Pane::Stats(pane)) => stats::draw(model, theme, frame, r.body, pane),
    }
}
