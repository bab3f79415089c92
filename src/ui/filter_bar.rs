//! The filter bar of whichever list is on top: the filter being typed, with the syntax
//! as a reminder and what is wrong with it; or the filter in force, with how many rows
//! it lets through.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::format;
use super::input_field;
use super::theme::Theme;
use crate::app::filter_query::{HINT, REFUNDS_HINT};
use crate::app::model::{Mode, Model};
use crate::app::screens::stack::FilterKind;
use crate::app::store_window::StoreWindow;
use crate::store::query::{CurrencyTotals, Totals};

/// What the filter bar of the list on top says when nothing is typed.
const CUSTOMERS_HINT: &str = "name or email";

/// The list on top's filter: its syntax, its text in force, and (shown, held). A
/// screen without a filter shows the charges list's, as it has no filter bar.
fn of(model: &Model) -> (&'static str, &str, (usize, usize), bool) {
    let charges = &model.screens.charges;
    match model.screens.filter() {
        Some(f) => {
            let hint = match f.kind {
                FilterKind::Charges => HINT,
                FilterKind::Refunds => REFUNDS_HINT,
                FilterKind::Customers => CUSTOMERS_HINT,
            };
            (hint, f.text, (f.shown, f.held), f.searching)
        }
        None => (
            HINT,
            &charges.list.filter_text,
            (charges.list.visible_len(), charges.list.len()),
            charges.searching,
        ),
    }
}

/// Whether the filter bar is the charges list's (whose search says where results came
/// from).
fn on_charges(model: &Model) -> bool {
    model.screens.filter().is_none_or(|f| f.on_charges)
}

/// What the filter lets through, each number named: `12 match · 2,000 loaded`.
fn counts(model: &Model, text: &str, shown: u64, held: u64) -> String {
    if on_charges(model)
        && (model.screens.charges.stash.is_some() || model.screens.charges.search_note.is_some())
    {
        // A search's results: where they came from is said beside this.
        return format!("{} match ", format::count(shown));
    }
    if text.trim().is_empty() {
        return format!("{} loaded ", format::count(held));
    }
    format!(
        "{} match · {} loaded ",
        format::count(shown),
        format::count(held)
    )
}

/// The filter's totals from the store and which source answered, as much as fits in
/// `room` cells: every currency's gross, refunded and net, in words or in short; else
/// each net; else the count alone. Until the whole totals come, a short needle's
/// sums over the newest charges are shown as only those: `12 of the newest 50,000
/// charges · … · counting the rest…`.
fn store_totals(model: &Model, window: &StoreWindow, room: usize) -> String {
    let source = window.source(model.session.gateway, model.screens.charges.searching);
    let pending = window.totals_pending();
    if let Some(totals) = &window.totals {
        let count = format::plural(totals.count, "charge", "charges");
        let short = format::count(totals.count);
        return fit(&totals_forms(totals, &source, [&count, &short], None), room);
    }
    let scanned = window
        .partial
        .as_ref()
        .and_then(|p| Some((&p.totals, p.short_text?.looked_at)));
    if let Some((totals, looked_at)) = scanned {
        let (count, looked_at) = (format::count(totals.count), format::count(looked_at));
        let long = format!("{count} of the newest {looked_at} charges");
        let short = format!("{count} of newest {looked_at}");
        let tail = pending.then_some("counting the rest…");
        let mut forms = totals_forms(totals, &source, [&long, &short], tail);
        forms.push(format!("{count}+ "));
        return fit(&forms, room);
    }
    let computing = if pending { "totals…" } else { "no totals" };
    fit(
        &[
            format!("{computing} · {source} "),
            format!("{computing} "),
            String::new(),
        ],
        room,
    )
}

