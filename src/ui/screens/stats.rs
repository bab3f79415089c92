//! `:stats` drawn: a heading (the period, its buckets, the filter), then the charts,
//! as many as the window has room for, or (`t`) the table of exact figures. Money is
//! drawn by `BarChart` and `Sparkline`, whose bars are integers (minor units), and is
//! written out exactly in titles and beside bars; the `Chart` draws counts only.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Borders, Chart, Dataset, GraphType, Paragraph, Sparkline,
};

use super::stats_table;
use crate::app::Model;
use crate::app::mode_keys::{KeyMode, ModeAction};
use crate::app::model::Loadable;
use crate::app::screens::StatsPane;
use crate::money::Currency;
use crate::stats::figures::money;
use crate::stats::{ChargeStats, Rate};
use crate::ui::format;
use crate::ui::list_parts;
use crate::ui::theme::Theme;

/// Room for every chart at once.
const FULL: (u16, u16) = (110, 30);
/// Room for the two main charts and a summary.
const HALF: (u16, u16) = (60, 14);

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &StatsPane) {
    if area.height == 0 {
        return;
    }
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(heading(model, theme, pane)), head);
    let stats = match &pane.stats {
        Loadable::Loaded(stats) => stats,
        Loadable::Loading => return list_parts::message(frame, body, "adding up…", theme.dim),
        Loadable::Failed(why) => {
            let text = format!("could not read the figures: {why}");
            return list_parts::message(frame, body, &text, theme.error);
        }
    };
    if pane.table {
        let lines = stats_table::lines(pane, stats, model.zone, theme);
        frame.render_widget(Paragraph::new(lines).scroll((pane.scroll, 0)), body);
        return;
    }
    let currency = pane.shown_currency();
    if body.width >= FULL.0 && body.height >= FULL.1 {
        full(model, theme, frame, body, pane, stats, currency);
    } else if body.width >= HALF.0 && body.height >= HALF.1 {
        half(model, theme, frame, body, stats, currency);
    } else {
        compact(model, theme, frame, body, stats, currency);
    }
}

/// How far the table scrolls before its last line is at the bottom of the body of
/// `screen`; nothing is laid out or counted unless the table is on top.
pub fn max_scroll(model: &Model, screen: Rect) -> u16 {
    let Some(crate::app::screens::Pane::Stats(pane)) = model.screens.top() else {
        return 0;
    };
    let Loadable::Loaded(stats) = &pane.stats else {
        return 0;
    };
    if !pane.table {
        return 0;
    }
    let lines = stats_table::lines(pane, stats, model.zone, &Theme::dark()).len();
    let body = crate::app::layout::regions(screen, model).body;
    let rows = usize::from(body.height.saturating_sub(1));
    u16::try_from(lines.saturating_sub(rows)).unwrap_or(u16::MAX)
}

/// `Mon 30 Nov 2026 · by hour · UTC · all charges   [ ] period  + - zoom  t figures`.
fn heading(model: &Model, theme: &Theme, pane: &StatsPane) -> Line<'static> {
    let filter = if pane.filter_text.is_empty() {
        "all charges".to_string()
    } else {
        format!("filter {}", pane.filter_text)
    };
    let k = |action| model.keymap.modes.key_for(KeyMode::Stats, action);
    let keys = format!(
        "   {} {} period  {} {} zoom  {} {}",
        k(ModeAction::Earlier),
        k(ModeAction::Later),
        k(ModeAction::ZoomIn),
        k(ModeAction::ZoomOut),
        k(ModeAction::ToggleTable),
        if pane.table { "charts" } else { "figures" },
    );
    // Until the sync has read every older page, a period it has not reached is short.
    let syncing = model
        .screens
        .charges
        .store
        .as_ref()
        .is_some_and(|w| !w.complete);
    let mut spans = vec![
        Span::styled(format!(" {}", pane.period.label(model.zone)), theme.title),
        Span::styled(
            format!(
                " · by {} · {} · {filter}",
                pane.period.zoom.bucket_name(),
                model.zone.label(pane.period.start)
            ),
            theme.dim,
        ),
    ];
    if syncing {
        spans.push(Span::styled(" · syncing: may be short", theme.warn));
    }
    spans.push(Span::styled(keys, theme.key));
    Line::from(spans)
}

