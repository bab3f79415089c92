//! Leaving with money in flight: "quit anyway?" after `q` or ctrl-c, and what a stop
//! on a signal is waiting for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::dialogs;
use super::format;
use super::theme::Theme;
use crate::app::layout;
use crate::app::model::Model;
use crate::app::quitting;

/// "A capture of A$20.00 on ch_… has not been confirmed", then y / n.
pub fn draw_question(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let key = |k: &str| Span::styled(k.to_string(), theme.key);
    let words = |w: &str| Span::styled(w.to_string(), theme.dim);
    let quit = if model.writes.is_empty() {
        " quit · "
    } else {
        " quit anyway · "
    };
    let keys = Line::from(vec![
        key("y"),
        words(quit),
        key("n"),
        words("/"),
        key("esc"),
        words(" stay"),
    ]);
    draw(
        model,
        theme,
        frame,
        area,
        "Quit?",
        &quitting::question(model),
        keys,
    );
}

/// "Stopping: waiting up to 5 s…" and the writes it waits for.
pub fn draw_waiting(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(lines) = quitting::waiting(model) else {
        return;
    };
    let spinner = Line::styled(
        format!(
            "{} waiting for the gateway…",
            format::spinner(model.spinner)
        ),
        theme.accent,
    );
    draw(model, theme, frame, area, "Stopping", &lines, spinner);
}

fn draw(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    sentences: &[String],
    last: Line,
) {
    let width = area.width.saturating_sub(4).min(90);
    let text_width = usize::from(width.saturating_sub(6)).max(1);
    let wrapped: Vec<Vec<String>> = sentences
        .iter()
        .map(|s| format::wrap(s, text_width))
        .collect();
    // border, blank, sentences (a blank between), blank, keys, border; on a small
    // screen the blanks go first, so that the words stay.
    let text = wrapped.iter().map(Vec::len).sum::<usize>() + 1;
    let blanks = wrapped.len() + 1;
    let roomy = text + blanks + 2 <= usize::from(area.height);
    let rows = text + 2 + if roomy { blanks } else { 0 };
    let height = u16::try_from(rows).unwrap_or(u16::MAX);
    let outer = layout::centered(area, width, height);
    let inner = dialogs::frame::draw(model, theme, frame, outer, title);
    let bold = theme.text.add_modifier(Modifier::BOLD);
    let blank = || roomy.then(|| Line::raw(""));
    let mut lines: Vec<Line> = blank().into_iter().collect();
    for (i, sentence) in wrapped.into_iter().enumerate() {
        if i > 0 {
            lines.extend(blank());
        }
        lines.extend(sentence.into_iter().map(|l| Line::styled(l, bold)));
    }
    lines.extend(blank());
    lines.push(last);
    frame.render_widget(Paragraph::new(lines), inner);
}
