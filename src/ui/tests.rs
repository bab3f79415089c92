//! Snapshots of every region and overlay at 80×24 and 160×48, and checks of what
//! text snapshots cannot show: colours, the cursor, and where clicks land.

use chrono::TimeDelta;
use ratatui::layout::{Position, Rect};
use ratatui::style::Color;
use tui_input::Input;

use super::test_support::snap;
use super::test_support::{
    self, SIZES, cell_of, command_line, drawn_buffer, filter_bar, find, model, now, press, refunds,
    render, select,
};
use super::theme::Theme;
use crate::app::Model;
use crate::app::dialogs::DialogState;
use crate::app::dialogs::action::{ActionDialog, Field};
use crate::app::layout;
use crate::app::layout::table_body_rows;
use crate::app::layout::table_row_at;
use crate::app::model::{Focus, Loadable, Mode, ToastKind};
use crate::app::screens::ChargeDetail;
use crate::app::{command, filter_query};
use crate::domain::{Action, ChargeStatus};

const AUTHORISED: &str = "ch_7Kq2mXvTn4RbWc8YdZp1Aq";
const CAPTURED: &str = "ch_3FjX9pLmQ2sVb7NcRt5Ue0";
const PART_REFUNDED: &str = "ch_2ZxC5vBn7Mq1Wr3Et9Yu4I";

fn open(m: &mut Model, id: &str, refunds: Loadable<Vec<crate::domain::Refund>>) {
    select(m, id);
    m.screens.charges.detail = Some(ChargeDetail {
        refunds,
        ..ChargeDetail::in_list(id)
    });
}

/// Opens the `action` dialog on charge `id`, selected: the dialog, to fill in.
fn open_dialog<'a>(m: &'a mut Model, action: Action, id: &str) -> &'a mut ActionDialog {
    select(m, id);
    let charge = m
        .screens
        .charges
        .list
        .get(id)
        .expect("fixture charge")
        .clone();
    m.mode = Mode::Dialog(ActionDialog::open(
        action,
        &charge,
        &m.session.caps,
        m.session.gateway,
    ));
    match &mut m.mode {
        Mode::Dialog(dialog) => dialog,
        _ => unreachable!("just opened"),
    }
}

fn set_filter(m: &mut Model, text: &str) {
    m.screens
        .charges
        .list
        .set_filter(filter_query::parse(text, filter_query::today(m.now, m.zone)).unwrap());
    m.screens.charges.list.filter_text = text.into();
}

#[test]
fn main_table() {
    snap!("main_table", |m| {
        m.new_marks
            .insert(AUTHORISED.into(), now() + TimeDelta::seconds(4));
        m.busy.insert(CAPTURED.into(), "refund");
        m.screens.charges.list.move_by(3);
    });
}

#[test]
fn loading() {
    for (w, h) in SIZES {
        let mut m = Model::new(
            test_support::session(),
            Default::default(),
            std::time::Duration::from_secs(5),
            now(),
        );
        m.screen = (w, h);
        m.poll.started(now());
        m.spinner = 3;
        insta::assert_snapshot!(
            format!("loading_{w}x{h}"),
            render(&m, &Theme::dark()).backend()
        );
    }
}

#[test]
fn empty_filter() {
    snap!("empty_filter", |m| set_filter(m, "lamington"));
}

/// The filter bar and the command line as they are typed: empty, each shows its
/// syntax; with a bad entry, its error.
#[test]
fn the_filter_bar_and_the_command_line() {
    const BAD_FILTER: &str = "status:shipped cur:AUD";
    /// The line open and typed in, made from the fixture model.
    type Typed = fn(&Model) -> Mode;
    let cases: [(&str, Typed); 4] = [
        ("filter_hint", |_| filter_bar("", None)),
        ("filter_error", |m| {
            let today = filter_query::today(m.now, m.zone);
            filter_bar(BAD_FILTER, filter_query::parse(BAD_FILTER, today).err())
        }),
        ("command_hint", |_| command_line("", None)),
        ("command_error", |m| {
            command_line(
                "frobnicate",
                command::parse("frobnicate", &m.session.caps).err(),
            )
        }),
    ];
    for (name, mode) in cases {
        snap!(name, |m| m.mode = mode(m));
    }
}

