//! Short-lived notes in the bottom-right corner, newest at the bottom, at most four.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::format;
use super::theme::Theme;
use crate::app::model::{Model, ToastKind};

const MAX_WIDTH: u16 = 52;
const MAX_SHOWN: usize = 4;

/// Draws the toasts stacked upwards from the bottom of `area`.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let width = MAX_WIDTH.min(area.width.saturating_sub(2));
    if width < 8 {
        return;
    }
    let text_width = usize::from(width - 4);
    let mut bottom = area.y + area.height;
    let skip = model.toasts.len().saturating_sub(MAX_SHOWN);
    let wrapped: Vec<Vec<String>> = model
        .toasts
        .iter()
        .skip(skip)
        .map(|t| format::wrap(&t.text, text_width))
        .collect();
    // One width for the stack, so the toasts line up.
    let widest = wrapped
        .iter()
        .flatten()
        .map(|l| format::width(l))
        .max()
        .unwrap_or(0);
    let w = u16::try_from(widest + 4).unwrap_or(width).min(width);
    for (toast, lines) in model.toasts.iter().skip(skip).zip(wrapped).rev() {
        let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        if bottom < area.y + h {
            break;
        }
        let rect = Rect {
            x: area.x + area.width - w - 1,
            y: bottom - h,
            width: w,
            height: h,
        };
        bottom -= h;
        let style = match toast.kind {
            ToastKind::Success => theme.success,
            ToastKind::Error => theme.error,
            ToastKind::Info => theme.text,
        };
        let text_style = match toast.kind {
            ToastKind::Error => theme.error,
            _ => theme.text,
        };
        frame.render_widget(Clear, rect);
        let block = Block::new()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(style);
        let text: Vec<Line> = lines
            .into_iter()
            .map(|l| Line::styled(l, text_style))
            .collect();
        frame.render_widget(
            Paragraph::new(text).block(block.padding(ratatui::widgets::Padding::horizontal(1))),
            rect,
        );
    }
}
