//! The open charge: every field the gateway gave us, its refunds, and which actions it
//! allows or why not; or the gateway's own JSON for it. Beside the charges table, or
//! on its own as a charge pane.

use chrono::TimeDelta;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use crate::app::keymap::Intent;
use crate::app::model::{Loadable, Model};
use crate::app::offers::{self, Act, Refusal};
use crate::app::screens::ChargeDetail;
use crate::app::screens::charge::Shown;
use crate::domain::{Charge, ChargeStatus, RawJson, Refund, RefundStatus};
use crate::timezone::Zone;
use crate::ui::format;
use crate::ui::safe_text::clean;
use crate::ui::theme::Theme;

const LABEL: usize = 15;

/// The charge detail on screen, in `area`: beside or instead of the charges table, or
/// on its own.
pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some((detail, shown, focused)) = model.screens.shown_detail() else {
        return;
    };
    let id = &detail.charge_id;
    let charge = match shown {
        Shown::Charge(charge) => Ok(charge),
        Shown::Gone => Err((format!("{id} is no longer loaded"), theme.dim)),
        Shown::Loading => Err((format!("loading {id}…"), theme.dim)),
        Shown::Failed(why) => Err((format!("could not load {id}: {why}"), theme.error)),
    };
    let raw_key = model.keymap.keys_for(Intent::RawJson);
    let toggle = if detail.view.raw {
        "fields"
    } else {
        "raw JSON"
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_of(focused))
        .title(Line::from(vec![
            Span::raw(" "),
            Span::styled(clean(&detail.charge_id), theme.title),
            Span::raw(" "),
        ]))
        .title(
            Line::from(vec![
                Span::raw(" "),
                Span::styled(raw_key, theme.key),
                Span::styled(format!(" {toggle} "), theme.dim),
            ])
            .right_aligned(),
        );
    let inner = text_area(area);

    let charge = match charge {
        Ok(charge) => charge,
        Err((text, style)) => {
            frame.render_widget(block, area);
            let lines = format::wrap(&text, usize::from(inner.width).max(1));
            let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
            frame.render_widget(Paragraph::new(lines), inner);
            return;
        }
    };
    let lines = content(model, detail, charge, theme, inner);
    // Never past the last line, whatever the stored position: the content may have
    // shrunk (a resize, refunds loaded) since `update` last clamped it.
    let scroll = detail.view.scroll.min(last_top(lines.len(), inner));
    // Say so when there is more below than fits.
    let below = lines
        .len()
        .saturating_sub(usize::from(scroll) + usize::from(inner.height));
    let block = if below > 0 {
        block.title_bottom(Line::styled(format!(" ↓ {below} more "), theme.dim).right_aligned())
    } else {
        block
    };
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Where the lines go inside the detail's box: within the border, a column of room
/// at each side.
fn text_area(area: Rect) -> Rect {
    let inner = Block::new().borders(Borders::ALL).inner(area);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// The lines of the open charge for a text area of `inner`: its fields or its JSON.
fn content(
    model: &Model,
    detail: &ChargeDetail,
    charge: &Charge,
    theme: &Theme,
    inner: Rect,
) -> Vec<Line<'static>> {
    if detail.view.raw {
        raw_lines(charge, detail.raw.as_ref(), theme)
    } else {
        field_lines(model, detail, charge, theme, usize::from(inner.width))
    }
}

/// The furthest a text of `lines` lines can scroll in `inner`: its last line at the
/// bottom, never blank rows below it.
fn last_top(lines: usize, inner: Rect) -> u16 {
    u16::try_from(lines.saturating_sub(usize::from(inner.height))).unwrap_or(u16::MAX)
}