#[test]
fn applied_filter_with_count() {
    snap!("filter_applied", |m| {
        set_filter(m, "status:captured,part_refunded");
        m.screens.charges.searching = true;
        m.spinner = 1;
    });
}

#[test]
fn detail_captured_with_refunds() {
    snap!("detail_refunds", |m| {
        let charge = m.screens.charges.list.get(PART_REFUNDED).unwrap().clone();
        open(m, PART_REFUNDED, Loadable::Loaded(refunds(&charge)));
    });
}

/// Every time on screen, and the table's time column title, in +10:00.
#[test]
fn times_at_plus_ten() {
    snap!("times_at_plus_ten", |m| {
        m.zone = crate::timezone::Zone::parse("+10:00").unwrap();
        let charge = m.screens.charges.list.get(PART_REFUNDED).unwrap().clone();
        open(m, PART_REFUNDED, Loadable::Loaded(refunds(&charge)));
    });
}

#[test]
fn detail_authorised_with_countdown() {
    snap!("detail_authorised", |m| {
        open(m, AUTHORISED, Loadable::Loading);
        m.screens.charges.focus = Focus::Detail;
    });
}

#[test]
fn detail_declined_refunds_failed() {
    snap!("detail_declined", |m| {
        open(
            m,
            "ch_9QwE4rTy6UiOp2AsDf8Gh1",
            Loadable::Failed("HTTP 503 from the gateway".into()),
        );
    });
}

#[test]
fn raw_json() {
    snap!("raw_json", |m| {
        open(m, CAPTURED, Loadable::Loaded(Vec::new()));
        if let Some(d) = m.screens.charges.detail.as_mut() {
            d.view.raw = true;
            d.view.scroll = 1;
        }
    });
}

/// Capture and void as they open on an authorisation.
#[test]
fn capture_and_void_dialogs() {
    for (name, action) in [
        ("capture_dialog", Action::Capture),
        ("void_dialog", Action::Void),
    ] {
        snap!(name, |m| {
            open_dialog(m, action, AUTHORISED);
        });
    }
}

#[test]
fn partial_capture_dialog() {
    snap!("capture_partial_dialog", |m| {
        m.session.caps.partial_capture = true;
        m.session.gateway = crate::test_gateways::WITH_DISPUTES.label;
        open_dialog(m, Action::Capture, AUTHORISED).amount = Input::new("1,000.00".into());
    });
}

#[test]
fn refund_dialog_with_a_validation_error() {
    snap!("refund_dialog_invalid", |m| {
        open_dialog(m, Action::Refund, PART_REFUNDED).amount = Input::new("300.00".into());
    });
}

#[test]
fn refund_dialog_failed() {
    snap!("refund_dialog_failed", |m| {
        let gateway = m.session.gateway;
        let d = open_dialog(m, Action::Refund, PART_REFUNDED);
        d.amount = Input::new("50.00".into());
        d.reason = Input::new("meal not served".into());
        d.field = Field::Reason;
        d.state = DialogState::Failed(format!(
            "{gateway} refused the refund: the merchant account balance is too low to cover it. Nothing was refunded."
        ));
    });
}

#[test]
fn refund_dialog_working_on_live() {
    snap!("refund_dialog_working_live", |m| {
        m.session.live = true;
        m.busy.insert(CAPTURED.into(), "refund");
        open_dialog(m, Action::Refund, CAPTURED).state = DialogState::Working;
    });
}

#[test]
fn help() {
    snap!("help", |m| {
        select(m, CAPTURED);
        m.mode = Mode::Help { scroll: 0 };
    });
}

#[test]
fn copy_menu_over_the_selected_charge() {
    let sizes = [(160, 48), (80, 24), (40, 10)];
    snap!(sizes; "copy_menu", |m| {
        select(m, CAPTURED);
        let _ = press(m, "Yj");
    });
}

#[test]
fn help_read_only() {
    snap!("help_read_only", |m| {
        m.session.read_only = true;
        m.mode = Mode::Help { scroll: 0 };
    });
}

