//! A payout's screen: its fields, its lines (gross, fee, tax on the fee, net) with the
//! rows on screen drawn, and under them a totals row per currency with the net check
//! (gross − fee − tax = net) and whether the lines add up to what the bank received.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::payouts::{arrival, status_style};
use crate::app::Model;
use crate::app::layout::{SIDE_BY_SIDE_WIDTH, payout_layout};
use crate::app::model::Loadable;
use crate::app::screens::PayoutPane;
use crate::domain::{BalanceLine, LineAmounts, LineTotals, NetCheck, Payout};
use crate::money::Money;
use crate::ui::format;
use crate::ui::list_parts::{self, Columns, GAP, Want};
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

const OCCURRED: usize = 0;
const KIND: usize = 1;
const SOURCE: usize = 2;
const GROSS: usize = 3;
const FEE: usize = 4;
const TAX: usize = 5;
const NET: usize = 6;
const TITLES: [&str; 7] = [
    "occurred", "kind", "source", "gross", "fee", "fee tax", "net",
];
const LABEL: usize = 15;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &PayoutPane) {
    let parts = payout_layout(area, pane);
    draw_fields(theme, frame, parts.fields, pane);
    let Some(lines) = &pane.lines else {
        return;
    };
    let totals = LineTotals::of(lines.items());
    let sums: Vec<LineAmounts> = totals
        .as_ref()
        .map(|t| t.currencies().copied().collect())
        .unwrap_or_default();
    // Every amount column as wide as its widest value, the totals' included, so that
    // the totals sit under the lines' amounts.
    let amount_width = lines
        .items()
        .iter()
        .map(|l| &l.amounts)
        .chain(&sums)
        .flat_map(|a| [a.gross, a.fee, a.fee_tax, a.net])
        .map(|m| format::width(&m.to_string()))
        .chain(TITLES[GROSS..].iter().map(|t| format::width(t)))
        .max()
        .unwrap_or(0);
    let titles: Vec<String> = TITLES
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i >= GROSS {
                format!("{t:>amount_width$}")
            } else {
                (*t).to_string()
            }
        })
        .collect();
    let titles: Vec<&str> = titles.iter().map(String::as_str).collect();
    let empty = list_parts::why_empty(theme, lines, "lines", String::new, "no lines");
    let columns = Columns::of_screen(theme, &titles, Some(NET), empty);
    let amount_width = u16::try_from(amount_width).unwrap_or(u16::MAX);
    let mut used = None;
    let widths = |rows: &[&BalanceLine], width| {
        let w = widths(rows, amount_width, width);
        used = Some(w.clone());
        w
    };
    let cell = |line: &BalanceLine, i, w| cell(model, theme, line, i, w);
    list_parts::table(
        theme,
        frame,
        parts.lines,
        &lines.held,
        columns,
        widths,
        cell,
    );
    let widths = used.unwrap_or_else(|| self::widths(&[], amount_width, area.width));
    draw_totals(theme, frame, parts.totals, pane, &totals, &widths);
}

