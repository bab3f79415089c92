//! One customer: contact fields, saved cards, subscriptions, and below them the
//! customer's charges in the same table as the charges pane. The section that has the
//! keys has the bright border and the bright selection.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use crate::app::Model;
use crate::app::layout::customer_layout;
use crate::app::model::Loadable;
use crate::app::screens::short_list::ShortList;
use crate::app::screens::{CustomerPane, Section};
use crate::domain::{Card, Customer, Plan, Subscription, SubscriptionState};
use crate::timezone::Zone;
use crate::ui::format;
use crate::ui::safe_text;
use crate::ui::screens::charges;
use crate::ui::theme::Theme;

/// Label column of the contact box.
const LABEL: usize = 8;

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, body: Rect, pane: &CustomerPane) {
    let parts = customer_layout(body, pane);
    contact(model, theme, frame, parts.contact, pane);
    cards(model, theme, frame, parts.cards, pane);
    subscriptions(model, theme, frame, parts.subscriptions, pane);
    charges(
        model,
        theme,
        frame,
        parts.charges,
        parts.charges_table,
        pane,
    );
}

/// A rounded box with `title`, bright when it has the keys.
fn boxed<'a>(theme: &Theme, title: Vec<Span<'a>>, focused: bool) -> Block<'a> {
    let mut spans = vec![Span::raw(" ")];
    spans.extend(title);
    spans.push(Span::raw(" "));
    Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.border_of(focused))
        .title(Line::from(spans))
}

/// The inside of a box, a cell in from each side.
fn inside(block: &Block, area: Rect) -> Rect {
    let inner = block.inner(area);
    Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// What a box says while its contents are not there.
fn not_loaded<T>(theme: &Theme, what: &str, loadable: &Loadable<T>) -> Option<Line<'static>> {
    match loadable {
        Loadable::Loaded(_) => None,
        Loadable::Loading => Some(Line::styled(format!("loading {what}…"), theme.dim)),
        Loadable::Failed(why) => Some(Line::styled(
            format!("could not load {what}: {}", safe_text::clean(why)),
            theme.error,
        )),
    }
}

fn contact(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &CustomerPane) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let block = boxed(theme, vec![Span::styled("contact", theme.title)], false);
    let customer = match &pane.customer {
        Loadable::Loaded(customer) => customer,
        other => {
            let line = not_loaded(theme, "the customer", other).unwrap_or_default();
            note(frame, area, block, line);
            return;
        }
    };
    let inner = inside(&block, area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width).saturating_sub(LABEL + 1);
    frame.render_widget(
        Paragraph::new(contact_lines(customer, theme, width, model.zone)),
        inner,
    );
}

fn contact_lines(c: &Customer, theme: &Theme, width: usize, zone: Zone) -> Vec<Line<'static>> {
    let field = |label: &str, value: Option<&str>, style: Style| {
        let value = match value {
            Some(v) if !v.trim().is_empty() => Span::styled(format::truncate(v, width), style),
            _ => Span::styled("—", theme.dim),
        };
        Line::from(vec![
            Span::styled(format!("{label:<LABEL$} "), theme.dim),
            value,
        ])
    };
    let name = match (&c.first_name, &c.last_name) {
        (None, None) => None,
        _ => Some(c.display_name()),
    };
    // Notes on one line: the box is small, and the raw JSON has them whole.
    let notes = c.notes.as_deref().map(|n| n.replace('\n', " "));
    vec![
        field("name", name.as_deref(), theme.title),
        field("email", Some(&c.email), theme.text),
        field("phone", c.phone.as_deref(), theme.text),
        field("company", c.company.as_deref(), theme.text),
        field("notes", notes.as_deref(), theme.text),
        field(
            "created",
            Some(&format::full_time(c.created, zone)),
            theme.text,
        ),
        field("id", Some(&c.id), theme.dim),
    ]
}

/// The rows from which a box of `rows` rows shows `selected`.
fn window(selected: usize, len: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if len <= rows {
        0
    } else {
        selected.saturating_sub(rows - 1).min(len - rows)
    }
}

