//! The effect runner: turns `Effect`s into gateway calls on tokio tasks and sends their
//! results back as `Msg`s. Operator actions are written to the audit log before they
//! are sent and again when they finish.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::effect::Effect;
use super::model::PAGE_SIZE;
use super::msg::{Msg, Polled};
use crate::audit::{self, AuditLog, Entry};
use crate::domain::{Action, Charge, ChargeFilter, PageRequest};
use crate::gateway::{Gateway, GatewayError, OperationKey};
use crate::money::Money;

/// Polls after the first ask for small pages: usually only a few charges are new.
const POLL_PAGE: u32 = 25;
/// A poll follows at most this many pages of new charges before it stops for now.
const MAX_POLL_PAGES: usize = 40;
/// A server search brings at most this many pages of matches.
const MAX_SEARCH_PAGES: usize = 10;

#[derive(Clone)]
pub struct Runner {
    gateway: Arc<dyn Gateway>,
    audit: AuditLog,
    profile: String,
    tx: UnboundedSender<Msg>,
}

impl Runner {
    pub fn new(
        gateway: Arc<dyn Gateway>,
        audit: AuditLog,
        profile: String,
        tx: UnboundedSender<Msg>,
    ) -> Runner {
        Runner {
            gateway,
            audit,
            profile,
            tx,
        }
    }

    /// Starts the effect's work and returns at once. `Copy` and `SwitchProfile` concern
    /// the terminal and the session and are the event loop's to do.
    pub fn run(&self, effect: Effect) {
        let runner = self.clone();
        tokio::spawn(async move {
            let msg = match effect {
                Effect::Poll { newest, refresh } => Msg::Polled(runner.poll(newest, refresh).await),
                Effect::LoadOlder(cursor) => {
                    let page = PageRequest::at(cursor, PAGE_SIZE);
                    Msg::OlderLoaded(
                        runner
                            .gateway
                            .list_charges(&page, &ChargeFilter::default())
                            .await,
                    )
                }
                Effect::Search {
                    filter,
                    filter_text,
                } => Msg::Searched {
                    filter_text,
                    result: runner.search(&filter).await,
                },
                Effect::LoadRefunds(charge_id) => Msg::RefundsLoaded {
                    result: runner.gateway.charge_refunds(&charge_id).await,
                    charge_id,
                },
                Effect::Capture {
                    key,
                    charge_id,
                    amount,
                } => {
                    runner
                        .act(Action::Capture, key, charge_id, amount, None)
                        .await
                }
                Effect::Void {
                    key,
                    charge_id,
                    amount,
                } => runner.act(Action::Void, key, charge_id, amount, None).await,
                Effect::Refund {
                    key,
                    charge_id,
                    amount,
                    reason,
                } => {
                    runner
                        .act(Action::Refund, key, charge_id, amount, reason)
                        .await
                }
                Effect::Copy(_) | Effect::SwitchProfile(_) => return,
            };
            // The loop has gone: we are shutting down and nobody needs the answer.
            let _ = runner.tx.send(msg);
        });
    }

    /// Charges newer than `newest`, newest first, stopping at the first one already
    /// held; and fresh copies of `refresh`.
    async fn poll(
        &self,
        newest: Option<(String, chrono::DateTime<chrono::Utc>)>,
        refresh: Vec<String>,
    ) -> Result<Polled, GatewayError> {
        let first = newest.is_none();
        let mut request = PageRequest::first(if first { PAGE_SIZE } else { POLL_PAGE });
        let mut newer = Vec::new();
        let mut total = None;
        let mut older = None;
        for _ in 0..MAX_POLL_PAGES {
            let page = self
                .gateway
                .list_charges(&request, &ChargeFilter::default())
                .await?;
            total = page.total.or(total);
            let Some((known_id, known_at)) = &newest else {
                newer = page.items;
                older = page.next;
                break;
            };
            let before = newer.len();
            newer.extend(
                page.items
                    .into_iter()
                    .take_while(|c| &c.id != known_id && c.created >= *known_at),
            );
            let reached_known =
                newer.len() - before < usize::try_from(request.limit).unwrap_or(usize::MAX);
            match page.next {
                Some(next) if !reached_known => request = PageRequest::at(next, POLL_PAGE),
                _ => break,
            }
        }
        let mut refreshed = Vec::new();
        for id in refresh {
            match self.gateway.get_charge(&id).await {
                Ok(charge) => refreshed.push(charge),
                Err(e) => tracing::warn!(charge = %id, error = %e, "could not refresh a charge"),
            }
        }
        Ok(Polled {
            newer,
            refreshed,
            total,
            older,
            first,
        })
    }

