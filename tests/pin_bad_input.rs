//! What the Pin adapter makes of a gateway that answers badly: malformed bodies, HTML
//! error pages, dropped connections. Typed errors every time, never a panic, and the
//! key never in an error or a `Debug` print.

mod common;

use common::pin_sim;
use paydeck::domain::{ChargeFilter, PageRequest};
use paydeck::gateway::{Gateway, GatewayError};

#[tokio::test]
async fn a_truncated_body_is_a_malformed_response() {
    let sim = pin_sim(30, "malformed_rate=1").await;
    let result = sim
        .gateway
        .list_charges(&PageRequest::first(25), &ChargeFilter::default())
        .await;
    match result {
        Err(GatewayError::Malformed { status, body, .. }) => {
            assert_eq!(status, 200);
            assert!(!body.is_empty(), "the body is kept for the log");
        }
        other => panic!("expected a malformed response, got {other:?}"),
    }
}

#[tokio::test]
async fn server_errors_and_html_pages_are_unavailable() {
    let sim = pin_sim(30, "error_rate=1").await;
    let result = sim.gateway.get_charge("ch_anything").await;
    match result {
        Err(GatewayError::Unavailable {
            status, message, ..
        }) => {
            assert!((500..=503).contains(&status), "{status}");
            assert!(
                !message.contains("<html>"),
                "an HTML page is summarised: {message}"
            );
        }
        other => panic!("expected the gateway to be unavailable, got {other:?}"),
    }
}

#[tokio::test]
async fn dropped_connections_are_connection_errors() {
    let sim = pin_sim(30, "reset_rate=1").await;
    let result = sim.gateway.get_charge("ch_anything").await;
    assert!(
        matches!(
            result,
            Err(GatewayError::Connection {
                before_send: false,
                ..
            })
        ),
        "{result:?}"
    );
}

#[tokio::test]
async fn rate_limits_carry_the_wait() {
    let sim = pin_sim(30, "rate_limit=1,retry_after_s=0").await;
    let result = sim.gateway.get_charge("ch_anything").await;
    assert!(
        matches!(result, Err(GatewayError::RateLimited { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn the_key_never_shows() {
    let sim = pin_sim(5, "").await;
    let printed = format!("{:?}", sim.gateway);
    assert!(!printed.contains(&sim.key), "{printed}");
    assert!(printed.contains("***"), "{printed}");
    let error = sim.gateway.get_charge("ch_missing").await.unwrap_err();
    assert!(!format!("{error} {error:?}").contains(&sim.key));
}
