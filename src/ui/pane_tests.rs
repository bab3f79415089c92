//! Snapshots of the customers, customer, refunds and charge panes, the breadcrumb, and
//! the confirmation and new-charge dialogs, at 80×24 and 160×48; and where the list
//! that has the keys is, for paging.

use ratatui::layout::Rect;
use ratatui::style::Color;
use tui_input::Input;

use super::test_customers::{self, ADA};
use super::test_support::snap;
use super::test_support::{self, model, render};
use super::theme::Theme;
use crate::app::Model;
use crate::app::dialogs::DialogState;
use crate::app::dialogs::confirm::{ConfirmDialog, Irreversible};
use crate::app::dialogs::new_charge::{ChargeField, NewChargeDialog};
use crate::app::layout::{self, list_body_rows};
use crate::app::model::{Loadable, Mode};
use crate::app::screens::{Pane, RefundFilter, Section, customer_matches};
use crate::app::sort::{RowOrder, Sort};
use crate::domain::RefundStatus;
use crate::money::Currency;

const PENDING_3DS: &str = "ch_5HgF3dSa1QwE8rTy2UiO6p";

fn screen(m: &Model) -> String {
    render(m, &Theme::dark()).backend().to_string()
}

fn customer(m: &mut Model) -> &mut crate::app::screens::CustomerPane {
    match m.screens.top_mut() {
        Some(Pane::Customer(pane)) => pane,
        _ => panic!("no customer pane on top"),
    }
}

#[test]
fn customers_loaded() {
    snap!("customers", |m| {
        let mut pane = test_customers::customers_pane();
        pane.list.move_by(2);
        m.screens.push(Pane::Customers(pane));
    });
}

#[test]
fn customers_loading() {
    snap!("customers_loading", |m| {
        let mut pane = crate::app::screens::CustomersPane::default();
        pane.list.loading = true;
        m.screens.push(Pane::Customers(pane));
    });
}

#[test]
fn customers_failed() {
    let mut m = model(80, 24);
    let mut pane = crate::app::screens::CustomersPane::default();
    pane.list.error = Some("HTTP 503 from the gateway".into());
    m.screens.push(Pane::Customers(pane));
    assert!(screen(&m).contains("could not load customers: HTTP 503 from the gateway"));
}

#[test]
fn customers_filtered() {
    snap!("customers_filtered", |m| {
        let mut pane = test_customers::customers_pane();
        pane.list
            .set_filter("example.jp", customer_matches("example.jp"));
        m.screens.push(Pane::Customers(pane));
    });
}

#[test]
fn customers_filter_being_typed() {
    snap!("customers_filter_typing", |m| {
        m.screens
            .push(Pane::Customers(test_customers::customers_pane()));
        m.mode = test_support::filter_bar("", None);
    });
}

#[test]
fn customer_charges_section() {
    snap!("customer_charges", |m| {
        test_customers::open_ada(m, Section::Charges);
        customer(m).charges.move_by(1);
    });
}

#[test]
fn customer_cards_section() {
    snap!("customer_cards", |m| {
        test_customers::open_ada(m, Section::Cards);
        customer(m).cards.row = 1;
    });
}

#[test]
fn customer_subscriptions_section() {
    snap!("customer_subscriptions", |m| {
        test_customers::open_ada(m, Section::Subscriptions);
        customer(m).subscriptions.row = 4;
    });
}

#[test]
fn customer_loading() {
    snap!("customer_loading", |m| {
        m.screens.push(Pane::Customer(Box::new(
            crate::app::screens::CustomerPane::new(ADA),
        )));
        m.spinner = 2;
    });
}

#[test]
fn customer_parts_failed() {
    let mut m = model(160, 48);
    test_customers::open_ada(&mut m, Section::Charges);
    customer(&mut m).cards.items = Loadable::Failed("HTTP 500".into());
    customer(&mut m).subscriptions.items = Loadable::Loaded(Vec::new());
    let text = screen(&m);
    assert!(text.contains("could not load cards: HTTP 500"), "{text}");
    assert!(text.contains("no subscriptions"), "{text}");
}

