//! `--demo GATEWAY` in a whole session: the demo opens on Stripe, `:profile` moves it to
//! Openpay, the transactions gateway and Pin, each showing its own charges; an unknown profile says which there are.

mod common;

use common::pty::{Pty, free_port};

/// Waits for the header of profile `name` on `label` and its first charges.
fn wait_for_gateway(pty: &Pty, name: &str, label: &str) {
    let header = format!("paydeck {name} · {label}");
    pty.wait_for(&header, |s| {
        s.contains(&header) && s.contains("captured") && s.contains(" of ")
    });
}

#[test]
fn the_demo_opens_on_any_gateway_and_profile_switches_between_them() {
    let listen = format!("127.0.0.1:{}", free_port());
    let mut pty = Pty::spawn(&["--demo", "stripe", "--demo-listen", &listen]);
    wait_for_gateway(&pty, "stripe", "Stripe");
    for (name, label) in [
        ("openpay", "Openpay"),
        ("trx", "Transactions gateway"),
        ("pin", "Pin Payments"),
    ] {
        pty.send(&format!(":profile {name}\r"));
        wait_for_gateway(&pty, name, label);
    }
    pty.send(":profile paypal\r");
    pty.wait_for_text("No profile \"paypal\"; profiles: pin, stripe, openpay, trx");
    pty.send("\x1b");
    pty.wait_for("the command line to close", |s| !s.contains("No profile"));
    pty.quit();
}
