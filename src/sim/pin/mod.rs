//! The Pin Payments dialect, mounted at `/pin/1/`: routes, auth and error
//! bodies as in `reference/pin.md`. Pin ids; charges as the seed generators
//! draw them.

mod by_id;
mod cards;
mod charges;
mod customers;
pub(crate) mod error;
mod events;
mod refunds;
pub(crate) mod render;
mod reply;
mod transfers;

use std::sync::{Arc, MutexGuard};

use axum::Router;
use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};

use axum::routing::MethodFilter;
use by_id::{change, page_under};

use super::common::SharedLedger;
use super::common::auth::authorised;
use super::dialect::{Dialect, Served};
use super::faults;
use super::ledger::Ledger;
use super::rng::Rng;
use error::PinError;

/// The Pin key for a seed: `pin_sim_` + 22 token characters (never `sk_live_`).
pub fn pin_key(seed: u64) -> String {
    Rng::derive(seed, 3).token("pin_sim")
}

/// The Pin dialect in the registry.
pub(crate) static DIALECT: Dialect =
    Dialect::new("PIN", "/pin/1", pin_key, 99, serve).with_payout_name(transfers::payout_name);

fn serve(served: Served) -> Router {
    let state = Arc::new(PinState {
        ledger: served.ledger,
        seed: served.seed,
        key: served.key,
        base_url: served.url,
    });
    router(state, served.faults)
}

/// Shared state of the Pin dialect.
#[derive(Debug)]
pub(crate) struct PinState {
    pub ledger: SharedLedger,
    /// Transfer tokens derive from it.
    pub seed: u64,
    pub key: String,
    /// e.g. `http://127.0.0.1:PORT/pin/1`, used for 3-D Secure redirect URLs.
    pub base_url: String,
}

impl PinState {
    /// Lock the ledger and apply due time rules. Never hold across `.await`.
    pub fn ledger(&self) -> MutexGuard<'_, Ledger> {
        self.ledger.lock()
    }
}

pub(crate) type PinResult = Result<Response, PinError>;

async fn auth(State(s): State<Arc<PinState>>, req: Request, next: Next) -> Response {
    if authorised(req.headers(), &s.key, false) {
        next.run(req).await
    } else {
        PinError::Unauthenticated.into_response()
    }
}

async fn not_found() -> PinError {
    PinError::NotFound
}

/// The Pin router (to be nested at `/pin/1`), with auth and fault injection.
fn router(state: Arc<PinState>, faults: Arc<faults::Faults>) -> Router {
    let authed = Router::new()
        .route("/charges", post(charges::create).get(charges::list))
        .route("/charges/search", get(charges::search))
        .route("/charges/verify", get(charges::verify))
        .route("/charges/{ch}", get(charges::show))
        .route(
            "/charges/{ch}/capture",
            change(MethodFilter::PUT, charges::capture),
        )
        .route("/charges/{ch}/void", put(charges::void))
        .route(
            "/charges/{ch}/refunds",
            change(MethodFilter::POST, refunds::create).merge(page_under(refunds::for_charge)),
        )
        .route("/refunds", get(refunds::list))
        .route("/refunds/{rf}", get(refunds::show))
        .route("/cards", post(cards::create))
        .route("/customers", post(customers::create).get(customers::list))
        .route(
            "/customers/{cus}",
            get(customers::show)
                .merge(change(MethodFilter::PUT, customers::update))
                .delete(customers::remove),
        )
        .route("/customers/{cus}/charges", page_under(customers::charges))
        .route(
            "/customers/{cus}/cards",
            page_under(customers::cards).post(customers::add_card),
        )
        .route(
            "/customers/{cus}/cards/{card}",
            delete(customers::delete_card),
        )
        .route(
            "/customers/{cus}/subscriptions",
            page_under(customers::subscriptions),
        )
        .route(
            "/customers/{cus}/subscriptions/{sub}",
            delete(customers::cancel_subscription),
        )
        .route("/plans/{plan}", get(customers::plan))
        .route("/transfers", get(transfers::list))
        .route("/transfers/{tfer}", get(transfers::show))
        .route("/transfers/{tfer}/line_items", get(transfers::line_items))
        .route("/balance", get(transfers::balance))
        .route("/events", get(events::list))
        .route("/events/{evt}", get(events::show))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth));
    let routes = Router::new()
        .route("/3ds/{session}", get(charges::challenge_page))
        .merge(authed)
        .with_state(state);
    faults::injected(routes, faults, &error::FAULT_REPLIES)
}