/// How far the charge on screen (beside the table, instead of it, or as a charge
/// pane) can scroll in a screen of `screen`. A pure function of the model, so that
/// `update` clamps scroll keys to exactly what `draw` shows.
pub fn max_scroll(model: &Model, screen: Rect) -> u16 {
    let Some(area) = crate::app::layout::regions(screen, model).detail else {
        return 0;
    };
    let Some((detail, Shown::Charge(charge), _)) = model.screens.shown_detail() else {
        return 0;
    };
    let inner = text_area(area);
    let lines = content(model, detail, charge, &Theme::default(), inner).len();
    last_top(lines, inner)
}

/// The gateway's JSON, keys set apart from values.
fn raw_lines(
    charge: &Charge,
    fetched: Option<&Loadable<RawJson>>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    // A charge read from the local store has no JSON of its own: it is fetched.
    let pretty = match (charge.raw.as_str().is_empty(), fetched) {
        (true, Some(Loadable::Loading)) => {
            return vec![Line::styled("fetching the gateway's JSON…", theme.dim)];
        }
        (true, Some(Loadable::Failed(why))) => {
            return vec![Line::styled(
                format!(
                    "the JSON is not kept locally, and the gateway did not send it: {}",
                    clean(why)
                ),
                theme.warn,
            )];
        }
        (true, Some(Loadable::Loaded(raw))) => raw.pretty(),
        _ => charge.raw.pretty(),
    };
    if pretty.is_empty() {
        return vec![Line::styled(
            "the gateway sent no JSON for this charge",
            theme.dim,
        )];
    }
    pretty
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            match trimmed
                .strip_prefix('"')
                .and_then(|rest| rest.split_once("\": "))
            {
                Some((key, value)) => Line::from(vec![
                    Span::raw(indent.to_string()),
                    Span::styled(format!("\"{}\"", clean(key)), theme.accent),
                    Span::raw(format!(": {}", clean(value))),
                ]),
                None => Line::raw(clean(line).into_owned()),
            }
        })
        .collect()
}

/// A field's `value` with `more` beside it (two cells apart) where both fit in
/// `width`, else `more` on a line of its own under the value: never cut at the edge.
fn beside_or_under(
    label: &'static str,
    value: String,
    more: Option<Vec<Span<'static>>>,
    width: usize,
) -> Vec<(&'static str, Vec<Span<'static>>)> {
    let Some(more) = more else {
        return vec![(label, vec![Span::raw(value)])];
    };
    let more_width: usize = more.iter().map(Span::width).sum();
    if format::width(&value) + 2 + more_width <= width {
        let gap = Span::styled("  ", more.first().map_or_else(Style::new, |s| s.style));
        let mut spans = vec![Span::raw(value), gap];
        spans.extend(more);
        vec![(label, spans)]
    } else {
        vec![(label, vec![Span::raw(value)]), ("", more)]
    }
}