/// The payout's fields, two to a row on a wide screen; or why they are not here.
fn draw_fields(theme: &Theme, frame: &mut Frame, area: Rect, pane: &PayoutPane) {
    let payout = match &pane.payout {
        Loadable::Loaded(payout) => payout,
        Loadable::Loading => {
            let text = format!("loading payout {}…", pane.payout_id);
            return list_parts::message(frame, area, &text, theme.dim);
        }
        Loadable::Failed(why) => {
            let text = format!("could not load payout {}: {why}", pane.payout_id);
            let lines = format::wrap(&text, usize::from(area.width.saturating_sub(2)).max(1));
            let lines: Vec<Line> = lines
                .into_iter()
                .map(|l| Line::styled(format!(" {l}"), theme.error))
                .collect();
            return frame.render_widget(Paragraph::new(lines), area);
        }
    };
    let fields = fields(payout, theme);
    let wide = area.width >= SIDE_BY_SIDE_WIDTH;
    let per_row = if wide { 2 } else { 1 };
    let column = usize::from(area.width) / per_row;
    let rows = fields.len().div_ceil(per_row);
    let lines: Vec<Line> = (0..rows)
        .map(|row| {
            let mut spans = Vec::new();
            for col in 0..per_row {
                let Some((label, value)) = fields.get(col * rows + row) else {
                    continue;
                };
                let value_width = column.saturating_sub(LABEL + 2).max(1);
                spans.push(Span::styled(format!(" {label:<LABEL$} "), theme.dim));
                let text = format::truncate(&value.content, value_width);
                let pad = if col + 1 < per_row {
                    value_width.saturating_sub(format::width(&text))
                } else {
                    0
                };
                spans.push(Span::styled(text, value.style));
                spans.push(Span::raw(" ".repeat(pad)));
            }
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// The payout's fields, each a label and its value.
fn fields(payout: &Payout, theme: &Theme) -> Vec<(&'static str, Span<'static>)> {
    let or_dash = |s: Option<&str>| match s {
        Some(s) if !s.is_empty() => Span::raw(clean(s).into_owned()),
        _ => Span::styled("—", theme.dim),
    };
    let account = payout.bank_account.as_ref().map(|a| match &a.bank_name {
        Some(bank) => format!("••{} {bank}", a.last4),
        None => format!("••{}", a.last4),
    });
    vec![
        ("payout", Span::raw(clean(&payout.id).into_owned())),
        (
            "status",
            Span::styled(
                clean(payout.status.label()).into_owned(),
                status_style(theme, &payout.status),
            ),
        ),
        ("amount", Span::raw(payout.amount.to_string())),
        ("arrival", Span::raw(arrival(payout))),
        ("bank reference", or_dash(payout.bank_reference.as_deref())),
        ("account", or_dash(account.as_deref())),
        (
            "descriptor",
            or_dash(payout.statement_descriptor.as_deref()),
        ),
    ]
}

/// Each column's width for `rows` in `width`, every amount `amount` wide.
fn widths(rows: &[&BalanceLine], amount: u16, width: u16) -> Vec<u16> {
    let money = Want {
        min: amount,
        ideal: amount,
    };
    let wants = [
        Want { min: 11, ideal: 11 },
        Want {
            min: 5,
            ideal: list_parts::widest(rows.iter().map(|l| l.kind.label()), "kind", 16).max(5),
        },
        Want {
            min: 10,
            ideal: list_parts::widest(
                rows.iter().map(|l| l.source_id.as_deref().unwrap_or("")),
                "source",
                32,
            ),
        },
        money,
        money,
        money,
        money,
    ];
    // What the merchant got, from what, less what; then where it came from and when.
    list_parts::fit_in_order(
        &wants,
        &[NET, GROSS, KIND, FEE, TAX, SOURCE, OCCURRED],
        width,
    )
}

/// Line `l`'s cell in column `i`, `w` wide.
fn cell(model: &Model, theme: &Theme, l: &BalanceLine, i: usize, w: usize) -> Cell<'static> {
    let amount = |m: Money| {
        Cell::from(Line::from(format::amount(&m.to_string(), w)).alignment(Alignment::Right))
    };
    match i {
        OCCURRED => Cell::from(format::short_time(l.occurred, model.zone)),
        KIND => Cell::from(format::truncate(l.kind.label(), w)),
        SOURCE => Cell::from(Span::styled(
            format::truncate(l.source_id.as_deref().unwrap_or("—"), w),
            theme.dim,
        )),
        GROSS => amount(l.amounts.gross),
        FEE => amount(l.amounts.fee),
        TAX => amount(l.amounts.fee_tax),
        _ => {
            let style = if l.amounts.checks() {
                Style::new()
            } else {
                theme.error
            };
            Cell::from(
                Line::from(Span::styled(
                    format::amount(&l.amounts.net.to_string(), w),
                    style,
                ))
                .alignment(Alignment::Right),
            )
        }
    }
}

/// What the net check says, in words, and whether it holds.
pub fn net_check_words(check: &NetCheck) -> (String, bool) {
    match check {
        NetCheck::Holds => ("gross − fee − tax = net: holds".into(), true),
        NetCheck::Off { stated, computed } => (
            format!("net is {stated}, but gross − fee − tax is {computed}"),
            false,
        ),
        NetCheck::Unreadable(why) => (format!("the amounts cannot be checked: {why}"), false),
    }
}

/// A totals row per currency under the lines' columns, then one line that says whether
/// the net check holds and whether the lines' net is what the bank received.
fn draw_totals(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    pane: &PayoutPane,
    totals: &Result<LineTotals, crate::money::MoneyError>,
    widths: &[u16],
) {
    if area.height == 0 {
        return;
    }
    let Ok(totals) = totals else {
        let text = match totals {
            Err(why) => format!("the lines cannot be added up: {why}"),
            Ok(_) => String::new(),
        };
        return list_parts::message(frame, area, &text, theme.error);
    };
    let shown: Vec<usize> = (0..widths.len()).filter(|i| widths[*i] > 0).collect();
    let rows: Vec<Row> = totals
        .currencies()
        .map(|sum| {
            let holds = sum.checks();
            let cells = shown.iter().map(|&i| {
                let w = usize::from(widths[i]);
                let amount = |m: Money| {
                    Cell::from(
                        Line::from(format::amount(&m.to_string(), w)).alignment(Alignment::Right),
                    )
                };
                match i {
                    OCCURRED => Cell::from(Span::styled(
                        format!("total {}", sum.currency().code()),
                        theme.title,
                    )),
                    KIND if !shown.contains(&OCCURRED) => {
                        Cell::from(Span::styled("total", theme.title))
                    }
                    KIND => Cell::from(""),
                    SOURCE if holds => Cell::from(Span::styled("holds", theme.success)),
                    SOURCE => Cell::from(Span::styled("off", theme.error)),
                    GROSS => amount(sum.gross),
                    FEE => amount(sum.fee),
                    TAX => amount(sum.fee_tax),
                    _ => amount(sum.net),
                }
            });
            Row::new(cells.collect::<Vec<_>>()).style(theme.column_header)
        })
        .collect();
    let rows_h = u16::try_from(rows.len())
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(1));
    let table =
        Table::new(rows, shown.iter().map(|i| Constraint::Length(widths[*i]))).column_spacing(GAP);
    frame.render_widget(
        table,
        Rect {
            height: rows_h,
            ..area
        },
    );
    let (text, good) = verdict(pane, totals, usize::from(area.width));
    let style = if good { theme.success } else { theme.error };
    let line = Rect {
        y: area.y + rows_h,
        height: area.height - rows_h,
        ..area
    };
    let text = format::truncate(&text, usize::from(area.width));
    frame.render_widget(Paragraph::new(Span::styled(text, style)), line);
}

/// Whether the net check holds for every line and currency, and whether the lines'
/// net is the payout's amount; until every line is loaded, that the totals are so far.
/// In fewer words where `width` is narrow.
fn verdict(pane: &PayoutPane, totals: &LineTotals, width: usize) -> (String, bool) {
    let Some(lines) = &pane.lines else {
        return (String::new(), true);
    };
    let held = lines.len();
    if held == 0 {
        return (String::new(), true);
    }
    let off_lines = lines.items().iter().filter(|l| !l.amounts.checks()).count();
    let off: Vec<String> = totals
        .currencies()
        .filter(|sum| !sum.checks())
        .map(|sum| net_check_words(&sum.net_check()).0)
        .collect();
    let fit = |long: String, short: String| {
        if format::width(&long) <= width {
            long
        } else {
            short
        }
    };
    if off_lines > 0 || !off.is_empty() {
        let lines_word = format::plural(off_lines as u64, "line", "lines");
        let long = match off.is_empty() {
            true => format!("net check off on {lines_word}"),
            false => format!("net check off on {lines_word}: {}", off.join("; ")),
        };
        return (fit(long, format!("net check off on {lines_word}")), false);
    }
    if !pane.all_lines_loaded() {
        let long = format!("net check holds for the {held} lines loaded; the rest are not yet");
        return (fit(long, format!("holds for {held} loaded")), true);
    }
    let Loadable::Loaded(payout) = &pane.payout else {
        return ("net check holds".into(), true);
    };
    match totals.of_currency(payout.amount.currency) {
        Some(sum) if sum.net == payout.amount => (
            fit(
                format!(
                    "net check holds; the lines' net {} is the payout's amount",
                    sum.net
                ),
                format!("holds; lines' net = payout {}", sum.net),
            ),
            true,
        ),
        Some(sum) => (
            fit(
                format!(
                    "the lines' net {} is not the payout's amount {}",
                    sum.net, payout.amount
                ),
                format!("lines' net {} ≠ payout {}", sum.net, payout.amount),
            ),
            false,
        ),
        None => (
            format!(
                "no line is in the payout's currency, {}",
                payout.amount.currency.code()
            ),
            false,
        ),
    }
}
