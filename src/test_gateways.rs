//! The gateways the dashboard's own tests (`app`, `ui`) run on, named here by what they
//! can do, so that neither the dashboard nor its tests name a gateway. A label is what
//! the header and messages show, and so what snapshots show.

use crate::gateway::registry::GatewayDescriptor;
use crate::gateway::{Capabilities, openpay, pin, stripe, trx};

/// A gateway as the dashboard sees it: its label and what it can do.
#[derive(Debug, Clone, Copy)]
pub struct TestGateway {
    pub label: &'static str,
    pub caps: Capabilities,
}

impl TestGateway {
    /// The gateway as its registry entry describes it, so that a label is written once.
    const fn of(gateway: &GatewayDescriptor) -> TestGateway {
        TestGateway {
            label: gateway.label,
            caps: gateway.capabilities,
        }
    }
}

/// What every fixture model is on: customers, subscriptions and a list of refunds, whole
/// captures only, no disputes, no reason kept with a refund, no deleting a primary card.
pub const USUAL: TestGateway = TestGateway::of(&pin::DESCRIPTOR);

/// One with disputes and without subscriptions, that deletes primary cards.
pub const WITH_DISPUTES: TestGateway = TestGateway::of(&stripe::DESCRIPTOR);

/// One without customers.
pub const NO_CUSTOMERS: TestGateway = TestGateway::of(&trx::DESCRIPTOR);

/// One without a list of all refunds and without disputes.
pub const NO_REFUND_LIST: TestGateway = TestGateway::of(&openpay::DESCRIPTOR);

/// Where `USUAL`'s API answers, as an error from it names it.
pub const USUAL_HOST: &str = "api.pinpayments.com";