#[test]
fn refunds_pane() {
    snap!("refunds", |m| {
        m.screens
            .push(Pane::Refunds(test_customers::refunds_pane()));
    });
}

#[test]
fn refunds_pane_sorted_by_amount_of_those_loaded() {
    snap!("refunds_sorted_loaded", |m| {
        let mut pane = test_customers::refunds_pane();
        pane.list.next = Some(crate::domain::Cursor::Page(2));
        let sort = Sort {
            column: 1,
            descending: true,
        };
        pane.list.set_order(Some(RowOrder::of(sort)));
        m.screens.push(Pane::Refunds(pane));
    });
}

#[test]
fn refunds_pane_filtered() {
    snap!("refunds_filtered", |m| {
        let mut pane = test_customers::refunds_pane();
        pane.filter = RefundFilter {
            statuses: vec![RefundStatus::Pending],
            ..RefundFilter::default()
        };
        let filter = pane.filter.clone();
        pane.list
            .set_filter("status:pending", |r| filter.matches(r));
        m.screens.push(Pane::Refunds(pane));
    });
}

#[test]
fn charge_pane_pending_3ds_from_a_customer() {
    snap!("charge_pane", |m| {
        test_customers::open_ada(m, Section::Charges);
        m.screens
            .push(Pane::Charge(Box::new(test_customers::charge_pane(
                PENDING_3DS,
            ))));
    });
}

#[test]
fn charge_pane_loading_from_refunds() {
    snap!("charge_pane_loading", |m| {
        m.screens
            .push(Pane::Refunds(test_customers::refunds_pane()));
        m.screens.push(Pane::Charge(Box::new(
            crate::app::screens::ChargeDetail::on_its_own("ch_9ZzZ0000000000000000aa", None),
        )));
    });
}

#[test]
fn the_breadcrumb_keeps_the_current_crumb_on_a_narrow_screen() {
    let mut m = model(60, 20);
    test_customers::open_ada(&mut m, Section::Charges);
    m.screens
        .push(Pane::Charge(Box::new(test_customers::charge_pane(
            PENDING_3DS,
        ))));
    let text = screen(&m);
    let line = text.lines().nth(1).unwrap();
    assert!(line.contains("… › "), "{line}");
    assert!(line.contains("charge ch_5HgF3d"), "{line}");
    insta::assert_snapshot!("breadcrumb_narrow", line);
}

fn delete_card() -> ConfirmDialog {
    ConfirmDialog::new(
        Irreversible::DeleteCard {
            customer_id: ADA.into(),
            card_id: "card_M4st3rC4rd0000bb".into(),
        },
        "Delete card",
        "Delete Mastercard ••4444 (card_M4st3rC4rd0000bb) from ada@example.com. \
         It cannot be used again and this cannot be undone."
            .into(),
    )
}

#[test]
fn confirm_delete_card() {
    snap!("confirm_delete_card", |m| {
        test_customers::open_ada(m, Section::Cards);
        customer(m).cards.row = 1;
        m.mode = Mode::Confirm(delete_card());
    });
}

#[test]
fn confirm_cancel_subscription_on_live() {
    snap!("confirm_cancel_subscription", |m| {
        m.session.live = true;
        test_customers::open_ada(m, Section::Subscriptions);
        customer(m).subscriptions.row = 1;
        let mut d = ConfirmDialog::new(
            Irreversible::CancelSubscription {
                customer_id: ADA.into(),
                subscription_id: "sub_Act1v300000002".into(),
            },
            "Cancel subscription",
            "Cancel plan_beans_500g (sub_Act1v300000002) for ada@example.com now: \
             no further billing. This cannot be undone."
                .into(),
        );
        d.warning = Some(format!(
            "{} does not refund the current period.",
            m.session.gateway
        ));
        m.mode = Mode::Confirm(d);
    });
}

fn delete_customer(typed: &str) -> ConfirmDialog {
    let mut d = ConfirmDialog::new(
        Irreversible::DeleteCustomer {
            customer_id: ADA.into(),
        },
        "Delete customer",
        "Delete ada@example.com (cus_Ad4L0v3l4c3Xq9Tz) with their 3 saved cards. \
         Their charges stay. This cannot be undone."
            .into(),
    );
    d.warning = Some("2 subscriptions are still running and will stop.".into());
    d.type_to_confirm = Some("ada@example.com".into());
    d.input = Input::new(typed.into());
    d
}