fn boxed<'a>(title: String, theme: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title))
}

/// A chart's box with nothing to draw in it, saying why.
fn empty_box(frame: &mut Frame, area: Rect, title: &str, why: &str, theme: &Theme) {
    let block = boxed(title.into(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    list_parts::message(frame, inner, why, theme.dim);
}

fn full(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    pane: &StatsPane,
    stats: &ChargeStats,
    currency: Option<Currency>,
) {
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Percentage(40),
        Constraint::Percentage(30),
        Constraint::Percentage(30),
    ])
    .areas(area);
    let [volume_area, counts_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(top);
    volume(model, theme, frame, volume_area, stats, currency);
    counts(model, theme, frame, counts_area, stats);
    let [declines_area, mix_area, rates_area] = Layout::horizontal([
        Constraint::Percentage(45),
        Constraint::Percentage(30),
        Constraint::Percentage(25),
    ])
    .areas(middle);
    declines(theme, frame, declines_area, stats);
    mix(theme, frame, mix_area, stats);
    rates(theme, frame, rates_area, stats);
    let [expiring_area, balance_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(bottom);
    expiring(model, theme, frame, expiring_area, stats);
    let mut lines = Vec::new();
    stats_table::balance_lines(pane.balance.as_ref(), theme, &mut lines);
    frame.render_widget(
        Paragraph::new(lines).block(boxed("balance: available and pending".into(), theme)),
        balance_area,
    );
}

fn half(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    stats: &ChargeStats,
    currency: Option<Currency>,
) {
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(area);
    let [volume_area, counts_area] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    volume(model, theme, frame, volume_area, stats, currency);
    counts(model, theme, frame, counts_area, stats);
    let [declines_area, summary_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(bottom);
    declines(theme, frame, declines_area, stats);
    frame.render_widget(
        Paragraph::new(summary(model, theme, stats)).block(boxed("rates".into(), theme)),
        summary_area,
    );
}

/// A small window: the figures that matter most, and the volume as a sparkline.
fn compact(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    stats: &ChargeStats,
    currency: Option<Currency>,
) {
    let [spark, rest] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(area);
    if let Some(currency) = currency {
        let data: Vec<u64> = (0..stats.buckets.len())
            .map(|b| minor_height(stats.in_bucket(b, currency).approved_minor))
            .collect();
        frame.render_widget(Sparkline::default().data(&data).style(theme.accent), spark);
    }
    frame.render_widget(Paragraph::new(summary(model, theme, stats)), rest);
}

/// The period's headline figures, a line each.
fn summary(model: &Model, theme: &Theme, stats: &ChargeStats) -> Vec<Line<'static>> {
    let counts = stats.counts();
    let within = stats.expiring_within_a_day();
    let expiring_key = model
        .keymap
        .modes
        .key_for(KeyMode::Stats, ModeAction::Expiring);
    let mut lines = vec![
        Line::raw(format!(
            " {} charges, approval {}",
            format::count(counts.charges),
            counts.approval().text()
        )),
        Line::raw(format!(
            " refunds {}, disputes {}",
            counts.refund_rate().text(),
            counts.dispute_rate().text()
        )),
    ];
    for (currency, tally) in &stats.currencies {
        lines.push(Line::raw(format!(
            " {} {} · {}",
            currency.code(),
            format::count(tally.charges),
            money(tally.approved_minor, *currency)
        )));
    }
    if within > 0 {
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    " {} lapse within 24 h ",
                    format::plural(within, "authorisation", "authorisations")
                ),
                theme.warn,
            ),
            Span::styled(format!("{expiring_key} list them"), theme.key),
        ]));
    }
    lines
}