/// Rows of a box, the selected one highlighted (brightly when the box has the keys),
/// and how many are above and below.
fn draw_rows(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    block: Block,
    lines: Vec<Line<'static>>,
    selected: usize,
    focused: bool,
) {
    let inner_rows = usize::from(area.height.saturating_sub(2));
    let first = window(selected, lines.len(), inner_rows);
    let below = lines.len().saturating_sub(first + inner_rows);
    let block = if below > 0 {
        block.title_bottom(Line::styled(format!(" ↓ {below} more "), theme.dim).right_aligned())
    } else {
        block
    };
    let block = if first > 0 {
        block.title_bottom(Line::styled(format!(" ↑ {first} "), theme.dim).left_aligned())
    } else {
        block
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let highlight = if focused {
        theme.selected
    } else {
        theme.selected_unfocused
    };
    for (i, line) in lines.into_iter().enumerate().skip(first).take(inner_rows) {
        // A cell clear of the right border, as of the left one.
        let row = Rect {
            y: inner.y + (i - first) as u16,
            height: 1,
            width: inner.width.saturating_sub(1),
            ..inner
        };
        let style = if i == selected {
            highlight
        } else {
            Style::new()
        };
        frame.render_widget(Paragraph::new(line).style(style), row);
    }
}

/// A box of one of the customer's short lists, titled `what` with how many there are:
/// why there is nothing to show (`none` when there is none), or its rows, `lines`
/// drawing them.
fn list_box<T>(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    (what, none): (&str, &str),
    list: &ShortList<T>,
    focused: bool,
    lines: impl FnOnce(&[T]) -> Vec<Line<'static>>,
) {
    let mut title = vec![Span::styled(what.to_string(), theme.title)];
    if let Loadable::Loaded(items) = &list.items {
        title.push(Span::styled(format!(" {}", items.len()), theme.dim));
    }
    let block = boxed(theme, title, focused);
    let why = match &list.items {
        Loadable::Loaded(items) if items.is_empty() => Line::styled(none.to_string(), theme.dim),
        Loadable::Loaded(items) => {
            draw_rows(theme, frame, area, block, lines(items), list.row, focused);
            return;
        }
        other => not_loaded(theme, what, other).unwrap_or_default(),
    };
    note(frame, area, block, why);
}

/// A box with one line in it.
fn note(frame: &mut Frame, area: Rect, block: Block, line: Line) {
    let inner = inside(&block, area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(line), inner);
}

fn cards(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &CustomerPane) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let width = usize::from(area.width.saturating_sub(2));
    let focused = pane.section == Section::Cards;
    list_box(
        theme,
        frame,
        area,
        ("cards", "no saved cards"),
        &pane.cards,
        focused,
        |cards| {
            let line = |card| card_line(model, theme, card, width);
            cards.iter().map(line).collect()
        },
    );
}

/// `★ Visa ••4242  09/27  expired  card_…`.
fn card_line(model: &Model, theme: &Theme, card: &Card, width: usize) -> Line<'static> {
    let expired = card.is_expired(model.now);
    let spans = vec![
        Span::raw(" "),
        if model.busy.contains_key(&card.id) {
            Span::styled("…", theme.warn)
        } else if card.primary {
            Span::styled("★", theme.accent)
        } else {
            Span::raw(" ")
        },
        Span::raw(" "),
        Span::raw(format!(
            "{:<5}••{}",
            format::brand_short(card.brand),
            safe_text::clean(&card.last4)
        )),
        Span::raw("  "),
        Span::styled(
            format::expiry(card.expiry_month, card.expiry_year),
            if expired { theme.warn } else { theme.text },
        ),
        Span::raw("  "),
        if expired {
            Span::styled("expired", theme.warn)
        } else {
            Span::raw("       ")
        },
    ];
    with_id(spans, &card.id, width, theme)
}

/// A row of a box, its id last where at least six cells are left for it.
fn with_id(mut spans: Vec<Span<'static>>, id: &str, width: usize, theme: &Theme) -> Line<'static> {
    let used: usize = spans.iter().map(Span::width).sum();
    let room = width.saturating_sub(used + 3);
    if room >= 6 {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(format::truncate(id, room), theme.dim));
    }
    Line::from(spans)
}

/// Trial cyan, active green, cancelling amber, cancelled grey, past due red.
pub fn subscription_style(theme: &Theme, state: &SubscriptionState) -> Style {
    match state {
        SubscriptionState::Trial => theme.accent,
        SubscriptionState::Active => theme.success,
        SubscriptionState::Cancelling => theme.warn,
        SubscriptionState::Cancelled => theme.dim,
        SubscriptionState::PastDue => theme.error,
        SubscriptionState::Other(_) => theme.text,
    }
}