#[test]
fn confirm_delete_customer_partly_typed() {
    snap!("confirm_delete_customer", |m| {
        test_customers::open_ada(m, Section::Charges);
        m.mode = Mode::Confirm(delete_customer("ada@exa"));
    });
}

#[test]
fn confirm_delete_customer_typed_and_wrong() {
    let mut m = model(80, 24);
    test_customers::open_ada(&mut m, Section::Charges);
    m.mode = Mode::Confirm(delete_customer("ada@example.com"));
    let text = screen(&m);
    assert!(
        text.contains("✓ matches") && text.contains("enter confirm"),
        "{text}"
    );
    m.mode = Mode::Confirm(delete_customer("bob@"));
    let text = screen(&m);
    assert!(
        text.contains("does not match") && !text.contains("enter confirm"),
        "{text}"
    );
}

#[test]
fn confirm_failed() {
    snap!("confirm_failed", |m| {
        test_customers::open_ada(m, Section::Cards);
        let mut d = delete_card();
        d.state = DialogState::Failed(format!(
            "{} refused: You cannot delete a customer's primary card token. \
             Nothing was deleted.",
            m.session.gateway
        ));
        m.mode = Mode::Confirm(d);
    });
}

/// Ada's charges with the new-charge dialog open on her primary card: the dialog, to
/// fill in.
fn new_charge_for_ada(m: &mut Model) -> &mut NewChargeDialog {
    test_customers::open_ada(m, Section::Charges);
    m.mode = Mode::NewCharge(NewChargeDialog::new(
        ADA,
        "ada@example.com",
        "Visa ••4242 (primary)".into(),
        Currency::AUD,
    ));
    match &mut m.mode {
        Mode::NewCharge(dialog) => dialog,
        _ => unreachable!("just opened"),
    }
}

#[test]
fn new_charge_empty() {
    snap!("new_charge_empty", |m| {
        new_charge_for_ada(m);
    });
}

#[test]
fn new_charge_valid() {
    snap!("new_charge_valid", |m| {
        let d = new_charge_for_ada(m);
        d.amount = Input::new("149.50".into());
        d.description = Input::new("Phone order #1042, 2 kg beans".into());
        d.capture = false;
        d.field = ChargeField::Capture;
    });
}

#[test]
fn new_charge_invalid() {
    snap!("new_charge_invalid", |m| {
        let d = new_charge_for_ada(m);
        d.amount = Input::new("12.345".into());
        d.field = ChargeField::Amount;
    });
}

#[test]
fn new_charge_working_on_live() {
    snap!("new_charge_working", |m| {
        m.session.live = true;
        m.busy.insert(ADA.into(), "charge");
        m.spinner = 4;
        let d = new_charge_for_ada(m);
        d.amount = Input::new("149.50".into());
        d.description = Input::new("Phone order #1042".into());
        d.state = DialogState::Working;
    });
}

#[test]
fn the_cursor_is_in_the_focused_field_of_the_new_charge_dialog() {
    let mut m = model(80, 24);
    let d = new_charge_for_ada(&mut m);
    d.description = Input::new("abc".into());
    d.field = ChargeField::Description;
    let mut terminal = render(&m, &Theme::dark());
    let cursor = terminal.get_cursor_position().unwrap();
    let buffer = terminal.backend().buffer();
    let row: String = (0..80)
        .map(|x| buffer[(x, cursor.y)].symbol().to_string())
        .collect();
    assert!(row.contains("description") && row.contains("abc"), "{row}");
}

#[test]
fn expired_cards_and_subscription_states_have_their_colours() {
    let mut m = model(160, 48);
    test_customers::open_ada(&mut m, Section::Cards);
    let buffer = test_support::drawn_buffer(&m);
    let at = |text: &str| test_support::cell_of(&buffer, text).fg;
    assert_eq!(at("expired"), Color::Yellow);
    assert_eq!(at("10/26"), Color::Yellow);
    assert_eq!(at("09/27"), Color::Reset);
    assert_eq!(at("trial"), Color::Cyan);
    assert_eq!(at("active"), Color::Green);
    assert_eq!(at("cancelling"), Color::Yellow);
    assert_eq!(at("cancelled"), Color::DarkGray);
    assert_eq!(at("★"), Color::Cyan);
}

