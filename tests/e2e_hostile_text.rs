//! A gateway that puts a right-to-left override and escape sequences in a charge's
//! text: the dashboard shows them as visible marks, and not one byte of them reaches
//! the terminal as itself.

mod common;

use common::demo::{block_on, demo, request};
use common::pty::free_port;

/// Right-to-left override, UTF-8.
const RLO_BYTES: &[u8] = "\u{202E}".as_bytes();

fn create_hostile_charge(port: u16) {
    block_on(async {
        let response = request(port, reqwest::Method::POST, "charges")
            .form(&[
                ("amount", "1250"),
                ("currency", "AUD"),
                (
                    "description",
                    "Refund \u{202E}00.001$\u{1b}]0;pwned\u{7}\u{1b}[2J",
                ),
                ("email", "eve\u{202E}@example.com"),
                ("ip_address", "192.0.2.1"),
                ("card[number]", "4200000000000000"),
                ("card[expiry_month]", "12"),
                ("card[expiry_year]", "2099"),
                ("card[cvc]", "123"),
                ("card[name]", "Eve \u{1b}[5mBlink"),
                ("card[address_line1]", "1 St"),
                ("card[address_city]", "Perth"),
                ("card[address_country]", "AU"),
            ])
            .send()
            .await
            .expect("the simulator answers");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "{status}: {body}");
    });
}

#[test]
fn a_bidi_override_and_escapes_from_the_gateway_never_reach_the_terminal() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    create_hostile_charge(port);
    // The next poll brings it in, at the top of the list.
    let screen = pty.wait_for_text("␛]0;pwned␇");
    assert!(screen.contains("Refund ␦00.001$␛]0;pwned␇"), "{screen}");
    // Open it: the detail pane shows the email too.
    pty.send("g\r");
    pty.wait_for_text("eve␦@example.com");
    let raw = pty.raw();
    assert!(
        !raw.windows(RLO_BYTES.len()).any(|w| w == RLO_BYTES),
        "U+202E reached the terminal"
    );
    for injected in [&b"\x1b]0;pwned"[..], b"\x1b[2J\x1b[5m", b"\x1b[5mBlink"] {
        assert!(
            !raw.windows(injected.len()).any(|w| w == injected),
            "{injected:?} reached the terminal"
        );
    }
    pty.quit();
}