fn subscriptions(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect, pane: &CustomerPane) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let focused = pane.section == Section::Subscriptions;
    if !model.session.caps.subscriptions {
        let block = boxed(
            theme,
            vec![Span::styled("subscriptions", theme.title)],
            focused,
        );
        let text = format!("{} has no subscriptions here", model.session.gateway);
        note(frame, area, block, Line::styled(text, theme.dim));
        return;
    }
    // Inside the borders, less the cell kept clear of the right one (see `draw_rows`).
    let width = usize::from(area.width.saturating_sub(3));
    let lines = |list: &[Subscription]| {
        // In order of importance, each part gets the width it needs: the state, the
        // plan (name and price), the next or last billing date, then the subscription id.
        let plan_width = list
            .iter()
            .map(|s| format::width(&plan_text(s)))
            .max()
            .unwrap_or(0)
            .min(width.saturating_sub(PLAN_START).max(8));
        list.iter()
            .map(|s| subscription_line(model, theme, s, width, plan_width))
            .collect()
    };
    let what = ("subscriptions", "no subscriptions");
    list_box(
        theme,
        frame,
        area,
        what,
        &pane.subscriptions,
        focused,
        lines,
    );
}

/// Columns before the plan: the busy mark, a space, the state (10) and a space.
const PLAN_START: usize = 13;
/// `ended 2026-12-01`: the widest billing date.
const WHEN_WIDTH: usize = 16;

/// `Gold monthly · A$49.00/month` where the gateway gave the plan, else its id.
fn plan_text(s: &Subscription) -> String {
    let text = s
        .plan
        .as_ref()
        .map_or_else(|| s.plan_id.clone(), Plan::label);
    safe_text::clean(&text).into_owned()
}

/// `active      Gold monthly · A$49.00/month  next 2026-12-01  sub_…`.
fn subscription_line(
    model: &Model,
    theme: &Theme,
    s: &Subscription,
    width: usize,
    plan_width: usize,
) -> Line<'static> {
    let mark = if model.busy.contains_key(&s.id) {
        Span::styled("…", theme.warn)
    } else {
        Span::raw(" ")
    };
    let when = match (&s.state, s.next_billing, s.cancelled_at) {
        (SubscriptionState::Cancelled, _, Some(at)) => {
            format!("ended {}", format::date(at, model.zone))
        }
        (SubscriptionState::Cancelling, Some(at), _) => {
            format!("ends {}", format::date(at, model.zone))
        }
        (_, Some(at), _) => format!("next {}", format::date(at, model.zone)),
        (_, None, _) => String::new(),
    };
    let mut spans = vec![
        mark,
        Span::raw(" "),
        Span::styled(
            format!("{:<10}", safe_text::clean(s.state.label())),
            subscription_style(theme, &s.state),
        ),
        Span::raw(" "),
        Span::raw(format!(
            "{:<plan_width$}",
            format::truncate(&plan_text(s), plan_width)
        )),
    ];
    let used: usize = spans.iter().map(Span::width).sum();
    if width.saturating_sub(used) > WHEN_WIDTH {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!("{when:<WHEN_WIDTH$}"), theme.text));
    }
    with_id(spans, &s.id, width, theme)
}

/// The customer's charges: a title rule (bright while they have the keys) with how many
/// there are, then the same table as the charges pane.
fn charges(
    model: &Model,
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    table: Rect,
    pane: &CustomerPane,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let focused = pane.section == Section::Charges;
    let list = &pane.charges;
    let mut title = vec![Span::raw(" "), Span::styled("charges", theme.title)];
    if pane.charges.loaded || !list.is_empty() {
        let shown = list.visible_len() as u64;
        let held = list.len() as u64;
        let count = if shown == held {
            format!(" {}", format::count(held))
        } else {
            format!(" {} of {}", format::count(shown), format::count(held))
        };
        title.push(Span::styled(count, theme.dim));
        if pane.charges.next.is_some() {
            title.push(Span::styled(" · more on the gateway", theme.dim));
        }
    }
    if pane.charges.loading {
        title.push(Span::styled(
            format!(" {}", format::spinner(model.spinner)),
            theme.accent,
        ));
    }
    title.push(Span::raw(" "));
    let rule = Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border_of(focused))
        .title(Line::from(title));
    frame.render_widget(
        rule,
        Rect {
            height: area.height.min(1),
            ..area
        },
    );
    charges::draw_list(model, theme, frame, table, list, (focused, false), || {
        if !list.is_empty() {
            (
                format!(
                    "no charges of this customer's match {}",
                    pane.charges.filter_text.trim()
                ),
                theme.dim,
            )
        } else if pane.charges.loading || !pane.charges.loaded {
            ("loading the customer's charges…".to_string(), theme.dim)
        } else {
            ("no charges for this customer yet".to_string(), theme.dim)
        }
    });
}
