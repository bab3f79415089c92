//! Snapshots of what the screen offers on gateways that cannot do everything: the help,
//! the command line, a customer on a gateway without subscriptions, and what a search
//! found on the gateway and here.

use ratatui::buffer::Buffer;
use ratatui::style::Color;

use super::test_customers;
use super::test_support::snap;
use super::test_support::{self, model, render};
use super::theme::Theme;
use crate::app::Model;
use crate::app::model::{Loadable, Mode, SearchNote};
use crate::app::screens::{Pane, Section};
use crate::test_gateways::{NO_CUSTOMERS, WITH_DISPUTES};

fn text_of(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn without_customers(m: &mut Model) {
    m.session.caps = NO_CUSTOMERS.caps;
    m.session.gateway = NO_CUSTOMERS.label;
}

#[test]
fn help_lists_only_what_the_gateway_can_do() {
    snap!("help_without_customers", |m| {
        without_customers(m);
        m.mode = Mode::Help { scroll: 0 };
    });
    let mut m = model(160, 48);
    without_customers(&mut m);
    m.mode = Mode::Help { scroll: 0 };
    let text = text_of(render(&m, &Theme::dark()).backend().buffer());
    for absent in [
        ":customers",
        "delete a saved card",
        "open the charge's customer",
    ] {
        assert!(
            !text.contains(absent),
            "{absent} offered without customers:\n{text}"
        );
    }
    assert!(
        text.contains(":refunds") && text.contains(":disputes"),
        "{text}"
    );
}

#[test]
fn the_command_line_shows_what_tab_would_choose_from() {
    snap!("command_choices", |m| {
        m.mode = test_support::command_line("c", None);
    });
}

#[test]
fn no_subscriptions_is_said_plainly_not_as_an_error() {
    let setup = |m: &mut Model| {
        m.session.caps = WITH_DISPUTES.caps;
        m.session.gateway = WITH_DISPUTES.label;
        test_customers::open_ada(m, Section::Subscriptions);
        if let Some(Pane::Customer(pane)) = m.screens.top_mut() {
            pane.subscriptions.items = Loadable::Loaded(Vec::new());
        }
    };
    snap!("customer_without_subscriptions", setup);
    let mut m = model(160, 48);
    setup(&mut m);
    let buffer = test_support::drawn_buffer(&m);
    let note = format!("{} has no subscriptions here", WITH_DISPUTES.label);
    assert_eq!(test_support::cell_of(&buffer, &note).fg, Color::DarkGray);
}

#[test]
fn the_filter_bar_says_what_the_gateway_found_and_what_was_matched_here() {
    let setup = |m: &mut Model| {
        m.screens.charges.list.filter_text = "7058".into();
        m.screens.charges.search_note = Some(SearchNote {
            found: 1,
            more: 6,
            held: 3000,
        });
    };
    snap!("search_note", setup);
    let mut m = model(40, 10);
    setup(&mut m);
    let text = text_of(render(&m, &Theme::dark()).backend().buffer());
    assert!(
        text.contains("+6 loaded"),
        "the short form at 40 columns:\n{text}"
    );
}

#[test]
fn the_customers_filter_says_how_far_its_search_has_got() {
    let mut m = model(80, 24);
    m.screens
        .push(Pane::Customers(test_customers::customers_pane()));
    if let Some(Pane::Customers(pane)) = m.screens.top_mut() {
        pane.list.set_filter("nobody", |_| false);
        pane.list.loading = true;
        pane.list.next = Some(crate::domain::Cursor::Page(2));
        pane.list.total = Some(300);
    }
    let text = text_of(render(&m, &Theme::dark()).backend().buffer());
    let held = match m.screens.top() {
        Some(Pane::Customers(pane)) => pane.list.len(),
        _ => unreachable!(),
    };
    assert!(
        text.contains(&format!("searching {held} of 300 loaded for nobody…")),
        "{text}"
    );
}