/// A minor-unit sum as a bar's height: negative sums draw nothing.
fn minor_height(minor: i128) -> u64 {
    u64::try_from(minor.max(0)).unwrap_or(u64::MAX)
}

/// Bars across `width` columns for `n` buckets: each as wide as fits, a gap between.
fn bar_shape(width: u16, n: usize) -> (u16, u16) {
    let n = u16::try_from(n.max(1)).unwrap_or(u16::MAX);
    let each = width / n;
    if each >= 3 {
        (each - 1, 1)
    } else {
        (each.max(1), 0)
    }
}

fn volume(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    stats: &ChargeStats,
    currency: Option<Currency>,
) {
    let Some(currency) = currency else {
        return empty_box(frame, area, "volume", "no charges in this period", theme);
    };
    let total = stats
        .currencies
        .iter()
        .find(|(c, _)| *c == currency)
        .map(|(_, t)| t.approved_minor)
        .unwrap_or(0);
    let others = if stats.currencies.len() > 1 {
        let key = model
            .keymap
            .modes
            .key_for(KeyMode::Stats, ModeAction::NextCurrency);
        format!(" · {key} next currency")
    } else {
        String::new()
    };
    let title = format!(
        "volume {} per {}: {}{others}",
        currency.code(),
        stats.period.zoom.bucket_name(),
        money(total, currency)
    );
    let block = boxed(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [bars_area, axis_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(inner);
    let n = stats.buckets.len();
    let (width, gap) = bar_shape(inner.width, n);
    let bars: Vec<Bar> = (0..n)
        .map(|b| {
            Bar::default()
                .value(minor_height(stats.in_bucket(b, currency).approved_minor))
                .text_value(String::new())
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(width)
            .bar_gap(gap)
            .bar_style(theme.accent),
        bars_area,
    );
    let labels = (0..n).map(|b| stats.period.bucket_label(b, model.zone));
    frame.render_widget(
        Paragraph::new(Span::styled(
            axis(labels, width + gap, inner.width),
            theme.dim,
        )),
        axis_area,
    );
}

/// The buckets' names under their bars (`step` columns apart), each where it starts if
/// the one before has left room, so a narrow chart names every few bars.
fn axis(labels: impl Iterator<Item = String>, step: u16, width: u16) -> String {
    let width = usize::from(width);
    let mut line = String::new();
    for (i, label) in labels.enumerate() {
        let at = i * usize::from(step.max(1));
        let used = format::width(&line);
        let gap = if used == 0 { 0 } else { 1 };
        if at < used + gap || at + format::width(&label) > width {
            continue;
        }
        line.push_str(&" ".repeat(at - used));
        line.push_str(&label);
    }
    line
}

/// Charges per bucket, a line per currency and one for declines: counts, not money.
fn counts(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, stats: &ChargeStats) {
    let n = stats.buckets.len();
    let series: Vec<(String, Vec<(f64, f64)>)> = stats
        .currencies
        .iter()
        .take(3)
        .map(|(currency, _)| {
            let points = (0..n)
                .map(|b| (b as f64, stats.in_bucket(b, *currency).charges as f64))
                .collect();
            (currency.code().to_string(), points)
        })
        .chain([(
            "declined".to_string(),
            (0..n)
                .map(|b| {
                    let declined: u64 = stats.buckets[b].iter().map(|(_, t)| t.declined).sum();
                    (b as f64, declined as f64)
                })
                .collect(),
        )])
        .collect();
    let peak = series
        .iter()
        .flat_map(|(_, points)| points.iter().map(|(_, y)| *y))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let styles = [theme.accent, theme.success, theme.warn];
    let datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| {
            let style = if name == "declined" {
                theme.error
            } else {
                styles[i % styles.len()]
            };
            Dataset::default()
                .name(name.clone())
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(style)
                .data(points)
        })
        .collect();
    let label = |b: usize| Span::styled(stats.period.bucket_label(b, model.zone), theme.dim);
    let last = n.saturating_sub(1);
    let chart = Chart::new(datasets)
        .block(boxed(
            format!("charges per {}", stats.period.zoom.bucket_name()),
            theme,
        ))
        .x_axis(
            Axis::default()
                .bounds([0.0, last.max(1) as f64])
                .labels([label(0), label(last / 2), label(last)])
                .style(theme.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, peak])
                .labels([
                    Span::styled("0", theme.dim),
                    Span::styled(format!("{peak:.0}"), theme.dim),
                ])
                .style(theme.dim),
        );
    frame.render_widget(chart, area);
}

/// A horizontal bar chart of labelled counts, each bar's exact figure written on it
/// (ASCII only: ratatui places a bar's text by its length in bytes).
fn horizontal<'a>(
    block: Block<'a>,
    theme: &Theme,
    rows: Vec<(String, u64, String)>,
    style: Style,
) -> BarChart<'a> {
    let bars: Vec<Bar> = rows
        .into_iter()
        .map(|(label, value, text)| {
            Bar::default()
                .label(Line::raw(label))
                .value(value)
                .text_value(text)
        })
        .collect();
    BarChart::default()
        .block(block)
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
        .bar_style(style)
        .value_style(theme.text)
        .label_style(theme.dim)
}