#[test]
fn toasts() {
    snap!("toasts", |m| {
        m.toast(ToastKind::Info, "Copied ch_7Kq2mXvTn4RbWc8YdZp1Aq");
        m.toast(
            ToastKind::Success,
            "Refunded A$30.00 on ch_2ZxC5vBn7Mq1Wr3Et9Yu4I",
        );
        m.toast(
            ToastKind::Error,
            "Capture failed: the authorisation on ch_7UjM9ikL1olP3qaZ5wsX7e has expired at the issuer",
        );
    });
}

#[test]
fn stale_header() {
    snap!("stale_header", |m| {
        m.poll.failed(
            now(),
            format!(
                "HTTP 503 Service Unavailable from {}",
                crate::test_gateways::USUAL_HOST
            ),
            None,
        );
    });
}

#[test]
fn live_read_only_header() {
    snap!("live_read_only", |m| {
        m.session.live = true;
        m.session.read_only = true;
        m.session.profile = "acme-live".into();
        m.poll.started(now());
        m.spinner = 5;
    });
}

#[test]
fn the_selection_far_down_is_drawn() {
    for (w, h) in SIZES {
        let mut m = model(w, h);
        m.screens.charges.list.merge_newer(test_support::many(500));
        m.screens.charges.list.select_row(300);
        let rows = table_body_rows(&layout::regions(Rect::new(0, 0, w, h), &m));
        m.screens.charges.list.scroll_into_view(rows);
        assert!(m.screens.charges.list.offset() > 0);
        let id = m.screens.charges.list.selected().unwrap().id.clone();
        let terminal = render(&m, &Theme::dark());
        let screen = terminal.backend().to_string();
        assert!(screen.contains(&id[..20]), "{id} not on screen:\n{screen}");
        insta::assert_snapshot!(format!("far_down_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn a_stale_offset_still_shows_the_selection() {
    let mut m = model(80, 24);
    m.screens.charges.list.merge_newer(test_support::many(500));
    m.screens.charges.list.select_row(400); // update has not scrolled yet
    let id = m.screens.charges.list.selected().unwrap().id.clone();
    let screen = render(&m, &Theme::dark()).backend().to_string();
    assert!(screen.contains(&id[..20]));
}

#[test]
fn the_live_badge_is_red_and_a_declined_status_is_red() {
    let mut m = model(160, 48);
    m.session.live = true;
    let buffer = drawn_buffer(&m);
    assert_eq!(
        find(&buffer, "LIVE").map(|at| at.y),
        Some(0),
        "in the header"
    );
    let live = cell_of(&buffer, "LIVE");
    assert_eq!(live.bg, Color::Red);
    assert!(live.modifier.contains(ratatui::style::Modifier::BOLD));
    assert_eq!(cell_of(&buffer, "declined").fg, Color::Red);
    assert_eq!(cell_of(&buffer, "captured").fg, Color::Green);
}

#[test]
fn the_test_badge_is_calm() {
    let buffer = drawn_buffer(&model(80, 24));
    assert_ne!(cell_of(&buffer, "TEST").bg, Color::Red);
}

#[test]
fn stale_data_is_in_the_warning_colour() {
    let mut m = model(160, 48);
    m.poll.failed(now(), "HTTP 503".into(), None);
    assert_eq!(cell_of(&drawn_buffer(&m), "stale since").fg, Color::Yellow);
}

#[test]
fn the_mono_theme_has_no_colour() {
    let mut m = model(160, 48);
    m.session.live = true;
    let terminal = render(&m, &Theme::mono());
    for cell in terminal.backend().buffer().content() {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    assert!(Theme::named("light").is_some() && Theme::named("sepia").is_none());
}

#[test]
fn the_cursor_sits_in_the_field_being_typed() {
    let mut m = model(80, 24);
    m.mode = filter_bar("status:cap", None);
    let mut terminal = render(&m, &Theme::dark());
    assert_eq!(
        terminal.get_cursor_position().unwrap(),
        Position::new(3 + 10, 1)
    );

    let mut m = model(80, 24);
    m.mode = command_line("q", None);
    let mut terminal2 = render(&m, &Theme::dark());
    assert_eq!(
        terminal2.get_cursor_position().unwrap(),
        Position::new(3, 23)
    );
    let _ = &mut terminal;
}

#[test]
fn regions_and_clicks() {
    let mut m = model(80, 24);
    let area = Rect::new(0, 0, 80, 24);
    let r = layout::regions(area, &m);
    assert_eq!(r.header, Rect::new(0, 0, 80, 1));
    assert_eq!(r.filter, None);
    assert_eq!(r.table, Rect::new(0, 1, 80, 22));
    assert_eq!(r.status, Rect::new(0, 23, 80, 1));
    assert_eq!(table_body_rows(&r), 21);
    assert_eq!(table_row_at(&r, 10, 1), None, "the column header is no row");
    assert_eq!(table_row_at(&r, 10, 2), Some(0));
    assert_eq!(table_row_at(&r, 79, 22), Some(20));
    assert_eq!(table_row_at(&r, 10, 23), None, "the status line");
    assert_eq!(table_row_at(&r, 10, 0), None, "the header");

    // With a filter bar everything below moves down a line.
    set_filter(&mut m, "status:captured");
    let r = layout::regions(area, &m);
    assert_eq!(r.filter, Some(Rect::new(0, 1, 80, 1)));
    assert_eq!(table_row_at(&r, 10, 2), None);
    assert_eq!(table_row_at(&r, 10, 3), Some(0));
    assert_eq!(table_body_rows(&r), 20);

    // A narrow screen gives the detail the whole body: no rows to click.
    open(&mut m, CAPTURED, Loadable::Loading);
    let r = layout::regions(area, &m);
    assert_eq!(table_body_rows(&r), 0);
    assert_eq!(r.detail, Some(Rect::new(0, 2, 80, 21)));
    assert_eq!(table_row_at(&r, 10, 5), None);

    // A wide one puts it beside the table; clicks on it are not rows.
    let wide = Rect::new(0, 0, 160, 48);
    let r = layout::regions(wide, &m);
    assert_eq!(r.table, Rect::new(0, 2, 88, 45));
    assert_eq!(r.detail, Some(Rect::new(88, 2, 72, 45)));
    assert_eq!(table_row_at(&r, 87, 3), Some(0));
    assert_eq!(table_row_at(&r, 88, 3), None);
}

#[test]
fn clicking_a_row_lands_on_the_charge_drawn_there() {
    let m = model(80, 24);
    let r = layout::regions(Rect::new(0, 0, 80, 24), &m);
    let expected = m.screens.charges.list.row(4).unwrap();
    let at = find(&drawn_buffer(&m), &expected.id[..12]).expect("row drawn");
    assert_eq!(table_row_at(&r, at.x, at.y), Some(4));
}

#[test]
fn every_status_has_a_style_in_every_theme() {
    for theme in [Theme::dark(), Theme::light()] {
        for s in ChargeStatus::ALL {
            assert_ne!(theme.status(s).fg, None, "{s}");
        }
    }
}

/// The help at the sizes where it does not fit, scrolled to its end: the selected
/// charge's actions are the last lines, and nothing is blank below them.
#[test]
fn help_scrolled_to_the_end() {
    snap!([(40, 10), (80, 24)]; "help_end", |m| {
        select(m, CAPTURED);
        press(m, "?G");
    });
}

/// Enter, J, Tab, G and seventy more `j`: the JSON's closing brace on the last row.
#[test]
fn json_scrolled_past_the_end() {
    snap!([(40, 10), (80, 24), (160, 48)]; "json_end", |m| {
        select(m, CAPTURED);
        press(m, "\nJ");
        if m.screens.charges.focus == Focus::Table {
            press(m, "\t");
        }
        press(m, &format!("G{}", "j".repeat(70)));
    });
}

/// At 40 and 20 columns the amounts are whole: other columns go first. At 9 columns
/// not even the amount fits, and the cell says `…` rather than a different number.
#[test]
fn amounts_whole_at_narrow_widths() {
    snap!([(40, 10), (20, 10), (9, 6)]; "narrow_table", |m| select(m, CAPTURED));
}

/// At 40 columns when a charge was captured, and what is left to refund, go under
/// the amounts, whole, rather than cut at the box's edge (two lines scrolled).
#[test]
fn captured_and_refundable_whole_in_a_narrow_detail() {
    snap!([(40, 10)]; "detail_refunded_narrow", |m| {
        select(m, CAPTURED);
        press(m, "\njj");
    });
}