fn field_lines(
    model: &Model,
    detail: &ChargeDetail,
    charge: &Charge,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let value_width = width.saturating_sub(LABEL + 1).max(8);
    let mut lines = Vec::new();
    let mut field = |label: &str, spans: Vec<Span<'static>>| {
        let mut all = vec![Span::styled(format!("{label:<LABEL$} "), theme.dim)];
        all.extend(spans);
        lines.push(Line::from(all));
    };
    let text = |s: String| vec![Span::raw(s)];
    let none = || vec![Span::styled("—", theme.dim)];
    let opt = |s: &Option<String>| match s {
        Some(s) if !s.is_empty() => vec![Span::raw(clean(s).into_owned())],
        _ => none(),
    };

    field(
        "status",
        vec![Span::styled(
            charge.status.label(),
            theme.status(charge.status),
        )],
    );
    field(
        "created",
        text(format::full_time(charge.created, model.zone)),
    );
    field("amount", text(charge.amount.to_string()));
    let at = charge
        .captured_at
        .map(|at| format::full_time(at, model.zone));
    let at = at.map(|at| vec![Span::styled(at, theme.dim)]);
    for (label, spans) in beside_or_under("captured", charge.captured.to_string(), at, value_width)
    {
        field(label, spans);
    }
    // Authorised money let go uncaptured, and what is still held: neither is a refund.
    if charge.released.is_positive() {
        field("released", text(charge.released.to_string()));
    }
    if charge.status == ChargeStatus::Authorised {
        field("still held", text(charge.held().to_string()));
    }
    // What was refunded, what is left, and whether a refund is still on its way.
    let mut left = vec![
        Span::styled("refundable ", theme.dim),
        Span::raw(charge.refundable().to_string()),
    ];
    if charge.refund_pending {
        left.push(Span::styled("  refund pending", theme.warn));
    }
    let refunded = charge.refunded.to_string();
    for (label, spans) in beside_or_under("refunded", refunded, Some(left), value_width) {
        field(label, spans);
    }
    field("email", opt(&charge.email));
    let description = charge.description.clone().unwrap_or_default();
    let mut description_lines = format::wrap(&description, value_width).into_iter();
    match description_lines.next() {
        Some(first) if !first.is_empty() => field("description", text(first)),
        _ => field("description", none()),
    }
    for more in description_lines {
        field("", text(more));
    }
    match &charge.customer_id {
        Some(id) if !id.is_empty() => {
            let mut spans = vec![Span::raw(clean(id).into_owned())];
            let key = model.keymap.keys_for(Intent::OpenCustomer);
            if !key.is_empty() && offers::on_charge(model, charge, Act::OpenCustomer).is_ok() {
                spans.push(Span::raw("  "));
                spans.push(Span::styled(key, theme.key));
                spans.push(Span::styled(" open customer", theme.dim));
            }
            field("customer", spans);
        }
        _ => field("customer", none()),
    }
    field(
        "card",
        charge
            .card
            .as_ref()
            .map_or_else(none, |c| text(format::card_long(c))),
    );
    field("ip", opt(&charge.ip));
    if charge.metadata.is_empty() {
        field("metadata", none());
    }
    for (i, (key, value)) in charge.metadata.iter().enumerate() {
        let label = if i == 0 { "metadata" } else { "" };
        field(
            label,
            vec![
                Span::styled(format!("{} ", clean(key)), theme.dim),
                Span::raw(clean(value).into_owned()),
            ],
        );
    }
    if let Some(failure) = &charge.failure {
        field(
            "failure",
            vec![Span::styled(clean(&failure.code).into_owned(), theme.error)],
        );
        for line in format::wrap(&failure.message, value_width) {
            field("", text(line));
        }
    }
    if let Some(until) = charge.authorisation_expires {
        let left = until - model.now;
        let style = if left <= TimeDelta::zero() {
            theme.error
        } else if left < TimeDelta::days(1) {
            theme.warn
        } else {
            theme.text
        };
        field(
            "auth expires",
            vec![
                Span::raw(format::full_time(until, model.zone)),
                Span::raw("  "),
                Span::styled(format::countdown(until, model.now), style),
            ],
        );
    }

    match &detail.dispute {
        Loadable::Loaded(None) => {}
        Loadable::Loading => {
            lines.push(Line::raw(""));
            lines.push(Line::styled("dispute  loading…", theme.dim));
        }
        Loadable::Failed(why) => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                format!("dispute  could not load it: {}", clean(why)),
                theme.error,
            ));
        }
        Loadable::Loaded(Some(dispute)) => {
            lines.push(Line::raw(""));
            lines.push(Line::from(vec![
                Span::styled("dispute  ", theme.title),
                Span::styled(
                    clean(dispute.status.label()).into_owned(),
                    crate::ui::screens::disputes::status_style(theme, &dispute.status),
                ),
                Span::raw(format!("  {} {}  ", clean(&dispute.reason), dispute.amount)),
                Span::styled(clean(&dispute.id).into_owned(), theme.dim),
            ]));
            if dispute.status.needs_response() {
                lines.push(Line::from(vec![
                    Span::raw("         respond within "),
                    Span::styled(
                        crate::ui::screens::disputes::due(dispute, model.now),
                        theme.warn,
                    ),
                    Span::styled("  e evidence · A accept", theme.dim),
                ]));
            }
        }
    }

    lines.extend(super::charge_settlement::lines(
        model, detail, charge, theme,
    ));
    lines.push(Line::raw(""));
    lines.push(Line::styled("actions", theme.title));
    lines.extend(action_lines(model, charge, theme, width));
    lines.push(Line::raw(""));
    lines.push(Line::styled("refunds", theme.title));
    match &detail.refunds {
        Loadable::Loading => lines.push(Line::styled("  loading refunds…", theme.dim)),
        Loadable::Failed(why) => lines.push(Line::styled(
            format!("  could not load refunds: {}", clean(why)),
            theme.error,
        )),
        Loadable::Loaded(list) if list.is_empty() => lines.push(Line::styled("  none", theme.dim)),
        Loadable::Loaded(list) => lines.extend(refund_lines(list, theme, width, model.zone)),
    }

    lines
}

