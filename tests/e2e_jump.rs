//! `:charge ID`, `:customer ID`, `:payout ID` in a whole session: straight to objects
//! the simulator holds, and an id it does not know said so, the screen left as it was.

mod common;

use common::demo::{block_on, demo, gateway};
use common::pty::free_port;
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::{Charges, Customers};

#[test]
fn jumps_open_the_objects_and_an_unknown_id_leaves_the_screen_as_it_was() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    let gw = gateway(port);
    // A charge far from the top of the list, and a customer.
    let charges = block_on(gw.list_charges(&PageRequest::first(300), &ChargeFilter::default()))
        .expect("the simulator's charges");
    let old = charges.items.last().expect("a charge").clone();
    let customers = block_on(gw.list_customers(&PageRequest::first(5))).expect("customers");
    let customer = customers.items.first().expect("a customer").clone();

    pty.send(&format!(":charge {}\r", old.id));
    let screen = pty.wait_for_text(&format!("charges › charge {}", old.id));
    assert!(screen.contains(&old.amount.to_string()), "{screen}");
    // Esc alone (a key sent with it would read as alt-key), and back on the list.
    pty.send("\x1b");
    pty.wait_for("the charges list again", |s| {
        !s.contains("charges › charge")
    });

    pty.send(&format!(":customer {}\r", customer.id));
    pty.wait_for_text(&format!("charges › customer {}", customer.email));

    pty.send(":charge ch_no_such_charge\r");
    let screen = pty.wait_for_text("No charge ch_no_such_charge at Pin Payments");
    assert!(
        screen.contains(&format!("charges › customer {}", customer.email)),
        "the customer's screen stays: {screen}"
    );
    pty.send(":payout tr_no_such_payout\r");
    let screen = pty.wait_for_text("No payout tr_no_such_payout at Pin Payments");
    assert!(
        screen.contains(&format!("charges › customer {}", customer.email)),
        "{screen}"
    );
    pty.quit();
}