#[test]
fn the_status_line_offers_what_the_section_allows() {
    let mut m = model(160, 48);
    test_customers::open_ada(&mut m, Section::Cards);
    // The primary card cannot be deleted.
    let status = |m: &Model| screen(m).lines().last().unwrap().to_string();
    assert!(!status(&m).contains("delete card"), "{}", status(&m));
    customer(&mut m).cards.row = 1;
    assert!(status(&m).contains("d delete card"), "{}", status(&m));
    assert!(status(&m).contains("D delete customer"));
    assert!(status(&m).contains("2 of 3"));
    customer(&mut m).section = Section::Subscriptions;
    customer(&mut m).subscriptions.row = 3; // cancelled
    assert!(!status(&m).contains("x cancel"));
    customer(&mut m).subscriptions.row = 0; // trial
    assert!(status(&m).contains("x cancel"));
    m.session.read_only = true;
    let s = status(&m);
    assert!(
        !s.contains("x cancel") && !s.contains("new charge") && !s.contains("delete"),
        "{s}"
    );

    // The charges list offers the customer and 3-D Secure of the selected charge.
    let mut m = model(160, 48);
    test_support::select(&mut m, PENDING_3DS);
    let s = status(&m);
    assert!(
        s.contains("o customer") && s.contains("a verify 3DS"),
        "{s}"
    );
}

#[test]
fn list_body_rows_is_the_focused_list_of_the_pane_on_top() {
    let area = Rect::new(0, 0, 80, 24);
    let wide = Rect::new(0, 0, 160, 48);
    let mut m = model(80, 24);
    // The charges list: everything but the header, the column header and the status.
    assert_eq!(list_body_rows(area, &m), 21);
    assert_eq!(
        list_body_rows(area, &m),
        layout::table_body_rows(&layout::regions(area, &m))
    );

    // Customers and refunds: the breadcrumb takes a line too.
    m.screens
        .push(Pane::Customers(test_customers::customers_pane()));
    assert_eq!(list_body_rows(area, &m), 20);
    assert_eq!(list_body_rows(wide, &m), 44);
    if let Some(Pane::Customers(pane)) = m.screens.top_mut() {
        pane.list.set_filter("ada", customer_matches("ada"));
    }
    assert_eq!(list_body_rows(area, &m), 19, "the filter bar");
    m.screens.pop();
    m.screens
        .push(Pane::Refunds(test_customers::refunds_pane()));
    assert_eq!(list_body_rows(area, &m), 20);

    // The customer: 21 rows of body, 10 for the boxes (cards 5, subscriptions 5), then
    // a rule and a column header over the charges.
    m.screens.clear();
    test_customers::open_ada(&mut m, Section::Charges);
    assert_eq!(list_body_rows(area, &m), 21 - 10 - 2);
    customer(&mut m).section = Section::Cards;
    assert_eq!(list_body_rows(area, &m), 3);
    customer(&mut m).section = Section::Subscriptions;
    assert_eq!(list_body_rows(area, &m), 3);
    // Wide: the boxes side by side, as tall as the contact box (9).
    assert_eq!(list_body_rows(wide, &m), 7);
    customer(&mut m).section = Section::Cards;
    assert_eq!(list_body_rows(wide, &m), 7);
    customer(&mut m).section = Section::Charges;
    assert_eq!(list_body_rows(wide, &m), 45 - 9 - 2);
    // What is drawn agrees: the last charge row fits, the next would not.
    let r = layout::regions(area, &m);
    assert_eq!(r.table.y + r.table.height, 23);

    // A charge on its own: the detail box less its borders.
    m.screens
        .push(Pane::Charge(Box::new(test_customers::charge_pane(
            PENDING_3DS,
        ))));
    assert_eq!(list_body_rows(area, &m), 22 - 1 - 2);
}