fn declines(theme: &Theme, frame: &mut Frame, area: Rect, stats: &ChargeStats) {
    if stats.declines.is_empty() {
        return empty_box(frame, area, "top decline codes", "no declines", theme);
    }
    let block = boxed("top decline codes".into(), theme);
    let rows = stats
        .declines
        .iter()
        .map(|d| (d.code.clone(), d.count, d.count.to_string()))
        .collect();
    frame.render_widget(horizontal(block, theme, rows, theme.error), area);
}

fn mix(theme: &Theme, frame: &mut Frame, area: Rect, stats: &ChargeStats) {
    let all = stats.counts().charges;
    let rows = stats
        .currencies
        .iter()
        .map(|(c, t)| {
            let share = Rate::of(t.charges, all).text();
            (
                c.code().to_string(),
                t.charges,
                format!("{} ({share})", t.charges),
            )
        })
        .collect();
    frame.render_widget(
        horizontal(
            boxed("currency mix".into(), theme),
            theme,
            rows,
            theme.accent,
        ),
        area,
    );
}

/// Approval, refund and dispute rates, as bars out of 100 %.
fn rates(theme: &Theme, frame: &mut Frame, area: Rect, stats: &ChargeStats) {
    let counts = stats.counts();
    let rows = [
        ("approved", counts.approval()),
        ("refunded", counts.refund_rate()),
        ("disputed", counts.dispute_rate()),
    ]
    .into_iter()
    .map(|(label, rate)| (label.to_string(), rate.per_mille(), rate.text()))
    .collect();
    let bars = horizontal(boxed("rates".into(), theme), theme, rows, theme.success);
    frame.render_widget(bars.max(1000), area);
}

fn expiring(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, stats: &ChargeStats) {
    let key = model
        .keymap
        .modes
        .key_for(KeyMode::Stats, ModeAction::Expiring);
    let title = format!(
        "open authorisations by time left · {key} lists the {} lapsing within 24 h",
        stats.expiring_within_a_day()
    );
    let block = boxed(title, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [bars_area, held_area] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(inner);
    let rows = stats
        .expiring
        .iter()
        .map(|band| {
            (
                band.left.label().to_string(),
                band.count,
                band.count.to_string(),
            )
        })
        .collect();
    frame.render_widget(
        horizontal(Block::default(), theme, rows, theme.warn),
        bars_area,
    );
    // What each band holds, on its bar's row: money is written beside the bars, not
    // on them (a bar's text is placed by its length in bytes, which `€` or `¥` is not).
    let held: Vec<Line> = stats
        .expiring
        .iter()
        .map(|band| Line::styled(format!(" {}", band.held_text()), theme.text))
        .collect();
    frame.render_widget(Paragraph::new(held), held_area);
}