/// The forms of the filter line's totals, longest first: `count` (long and short)
/// with every currency's sums, then each net, then the count alone; `tail` (work
/// still on its way) after the sums.
fn totals_forms(
    totals: &Totals,
    source: &str,
    [count, short]: [&str; 2],
    tail: Option<&str>,
) -> Vec<String> {
    let each = |f: &dyn Fn(&CurrencyTotals) -> String| {
        totals
            .by_currency
            .iter()
            .map(f)
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let sums = each(&|t| {
        format!(
            "{} gross − {} refunded = {} net",
            t.gross, t.refunded, t.net
        )
    });
    let compact = format!(
        "gross − refunded = net: {}",
        each(&|t| format!("{} − {} = {}", t.gross, t.refunded, t.net))
    );
    let nets = each(&|t| format!("{} net", t.net));
    let joined = |parts: [&str; 3]| {
        let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        parts.join(" · ")
    };
    let with = |rest: &str| joined([count, rest, tail.unwrap_or_default()]);
    vec![
        format!("{} · {source} ", with(&sums)),
        format!("{} · {source} ", with(&compact)),
        format!("{} ", with(&compact)),
        format!("{} · {source} ", with(&nets)),
        format!("{} ", with(&nets)),
        // The nets rather than the tail, where not both fit.
        format!("{} ", joined([count, &nets, ""])),
        format!("{} ", with("")),
        format!("{count} "),
        format!("{short} "),
    ]
}

/// The first of `forms` (longest first) that fits in `room` cells, else the last.
fn fit(forms: &[String], room: usize) -> String {
    forms
        .iter()
        .find(|f| format::width(f) <= room)
        .or(forms.last())
        .cloned()
        .unwrap_or_default()
}

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.width < 4 || area.height == 0 {
        return;
    }
    let (hint, text, (shown, held), searching) = of(model);
    let on_charges = on_charges(model);
    frame.render_widget(Paragraph::new(Span::styled(" /", theme.key)), area);
    let rest = Rect {
        x: area.x + 3,
        width: area.width - 3,
        ..area
    };
    match &model.mode {
        Mode::Filter { input, error } => {
            let input_area = match error {
                Some(error) => {
                    // The error gets what the text does not need, but at least half.
                    let needed =
                        u16::try_from(format::width(input.value()) + 2).unwrap_or(u16::MAX);
                    let input_width = needed.max(12).min(rest.width / 2);
                    let input_area = Rect {
                        width: input_width,
                        ..rest
                    };
                    let error_area = Rect {
                        x: rest.x + input_width + 1,
                        width: rest.width.saturating_sub(input_width + 1),
                        ..rest
                    };
                    let text =
                        format::truncate(error, usize::from(error_area.width.saturating_sub(1)));
                    frame
                        .render_widget(Paragraph::new(Span::styled(text, theme.error)), error_area);
                    input_area
                }
                None => rest,
            };
            input_field::draw(
                frame,
                input_area,
                input,
                theme.text,
                Some((hint, theme.dim)),
                true,
            );
        }
        _ => {
            let (shown, held) = (shown as u64, held as u64);
            let mut right = Vec::new();
            if searching {
                right.push(Span::styled(
                    format!("{} searching… ", format::spinner(model.spinner)),
                    theme.accent,
                ));
            }
            let room = usize::from(rest.width).saturating_sub(format::width(text).min(12) + 1);
            let over_store = model.screens.charges.store.as_ref().filter(|_| on_charges);
            let counts = match over_store {
                Some(window) => {
                    right.clear();
                    store_totals(model, window, room)
                }
                None => counts(model, text, shown, held),
            };
            if let (Some(note), true, None) =
                (model.screens.charges.search_note, on_charges, over_store)
            {
                // The long form where it leaves room for the filter text, else short.
                let long = format!(
                    "{} found {} · {} more among {} loaded · ",
                    model.session.gateway,
                    format::count(note.found as u64),
                    format::count(note.more as u64),
                    format::count(note.held as u64)
                );
                let short = format!("+{} loaded · ", format::count(note.more as u64));
                let room = usize::from(rest.width).saturating_sub(format::width(&counts) + 12);
                if format::width(&long) <= room {
                    right.push(Span::styled(long, theme.dim));
                } else if format::width(&short) <= room {
                    right.push(Span::styled(short, theme.dim));
                }
            }
            right.push(Span::styled(counts, theme.dim));
            let right = Line::from(right);
            let right_width = u16::try_from(right.width())
                .unwrap_or(u16::MAX)
                .min(rest.width);
            let text_width = rest.width.saturating_sub(right_width + 1);
            let text = format::truncate(text, usize::from(text_width));
            frame.render_widget(Paragraph::new(Span::styled(text, theme.text)), rest);
            let right_area = Rect {
                x: rest.x + rest.width - right_width,
                width: right_width,
                ..rest
            };
            frame.render_widget(Paragraph::new(right), right_area);
        }
    }
}
