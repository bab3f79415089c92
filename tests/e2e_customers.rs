//! A whole session with customers in a pseudo-terminal: from a charge to its customer,
//! delete a non-primary card, cancel a subscription, and try to delete the primary card,
//! which Pin refuses, so nothing is sent; the simulator confirms each.

mod common;

use common::demo::{api_operations, demo, filter, gateway};
use common::pty::{audit_phases, before_and_after, free_port};
use paydeck::domain::{Card, PageRequest, Subscription};
use paydeck::gateway::pin::PinGateway;
use paydeck::gateway::{Cards, Customers, Subscriptions};

struct Subject {
    email: String,
    customer_id: String,
    cards: Vec<Card>,
    subscriptions: Vec<Subscription>,
}

/// A customer with a charge, a non-primary card and a subscription that can be cancelled.
async fn find_subject(gateway: &PinGateway) -> Subject {
    let mut page = PageRequest::first(100);
    loop {
        let customers = gateway.list_customers(&page).await.expect("customers");
        for customer in customers.items {
            let cards = gateway.customer_cards(&customer.id).await.expect("cards");
            let subscriptions = gateway
                .customer_subscriptions(&customer.id)
                .await
                .expect("subscriptions");
            let charges = gateway
                .customer_charges(&customer.id, &PageRequest::first(5))
                .await
                .expect("charges");
            if cards.iter().any(|c| !c.primary)
                && subscriptions.iter().any(|s| s.state.can_cancel())
                && !charges.items.is_empty()
            {
                return Subject {
                    email: customer.email,
                    customer_id: customer.id,
                    cards,
                    subscriptions,
                };
            }
        }
        page = PageRequest::at(customers.next.expect("the seed has such a customer"), 100);
    }
}

#[test]
fn customer_cards_and_subscriptions_with_keys_alone() {
    let port = free_port();
    let mut pty = demo(port, &[]);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let gateway = gateway(port);
    let subject = runtime.block_on(find_subject(&gateway));
    let extra = subject
        .cards
        .iter()
        .position(|c| !c.primary)
        .expect("a non-primary card");
    let running = subject
        .subscriptions
        .iter()
        .position(|s| s.state.can_cancel())
        .expect("a running subscription");

    // From one of the customer's charges to the customer.
    filter(&mut pty, &subject.email);
    pty.send("o");
    pty.wait_for_text(&format!("customer {}", subject.email));
    pty.wait_for_text(&format!("••{}", subject.cards[extra].last4));

    // Delete the non-primary card.
    pty.send("\t");
    pty.send(&"j".repeat(extra));
    pty.send("d");
    pty.wait_for_text("cannot be undone");
    pty.send("\r");
    pty.wait_for_text("Deleted card");

    // Cancel the running subscription.
    pty.send("\t");
    pty.send(&"j".repeat(running));
    pty.send("x");
    pty.wait_for_text("Cancel subscription sub_");
    pty.send("\r");
    pty.wait_for_text("Cancelled subscription");

    // Try the primary card: Pin refuses that, so nothing is sent and the screen says
    // what to do instead.
    let remaining: Vec<&Card> = subject
        .cards
        .iter()
        .filter(|c| c.id != subject.cards[extra].id)
        .collect();
    let primary = remaining
        .iter()
        .position(|c| c.primary)
        .expect("a primary card");
    pty.send("\t\t");
    pty.send("g");
    pty.send(&"j".repeat(primary));
    pty.send("d");
    pty.wait_for_text("will not delete the primary card");
    pty.wait_for_text("make another card primary");

    // The simulator agrees.
    let cards = runtime
        .block_on(gateway.customer_cards(&subject.customer_id))
        .expect("cards");
    assert!(
        cards.iter().all(|c| c.id != subject.cards[extra].id),
        "the card is gone"
    );
    assert!(cards.iter().any(|c| c.primary), "the primary card stays");
    let subscriptions = runtime
        .block_on(gateway.customer_subscriptions(&subject.customer_id))
        .expect("subscriptions");
    let cancelled = subscriptions
        .iter()
        .find(|s| s.id == subject.subscriptions[running].id)
        .expect("the subscription");
    assert!(
        !cancelled.state.can_cancel(),
        "now {}",
        cancelled.state.label()
    );
    let ops = api_operations(port);
    let names: Vec<&str> = ops
        .iter()
        .filter_map(|op| op["operation"].as_str())
        .collect();
    assert_eq!(names, ["delete_card", "cancel_subscription"], "{ops:?}");

    let audit = pty.audit_lines();
    assert_eq!(
        audit_phases(&audit),
        before_and_after(&["delete_card", "cancel_subscription"]),
        "nothing is sent for the primary card"
    );
    pty.quit();
}
