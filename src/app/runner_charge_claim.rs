//! A capture, void or refund holds its charge on the session store while it runs, so
//! that two operators sharing a store never act on one charge at once: where a gateway
//! has no idempotency keys, the check before a retry looks for a new refund of the
//! same amount, and another operator's refund at that moment would pass for ours.

use std::future::Future;

use super::runner::Runner;
use crate::gateway::GatewayError;
use crate::store::sessions::{SessionError, Stamp};

impl Runner {
    /// Runs `call` holding charge `charge_id` of this profile for `action`. Held by
    /// someone else, or the store failing to answer, nothing is sent. Without a session
    /// store (`--no-store`, or one that did not open at start, as `:recon` says) there
    /// is none to share the charge through, and it runs as it is.
    pub(super) async fn holding_charge<T, F>(
        &self,
        charge_id: &str,
        action: &str,
        call: F,
    ) -> Result<T, GatewayError>
    where
        F: Future<Output = Result<T, GatewayError>>,
    {
        let Ok(link) = self.sessions.as_ref() else {
            return call.await;
        };
        // The operator the config names, else the OS user, as the audit log says.
        let (user, operator) = self.audit.who();
        let who = operator.unwrap_or(user).to_string();
        let (profile, charge, act) = (
            self.profile.clone(),
            charge_id.to_string(),
            action.to_string(),
        );
        let holder = who.clone();
        let claimed = link
            .handle
            .call(move |s| {
                let stamp = Stamp {
                    who: holder,
                    at: chrono::Utc::now(),
                };
                s.claim_charge(&profile, &charge, &act, &stamp)
            })
            .await;
        if let Err(e) = claimed {
            let message = match e {
                SessionError::Held { .. } => format!("not sent: {e}"),
                e => format!(
                    "not sent: the charge could not be claimed on the session store, so another \
                     operator might act on it at the same moment ({e}); try again"
                ),
            };
            return Err(GatewayError::Refused {
                code: "claimed".into(),
                message,
            });
        }
        let result = call.await;
        let (profile, charge) = (self.profile.clone(), charge_id.to_string());
        let released = link
            .handle
            .call(move |s| {
                let stamp = Stamp {
                    who,
                    at: chrono::Utc::now(),
                };
                s.release_charge(&profile, &charge, &stamp)
            })
            .await;
        if let Err(e) = released {
            // It lapses by itself within CHARGE_CLAIM_TTL.
            tracing::warn!(error = %e, charge = charge_id, "could not release a charge claim");
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;
    use crate::app::effect::Effect;
    use crate::app::msg::Msg;
    use crate::app::runner_recon::SessionLink;
    use crate::audit::AuditLog;
    use crate::domain::{CardDetails, ChargeStatus, NewCharge, PaymentSource};
    use crate::gateway::http::HttpConfig;
    use crate::gateway::pin::PinGateway;
    use crate::gateway::{Charges, OperationKey};
    use crate::money::{Currency, Money};
    use crate::secret::Secret;
    use crate::sim::SimConfig;
    use crate::store::sessions::SessionHandle;

    fn authorisation() -> NewCharge {
        NewCharge {
            amount: Money::from_minor(12_50, Currency::AUD),
            email: "ana@example.com".into(),
            description: "beans".into(),
            ip_address: "203.0.113.7".into(),
            capture: false,
            source: PaymentSource::Card(CardDetails {
                number: Secret::new("4200000000000000"),
                expiry_month: 12,
                expiry_year: 2035,
                cvc: Secret::new("123"),
                name: "Ana".into(),
                address_line1: "1 Main St".into(),
                address_city: "Perth".into(),
                address_country: "Australia".into(),
            }),
            metadata: BTreeMap::new(),
        }
    }

    /// The capture's answer, past the other news the runner sends.
    async fn done(
        rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>,
    ) -> Result<Option<Box<crate::domain::Charge>>, crate::gateway::GatewayError> {
        loop {
            match rx.recv().await {
                Some(Msg::ActionDone { result, .. }) => return result,
                Some(_) => continue,
                None => panic!("the runner stopped before answering the capture"),
            }
        }
    }

    /// A capture of a charge Ana holds is not sent, and says she holds it; once she
    /// lets go, the same capture goes through.
    #[tokio::test]
    async fn a_charge_another_operator_holds_is_not_acted_on() {
        crate::gateway::http::install_crypto_provider();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = SimConfig {
            charges: 2,
            customers: 1,
            ..SimConfig::default()
        };
        let sim = crate::sim::start(listener, config).await.unwrap();
        let pin = sim.dialect("pin").unwrap().clone();
        let gateway =
            PinGateway::new(&pin.url, Secret::new(&pin.key), HttpConfig::default()).unwrap();
        let charge = gateway
            .create_charge(&authorisation(), &OperationKey::new())
            .await
            .unwrap();
        let dir = std::env::temp_dir().join(format!("paydeck-claim-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let handle = SessionHandle::open_sqlite(&dir).unwrap();
        let audit = AuditLog::open(&AuditLog::path_in(&dir))
            .unwrap()
            .with_operator(Some("ben"));
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let link = SessionLink {
            handle: handle.clone(),
            data_dir: dir.clone(),
            watched: crate::store::sessions::watch::Watched::Sqlite(dir.clone()),
        };
        let runner =
            Runner::new(Arc::new(gateway), audit, "pin".into(), tx).with_sessions(Ok(link));
        let ana = Stamp {
            who: "ana".into(),
            at: chrono::Utc::now(),
        };
        let (id, held) = (charge.id.clone(), ana.clone());
        handle
            .call(move |s| s.claim_charge("pin", &id, "refund", &held))
            .await
            .unwrap();
        let capture = || Effect::Capture {
            key: OperationKey::new(),
            charge_id: charge.id.clone(),
            amount: charge.amount,
        };
        runner.run(capture());
        let result = done(&mut rx).await;
        let said = result.unwrap_err().to_string();
        assert!(said.contains("held by ana (refund)"), "{said}");
        let now = runner.gateway.get_charge(&charge.id).await.unwrap();
        assert_eq!(now.status, ChargeStatus::Authorised, "nothing was sent");

        let id = charge.id.clone();
        handle
            .call(move |s| s.release_charge("pin", &id, &ana))
            .await
            .unwrap();
        runner.run(capture());
        let result = done(&mut rx).await;
        assert!(result.is_ok(), "{result:?}");
        drop(runner);
        drop(handle);
        sim.shutdown().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
