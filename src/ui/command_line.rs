//! The `:` command line, in place of the status line while it is open.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use tui_input::Input;

use super::format;
use super::input_field;
use super::theme::Theme;
use crate::app::command;
use crate::app::model::Model;

pub fn draw(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    input: &Input,
    error: Option<&str>,
) {
    if area.width < 3 || area.height == 0 {
        return;
    }
    frame.render_widget(Paragraph::new(Span::styled(" :", theme.key)), area);
    let rest = Rect {
        x: area.x + 2,
        width: area.width - 2,
        ..area
    };
    // Beside the input: the error, or while a name is typed what it may become, so
    // Tab's result is no surprise.
    let done = command::complete(input.value(), &model.session.caps, &model.session.profiles);
    let beside = match error {
        Some(error) => Some((error.to_string(), theme.error)),
        None if done.choices.is_empty() || input.value().is_empty() => None,
        None => Some((done.choices.join("  "), theme.dim)),
    };
    let input_area = match beside {
        Some((text, style)) => {
            let needed = u16::try_from(format::width(input.value()) + 2).unwrap_or(u16::MAX);
            let input_width = needed.max(10).min(rest.width / 2);
            let beside_area = Rect {
                x: rest.x + input_width + 1,
                width: rest.width.saturating_sub(input_width + 1),
                ..rest
            };
            let text = format::truncate(&text, usize::from(beside_area.width.saturating_sub(1)));
            frame.render_widget(Paragraph::new(Span::styled(text, style)), beside_area);
            Rect {
                width: input_width,
                ..rest
            }
        }
        None => rest,
    };
    let hint = format!("{}   Tab completes", command::names(&model.session.caps));
    input_field::draw(
        frame,
        input_area,
        input,
        theme.text,
        Some((&hint, theme.dim)),
        true,
    );
}
