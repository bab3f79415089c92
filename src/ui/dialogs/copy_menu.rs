//! The `Y` menu: what can be copied from the object the keys act on, one line each with
//! a short look at it, the chosen line highlighted. Narrower than its lines, the
//! previews are cut; the menu never needs more rows than its choices and frame.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::copy_menu::CopyMenu;
use crate::app::layout;
use crate::app::model::Model;
use crate::ui::dialogs::frame;
use crate::ui::format;
use crate::ui::theme::Theme;

/// The widest the menu grows.
const MAX_WIDTH: u16 = 64;
/// The column the previews start in, after the longest name (`raw JSON`).
const NAME: usize = 10;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, menu: &CopyMenu) {
    let width = area.width.min(MAX_WIDTH);
    // blank, a line each, blank, frame
    let rows = u16::try_from(menu.choices.len()).unwrap_or(u16::MAX);
    let height = rows.saturating_add(4).min(area.height);
    let outer = layout::centered(area, width, height);
    let title = format!("copy from {}", menu.about);
    let mut body = frame::Body::open(model, theme, frame, outer, &title);
    let room = usize::from(body.inner.width).saturating_sub(NAME + 2);
    for (i, choice) in menu.choices.iter().enumerate() {
        let chosen = i == menu.selected;
        let style = if chosen { theme.selected } else { theme.dim };
        let mark = if chosen { "› " } else { "  " };
        let name = format!("{:<NAME$}", choice.copying.what);
        let preview = format::truncate(&choice.preview, room);
        body.line(
            frame,
            Line::from(vec![
                Span::styled(format!("{mark}{name}"), style),
                Span::styled(preview, style),
            ]),
        );
    }
}
