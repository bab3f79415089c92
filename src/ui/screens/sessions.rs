//! `:recon`: the sessions, one a line: name, period, profiles, and open or signed off.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::Model;
use crate::app::model::Loadable;
use crate::app::screens::SessionsPane;
use crate::ui::format;
use crate::ui::list_parts;
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

pub fn draw(_model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &SessionsPane) {
    let sessions = match &pane.list.items {
        Loadable::Loaded(list) => list,
        Loadable::Loading => {
            return list_parts::message(frame, area, "loading the sessions…", theme.dim);
        }
        Loadable::Failed(why) => {
            let text = format!("could not list the sessions: {why}");
            return list_parts::message(frame, area, &text, theme.error);
        }
    };
    if sessions.is_empty() {
        let text = "no sessions yet: :recon NAME starts one for this month";
        return list_parts::message(frame, area, text, theme.dim);
    }
    let width = usize::from(area.width);
    let rows = usize::from(area.height.saturating_sub(1)).max(1);
    let first = (pane.list.row + 1).saturating_sub(rows);
    let mut lines = vec![Line::styled(
        " session  period  profiles  state",
        theme.column_header,
    )];
    for (i, s) in sessions.iter().enumerate().skip(first).take(rows) {
        let state = match &s.signed_off {
            Some(by) => format!("signed off by {}", clean(&by.who)),
            None => "open".into(),
        };
        let text = format!(
            " {}  {} to {}  {}  {state}",
            clean(&s.name),
            s.from,
            s.to,
            clean(&s.profiles.join(", "))
        );
        let text = format::truncate(&text, width);
        let style = if i == pane.list.row {
            theme.selected
        } else {
            theme.text
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