fn refund_lines(list: &[Refund], theme: &Theme, width: usize, zone: Zone) -> Vec<Line<'static>> {
    let amount_width = list
        .iter()
        .map(|r| format::width(&r.amount.to_string()))
        .max()
        .unwrap_or(0);
    list.iter()
        .map(|r| {
            let status_style = match r.status {
                RefundStatus::Succeeded => theme.success,
                RefundStatus::Pending => theme.warn,
                RefundStatus::Failed => theme.error,
            };
            let mut spans = vec![
                Span::raw("  "),
                Span::raw(format::short_time(r.created, zone)),
                Span::raw("  "),
                Span::raw(format!("{:>amount_width$}", r.amount.to_string())),
                Span::raw("  "),
                Span::styled(format!("{:<9}", r.status.label()), status_style),
                Span::raw("  "),
                Span::styled(clean(&r.id).into_owned(), theme.dim),
            ];
            if let Some(why) = r.error_message.as_ref().or(r.reason.as_ref()) {
                let used: usize = spans.iter().map(|s| s.width()).sum::<usize>() + 2;
                let why = format::truncate(why, width.saturating_sub(used));
                if !why.is_empty() {
                    spans.push(Span::styled(format!("  {why}"), theme.dim));
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// Each action with its key, and "offered" or why not.
pub fn action_lines(
    model: &Model,
    charge: &Charge,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let caps = &model.session.caps;
    let mut acts = vec![
        (Act::Capture, "capture"),
        (Act::Void, caps.void_name),
        (Act::Refund, "refund"),
    ];
    // A charge waiting on 3-D Secure can be asked to finish it.
    if charge.status == ChargeStatus::Pending3ds {
        acts.push((Act::Verify3ds, "verify 3DS"));
    }
    let rows: Vec<(String, &str, (String, Style))> = acts
        .into_iter()
        .map(|(act, name)| {
            let verdict = match offers::on_charge(model, charge, act) {
                Ok(()) => ("offered".into(), theme.success),
                Err(refusal @ Refusal::InFlight { .. }) => (refusal.verdict(), theme.warn),
                Err(refusal) => (refusal.verdict(), theme.dim),
            };
            let key = act.intent().map(|i| model.keymap.keys_for(i));
            (key.unwrap_or_default(), name, verdict)
        })
        .collect();
    let key_width = rows
        .iter()
        .map(|(key, _, _)| format::width(key))
        .max()
        .unwrap_or(1);
    let name_width = rows
        .iter()
        .map(|(_, name, _)| format::width(name))
        .max()
        .unwrap_or(6);
    let mut lines = Vec::new();
    for (key, name, (verdict, style)) in rows {
        let indent = key_width + name_width + 6;
        let mut verdict = format::wrap(&verdict, width.saturating_sub(indent)).into_iter();
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("{key:<key_width$}"), theme.key),
            Span::raw("  "),
            Span::raw(format!("{name:<name_width$}")),
            Span::raw("  "),
            Span::styled(verdict.next().unwrap_or_default(), style),
        ]));
        for more in verdict {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::styled(more, style),
            ]));
        }
    }
    lines
}