    async fn search(&self, filter: &ChargeFilter) -> Result<Vec<Charge>, GatewayError> {
        let mut request = PageRequest::first(PAGE_SIZE);
        let mut found = Vec::new();
        for _ in 0..MAX_SEARCH_PAGES {
            let page = self.gateway.list_charges(&request, filter).await?;
            found.extend(page.items);
            match page.next {
                Some(next) => request = PageRequest::at(next, PAGE_SIZE),
                None => break,
            }
        }
        Ok(found)
    }

    /// One operator action: audit, send, audit, read the charge back.
    async fn act(
        &self,
        action: Action,
        key: OperationKey,
        charge_id: String,
        amount: Money,
        reason: Option<String>,
    ) -> Msg {
        let result = self
            .audited(action, &key, &charge_id, amount, reason.as_deref())
            .await;
        Msg::ActionDone {
            key,
            action,
            charge_id,
            amount,
            result,
        }
    }

    async fn audited(
        &self,
        action: Action,
        key: &OperationKey,
        charge_id: &str,
        amount: Money,
        reason: Option<&str>,
    ) -> Result<Option<Box<Charge>>, GatewayError> {
        // Nothing is sent unless the intent to send it is on disk.
        self.write_audit(action, key, charge_id, amount, "before", None)
            .await
            .map_err(|e| GatewayError::Refused {
                code: "audit_log".into(),
                message: format!("not sent: the audit log could not be written ({e})"),
            })?;
        let result = match action {
            Action::Capture => self
                .gateway
                .capture(charge_id, amount, key)
                .await
                .map(|c| Some(Box::new(c))),
            Action::Void => self
                .gateway
                .void(charge_id, key)
                .await
                .map(|c| Some(Box::new(c))),
            Action::Refund => match self.gateway.refund(charge_id, amount, reason, key).await {
                // The refund is done; the charge is read back for its new totals.
                Ok(_) => Ok(self.gateway.get_charge(charge_id).await.ok().map(Box::new)),
                Err(e) => Err(e),
            },
        };
        let outcome = match &result {
            Ok(_) => "ok".to_string(),
            Err(e @ GatewayError::Unconfirmed { .. }) => format!("unconfirmed: {e}"),
            Err(e) => format!("failed: {e}"),
        };
        if let Err(e) = self
            .write_audit(action, key, charge_id, amount, "after", Some(outcome))
            .await
        {
            tracing::error!(error = %e, %key, "could not write the audit log after an action");
        }
        result
    }

    async fn write_audit(
        &self,
        action: Action,
        key: &OperationKey,
        charge_id: &str,
        amount: Money,
        phase: &'static str,
        result: Option<String>,
    ) -> std::io::Result<()> {
        let log = self.audit.clone();
        let profile = self.profile.clone();
        let gateway = self.gateway.name();
        let key = key.to_string();
        let target = charge_id.to_string();
        tokio::task::spawn_blocking(move || {
            log.append(&Entry {
                time: audit::timestamp(),
                user: audit::os_user(),
                profile: &profile,
                gateway,
                action: action.name(),
                target: &target,
                amount: Some(amount.plain()),
                currency: Some(amount.currency.code()),
                key: &key,
                phase,
                result,
            })
        })
        .await
        .map_err(std::io::Error::other)?
    }
}
