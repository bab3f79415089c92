//! Drawing: pure functions from the `Model` to a frame. Nothing here changes the
//! model; `update` does that. Both place things by `app::layout`; what depends on the
//! text drawn (how far it scrolls, whether a dialog fits) `view` reports as `Drawn`.
//! `screens` and `dialogs` draw the screens and dialogs of `app` of the same names.

mod breadcrumb;
mod command_line;
pub mod dialogs;
mod filter_bar;
pub mod format;
mod header;
mod help;
mod input_field;
mod list_parts;
mod quit_prompt;
pub mod safe_text;
mod screens;
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
mod payout_tests;
#[cfg(test)]
mod quit_tests;
#[cfg(test)]
mod recon_small_window_tests;
#[cfg(test)]
mod recon_team_tests;
#[cfg(test)]
mod recon_tests;
#[cfg(test)]
mod reliability_tests;
#[cfg(test)]
mod scroll_tests;
#[cfg(test)]
mod small_window_tests;
#[cfg(test)]
mod stats_tests;
#[cfg(test)]
mod store_view_tests;
#[cfg(test)]
mod test_customers;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

use ratatui::Frame;

pub use theme::Theme;

use crate::app::layout::{self, Drawn, regions};

use crate::app::Model;
use crate::app::model::Mode;

/// Draws the whole screen for `model`, and reports what `update` needs to know of what
/// was drawn: how far the text on screen scrolls, whether the dialog fits.
pub fn view(model: &Model, theme: &Theme, frame: &mut Frame) -> Drawn {
    let area = frame.area();
    let r = regions(area, model);
    header::draw(model, theme, frame, r.header);
    if let Some(crumbs) = r.breadcrumb {
        breadcrumb::draw(model, theme, frame, crumbs);
    }
    if let Some(filter) = r.filter {
        filter_bar::draw(model, theme, frame, filter);
    }
    screens::draw(model, theme, frame, &r);
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
        Mode::Dialog(dialog) => dialogs::action::draw(model, theme, frame, between, dialog),
        Mode::Confirm(dialog) => dialogs::confirm::draw(model, theme, frame, between, dialog),
        Mode::Evidence(dialog) => dialogs::evidence::draw(model, theme, frame, between, dialog),
        Mode::NewCharge(dialog) => dialogs::new_charge::draw(model, theme, frame, between, dialog),
        Mode::Recon(dialog) => dialogs::recon::draw(model, theme, frame, between, dialog),
        Mode::Help { scroll } => help::draw(model, theme, frame, between, *scroll),
        Mode::QuitAnyway => quit_prompt::draw_question(model, theme, frame, between),
        Mode::CopyMenu(menu) => dialogs::copy_menu::draw(model, theme, frame, between, menu),
        _ => {}
    }
    quit_prompt::draw_waiting(model, theme, frame, between);
    toasts::draw(model, theme, frame, between);
    // Whatever drew gateway text without cleaning it, none of it reaches the terminal.
    safe_text::scrub(frame.buffer_mut());
    drawn(model, area, between)
}

/// The measures of the frame just drawn of `model` on `screen`, its overlays in `between`.
fn drawn(model: &Model, screen: ratatui::layout::Rect, between: ratatui::layout::Rect) -> Drawn {
    let help = matches!(model.mode, Mode::Help { .. });
    Drawn {
        detail_max_scroll: screens::charge::max_scroll(model, screen),
        help_max_scroll: if help {
            help::max_scroll(model, between)
        } else {
            0
        },
        stats_max_scroll: screens::stats::max_scroll(model, screen),
        help_page_rows: if help {
            help::page_rows(model, between)
        } else {
            1
        },
        dialog_fits: dialogs::fit::open_dialog_fits(model, between),
    }
}
