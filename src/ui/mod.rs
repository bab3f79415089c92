//! Drawing: pure functions from the `Model` to a frame. Nothing here changes the
//! model; `update` does that, and uses `layout` to know where things are.

mod action_dialog;
mod breadcrumb;
mod charges_table;
mod command_line;
mod confirm_dialog;
mod customer_pane;
mod customers_table;
mod detail;
pub mod dialog_fit;
mod dialog_frame;
mod disputes_table;
mod evidence_dialog;
mod filter_bar;
pub mod format;
mod header;
mod help;
mod input_field;
pub mod layout;
mod list_parts;
mod new_charge_dialog;
mod quit_prompt;
mod refunds_table;
pub mod safe_text;
mod status_line;
pub mod theme;
mod toasts;

#[cfg(test)]
mod capability_tests;
#[cfg(test)]
mod dispute_tests;
#[cfg(test)]
mod hostile_text_tests;
#[cfg(test)]
mod pane_tests;
#[cfg(test)]
mod quit_tests;
#[cfg(test)]
mod reliability_tests;
#[cfg(test)]
mod small_window_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use ratatui::Frame;

pub use charges_table::{first_row, first_row_of};
pub use detail::max_scroll as detail_max_scroll;
pub use help::{max_scroll as help_max_scroll, page_rows as help_page_rows};
pub use layout::{Regions, list_body_rows, regions, table_body_rows, table_row_at};
pub use theme::Theme;

use crate::app::Model;
use crate::app::model::{Loadable, Mode};
use crate::app::panes::{Pane, Section};
use crate::domain::Charge;

/// Draws the whole screen for `model`.
pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let r = regions(area, model);
    header::draw(model, theme, frame, r.header);
    if let Some(crumbs) = r.breadcrumb {
        breadcrumb::draw(model, theme, frame, crumbs);
    }
    if let Some(filter) = r.filter {
        filter_bar::draw(model, theme, frame, filter);
    }
    match model.pane() {
        None => {
            charges_table::draw(model, theme, frame, r.table);
            if let Some(detail) = r.detail {
                detail::draw(model, theme, frame, detail);
            }
        }
        Some(Pane::Customers(pane)) => customers_table::draw(model, theme, frame, r.body, pane),
        Some(Pane::Customer(pane)) => customer_pane::draw(model, theme, frame, r.body, pane),
        Some(Pane::Refunds(pane)) => refunds_table::draw(model, theme, frame, r.body, pane),
        Some(Pane::Charge(pane)) => detail::draw_pane(model, theme, frame, r.body, pane),
        Some(Pane::Disputes(pane)) => disputes_table::draw(model, theme, frame, r.body, pane),
    }
    match &model.mode {
        Mode::Command { input, error } => {
            command_line::draw(model, theme, frame, r.status, input, error.as_deref())
        }
        _ => status_line::draw(model, theme, frame, r.status),
    }
    // Overlays last, over everything else; toasts on top so that news is never hidden.
    // Overlays keep the header and the status line in view.
    let between = layout::overlay_area(&r);
    match &model.mode {
        Mode::Dialog(dialog) => action_dialog::draw(model, theme, frame, between, dialog),
        Mode::Confirm(dialog) => confirm_dialog::draw(model, theme, frame, between, dialog),
        Mode::Evidence(dialog) => evidence_dialog::draw(model, theme, frame, between, dialog),
        Mode::NewCharge(dialog) => new_charge_dialog::draw(model, theme, frame, between, dialog),
        Mode::Help { scroll } => help::draw(model, theme, frame, between, *scroll),
        Mode::QuitAnyway => quit_prompt::draw_question(model, theme, frame, between),
        _ => {}
    }
    quit_prompt::draw_waiting(model, theme, frame, between);
    toasts::draw(model, theme, frame, between);
    // Whatever drew gateway text without cleaning it, none of it reaches the terminal.
    safe_text::scrub(frame.buffer_mut());
}

/// The charge the keys act on: the selected one of the charges list or of a customer's
/// charges, or the charge open on its own. `None` elsewhere.
pub fn target_charge(model: &Model) -> Option<&Charge> {
    match model.pane() {
        None => model.charges.selected(),
        Some(Pane::Customer(pane)) if pane.section == Section::Charges => pane.charges.selected(),
        Some(Pane::Charge(pane)) => match &pane.charge {
            Loadable::Loaded(charge) => Some(charge),
            _ => None,
        },
        Some(_) => None,
    }
}
