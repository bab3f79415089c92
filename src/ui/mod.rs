//! Drawing: pure functions from the `Model` to a frame. Nothing here changes the
//! model; `update` does that, and uses `layout` to know where things are.

mod action_dialog;
mod charges_table;
mod command_line;
mod detail;
mod filter_bar;
pub mod format;
mod header;
mod help;
mod input_field;
pub mod layout;
mod status_line;
pub mod theme;
mod toasts;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use charges_table::first_row;
pub use layout::{Regions, regions, table_body_rows, table_row_at};
pub use theme::Theme;

use crate::app::Model;
use crate::app::model::Mode;

/// Draws the whole screen for `model`.
pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let r = regions(area, model);
    header::draw(model, theme, frame, r.header);
    if let Some(filter) = r.filter {
        filter_bar::draw(model, theme, frame, filter);
    }
    charges_table::draw(model, theme, frame, r.table);
    if let Some(detail) = r.detail {
        detail::draw(model, theme, frame, detail);
    }
    match &model.mode {
        Mode::Command { input, error } => {
            command_line::draw(model, theme, frame, r.status, input, error.as_deref())
        }
        _ => status_line::draw(model, theme, frame, r.status),
    }
    // Overlays last, over everything else; toasts on top so that news is never hidden.
    // Overlays keep the header and the status line in view.
    let between = Rect {
        y: r.header.y + r.header.height,
        height: r.status.y.saturating_sub(r.header.y + r.header.height),
        ..area
    };
    match &model.mode {
        Mode::Dialog(dialog) => action_dialog::draw(model, theme, frame, between, dialog),
        Mode::Help => help::draw(model, theme, frame, between),
        _ => {}
    }
    toasts::draw(model, theme, frame, between);
}
