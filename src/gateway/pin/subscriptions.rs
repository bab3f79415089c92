//! A Pin customer's subscriptions, each named by its plan, and cancelling one.

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::{PinGateway, wire};
use crate::domain::{Plan, Subscription};
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{OperationKey, Result, Subscriptions};

/// Distinct plans fetched for one customer's subscriptions; past this the rest show
/// their plan ids (a customer rarely has more than a few).
const MAX_PLANS: usize = 10;

/// A gateway token safe to put in a URL path as it is (`plan_ZyDee4HNeUHFHC4SpM2idg`).
fn is_token(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[async_trait]
impl Subscriptions for PinGateway {
    async fn customer_subscriptions(&self, customer_id: &str) -> Result<Vec<Subscription>> {
        let mut subs = self
            .all(
                Request::get(paths::below("customers", customer_id, "subscriptions")?),
                wire::subscription,
            )
            .await?;
        name_plans(self, &mut subs).await;
        Ok(subs)
    }

    async fn cancel_subscription(
        &self,
        customer_id: &str,
        subscription_id: &str,
        _key: &OperationKey,
    ) -> Result<Subscription> {
        let request = Request::delete(paths::record_below(
            "customers",
            customer_id,
            "subscriptions",
            subscription_id,
        )?);
        self.write_checked(
            "subscription cancellation",
            &request,
            wire::subscription,
            || async {
                let subs = self.customer_subscriptions(customer_id).await?;
                Ok(subs
                    .into_iter()
                    .find(|s| s.id == subscription_id && !s.state.can_cancel())
                    .into())
            },
        )
        .await
    }
}

/// Pin's subscriptions carry only a plan token: fetch each distinct plan once (at
/// most `MAX_PLANS` of them) so the pane can say its name and price. A plan that
/// cannot be read leaves its subscriptions showing the plan id rather than failing
/// the list.
async fn name_plans(pin: &PinGateway, subs: &mut [Subscription]) {
    let mut plans: BTreeMap<String, Option<Plan>> = BTreeMap::new();
    for sub in subs.iter() {
        if plans.len() >= MAX_PLANS || plans.contains_key(&sub.plan_id) {
            continue;
        }
        let plan = if is_token(&sub.plan_id) {
            pin.one(Request::get(format!("plans/{}", sub.plan_id)), wire::plan)
                .await
                .ok()
        } else {
            None
        };
        plans.insert(sub.plan_id.clone(), plan);
    }
    for sub in subs.iter_mut() {
        sub.plan = plans.get(&sub.plan_id).cloned().flatten();
    }
}
