//! Whether the open dialog fits between the header and the status line with every field
//! and the sentence that says what Enter does. When it does not, the view says the window
//! is too small instead of a clipped dialog, and `update` refuses Enter: nothing is sent
//! that the operator could not read first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::dialogs::DialogState;
use crate::app::layout;
use crate::app::model::{Mode, Model};
use crate::ui::dialogs::action;
use crate::ui::dialogs::confirm;
use crate::ui::dialogs::evidence;
use crate::ui::dialogs::frame;
use crate::ui::dialogs::new_charge;
use crate::ui::dialogs::recon;
use crate::ui::format;
use crate::ui::theme::Theme;

/// Narrower than this, the labels leave too little room for the fields.
const MIN_WIDTH: u16 = 30;

pub use crate::app::dialogs::TOO_SMALL;

/// True when a dialog `height` rows tall fits in `area` (the overlay area).
pub fn fits(area: Rect, height: u16) -> bool {
    area.width >= MIN_WIDTH && height <= area.height
}

/// True when no word of `sentence` is cut to fit `text_width`: an id cut short does not
/// say what Enter does.
pub fn whole(sentence: &str, text_width: usize) -> bool {
    sentence
        .split_whitespace()
        .all(|word| format::width(word) <= text_width)
}

/// The room for text in a dialog `width` wide, inside its borders and margins.
pub fn text_width(width: u16) -> usize {
    usize::from(width.saturating_sub(6)).max(1)
}

/// The words of a request that failed, wrapped to `width`; none while it has not.
pub fn failure(state: &DialogState, width: usize) -> Vec<String> {
    match state {
        DialogState::Failed(words) => format::wrap(words, width),
        _ => Vec::new(),
    }
}

/// True when the sentence that says what Enter does, once there is one, shows whole
/// in `width`.
pub fn sentence_whole(confirmation: Result<String, String>, width: usize) -> bool {
    match confirmation {
        Ok(sentence) => whole(&sentence, width),
        Err(_) => true,
    }
}

/// True when the open dialog, if any, fits in `area`. `update` asks this before Enter.
pub fn open_dialog_fits(model: &Model, area: Rect) -> bool {
    let height = match &model.mode {
        Mode::Dialog(d) => action::height(area, d),
        Mode::Confirm(d) => confirm::height(area, d),
        Mode::NewCharge(d) => new_charge::height(area, d),
        Mode::Evidence(d) => evidence::height(area, d),
        Mode::Recon(d) => recon::height(area, d),
        _ => return true,
    };
    fits(area, height)
}

/// In place of a dialog that does not fit: its title, why nothing can be sent, and Esc.
pub fn draw_too_small(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, title: &str) {
    let width = area.width.min(48);
    let words = format::wrap(TOO_SMALL, text_width(width));
    // the words, blank, keys
    let height = 2 + u16::try_from(words.len()).unwrap_or(u16::MAX) + 2;
    let outer = layout::centered(area, width, height);
    let inner = frame::draw(model, theme, frame, outer, title);
    let mut lines: Vec<Line> = words
        .into_iter()
        .map(|w| Line::styled(w, theme.warn))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("esc", theme.key),
        Span::styled(" cancel", theme.dim),
    ]));
    frame.render_widget(Paragraph::new(lines), inner);
}
