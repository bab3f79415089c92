//! Free text in a pseudo-terminal on the demo (Pin): the last 4 of a card finds every
//! stored charge on that card, though Pin's own search knows no card numbers, and the
//! filter line says what answered (the store and Pin's search); a refund's reason, which Pin does not store,
//! is said to be kept only in the audit log, and is there.

mod common;

use std::collections::HashSet;

use common::demo::{demo, filter, gateway, type_a_refund_of_one_dollar};
use common::pty::free_port;
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::Charges;
use paydeck::gateway::pin::PinGateway;

/// A card's last 4 among the newest charges for which Pin's search misses some of
/// them, and the ids it misses, newest first.
async fn last4_pin_misses(gateway: &PinGateway) -> (String, Vec<String>) {
    let newest = gateway
        .list_charges(&PageRequest::first(100), &ChargeFilter::default())
        .await
        .expect("the newest charges");
    for charge in &newest.items {
        let Some(card) = &charge.card else { continue };
        let filter = ChargeFilter {
            text: card.last4.clone(),
            ..ChargeFilter::default()
        };
        let found = gateway
            .list_charges(&PageRequest::first(100), &filter)
            .await
            .expect("Pin's search");
        let found: HashSet<&str> = found.items.iter().map(|c| c.id.as_str()).collect();
        let missed: Vec<String> = newest
            .items
            .iter()
            .filter(|c| c.card.as_ref().is_some_and(|k| k.last4 == card.last4))
            .filter(|c| !found.contains(c.id.as_str()))
            .map(|c| c.id.clone())
            .collect();
        if !missed.is_empty() {
            return (card.last4.clone(), missed);
        }
    }
    panic!("Pin's search found every card of the newest charges")
}

#[test]
fn last_4_finds_what_pins_search_cannot_and_a_reason_pin_drops_is_audited() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (last4, missed) = runtime.block_on(last4_pin_misses(&gateway(port)));

    filter(&mut pty, &last4);
    // The filter line says that the local store and Pin's search both answered.
    pty.wait_for_text("store + Pin Payments search");
    // The charges on that card that Pin's search missed are listed all the same.
    for id in missed.iter().take(5) {
        pty.wait_for_text(id);
    }

    // A refund with a reason: the dialog says Pin will not keep it.
    type_a_refund_of_one_dollar(&mut pty);
    pty.send("\t");
    pty.send("box arrived crushed");
    pty.wait_for_text("does not store the reason");
    pty.send("\r");
    pty.wait_for_text("Refunded A$1.00");

    let audit = pty.audit_lines();
    let refunds: Vec<_> = audit.iter().filter(|l| l["action"] == "refund").collect();
    assert_eq!(refunds.len(), 2, "{audit:?}");
    for line in refunds {
        assert_eq!(line["reason"], "box arrived crushed", "{line}");
    }

    pty.quit();
}
