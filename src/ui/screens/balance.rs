//! The balance screen: available and pending per currency, amounts aligned.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::Model;
use crate::app::model::Loadable;
use crate::app::screens::BalancePane;
use crate::ui::format;
use crate::ui::list_parts;
use crate::ui::theme::Theme;

pub fn draw(_model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &BalancePane) {
    let balance = match &pane.balance {
        Loadable::Loaded(balance) => balance,
        Loadable::Loading => {
            return list_parts::message(frame, area, "loading the balance…", theme.dim);
        }
        Loadable::Failed(why) => {
            let text = format!("could not load the balance: {why}");
            return list_parts::message(frame, area, &text, theme.error);
        }
    };
    if balance.amounts.is_empty() {
        return list_parts::message(frame, area, "no balance in any currency", theme.dim);
    }
    let rows: Vec<[String; 3]> = balance
        .amounts
        .iter()
        .map(|a| {
            [
                a.currency().code().to_string(),
                a.available.to_string(),
                a.pending.map_or_else(|| "—".into(), |p| p.to_string()),
            ]
        })
        .collect();
    let titles = ["currency", "available", "pending"];
    let width = |i: usize| {
        rows.iter()
            .map(|r| format::width(&r[i]))
            .chain([titles[i].len()])
            .max()
            .unwrap_or(0)
    };
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let row =
        |cells: [&str; 3]| format!(" {:<w0$}  {:>w1$}  {:>w2$}", cells[0], cells[1], cells[2]);
    let mut lines = vec![Line::styled(row(titles), theme.column_header)];
    for r in &rows {
        lines.push(Line::from(Span::raw(row([&r[0], &r[1], &r[2]]))));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
