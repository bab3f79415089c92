//! An Openpay profile from a config file (merchant id and country), in a pseudo-terminal
//! against the simulator's Openpay dialect: the dashboard opens it and cancels a
//! pre-authorisation, named as Openpay names it, exactly once.

mod common;

use common::Dialect;
use common::demo::filter;
use common::profile::SimProfile;
use common::simulator::seeded;

#[test]
fn an_openpay_profile_cancels_a_pre_authorisation() {
    let openpay = SimProfile::start(Dialect::Openpay, seeded(400, 40), "openpay-sim");
    let mut pty = openpay.open();
    pty.wait_for_all(&["Openpay", "MX$"]);
    filter(&mut pty, "status:authorised");
    pty.send("v");
    pty.wait_for_text("Cancel the authorisation of MX$");
    pty.send("\r");
    pty.wait_for_text("Released the authorisation of MX$");

    assert_eq!(openpay.api_operation_names(), ["void"]);
    pty.quit();
}
