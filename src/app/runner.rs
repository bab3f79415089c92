//! The effect runner: turns `Effect`s into gateway calls on tokio tasks and sends their
//! results back as `Msg`s. Operator actions are written to the audit log before they
//! are sent and again when they finish.

use crate::app::copy_menu::Copying;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::dialogs::confirm::Irreversible;
use super::effect::{ChargeAct, ChargeWrite, Effect};
use super::interrupted;
use super::model::PAGE_SIZE;
use super::msg::{Answer, Msg, Polled};
use super::quitting;
use super::request::{PageAnswer, PageAsk};
use super::runner_recon::SessionLink;
use super::runner_store::StoreLink;
use crate::audit::{self, AuditLog, Entry};
use crate::domain::{Charge, ChargeFilter, NewCharge, Page, PageRequest, PaymentSource, Skipped};
use crate::gateway::paging::every_page;
use crate::gateway::{Gateway, GatewayError, OperationKey};
use crate::money::Money;
use crate::store::StorePair;

/// Polls after the first ask for small pages: usually only a few charges are new.
const POLL_PAGE: u32 = 25;
/// A poll follows at most this many pages of new charges before it stops for now.
const MAX_POLL_PAGES: usize = 40;
/// A server search brings at most this many pages of matches.
const MAX_SEARCH_PAGES: usize = 10;

/// The most of an operator's reason the audit log keeps.
const MAX_REASON_CHARS: usize = 500;

/// What an audit line says an action is about.
#[derive(Debug, Clone, Copy)]
struct Noted<'a> {
    action: &'static str,
    target: &'a str,
    amount: Option<Money>,
    reason: Option<&'a str>,
}

#[derive(Clone)]
pub struct Runner {
    pub(super) gateway: Arc<dyn Gateway>,
    pub(super) audit: AuditLog,
    pub(super) profile: String,
    pub(super) tx: UnboundedSender<Msg>,
    /// The profile's local store, when it opened.
    pub(super) store: Option<StoreLink>,
    /// The reconciliation sessions, or why they are not open (shown by `:recon`).
    pub(super) sessions: Result<SessionLink, String>,
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
            store: None,
            sessions: Err(super::runner_recon::NO_STORE.to_string()),
        }
    }

    /// The runner reads and writes `store`: the charges window's pages and totals, and
    /// what polls and searches find.
    pub fn with_store(mut self, store: StorePair) -> Runner {
        self.store = Some(StoreLink::new(store));
        self
    }

    /// The runner answers `:recon` from this session database, or with why it is
    /// not open.
    pub fn with_sessions(mut self, sessions: Result<SessionLink, String>) -> Runner {
        self.sessions = sessions;
        self
    }

    /// Starts the effect's work and returns at once. `SwitchProfile` replaces the runner
    /// itself and is the event loop's to do.
    pub fn run(&self, effect: Effect) {
        let runner = self.clone();
        let write = quitting::write_of(&effect).map(|w| w.key);
        tokio::spawn(async move {
            let msg = match effect {
                Effect::Poll {
                    newest,
                    refresh,
                    from_store,
                } => {
                    let newest = match from_store {
                        true => runner.store_newest().await,
                        false => newest,
                    };
                    let asked = chrono::Utc::now();
                    let polled = runner.poll(newest, refresh).await;
                    if let Ok(polled) = &polled {
                        let news = polled.newer.iter().chain(&polled.refreshed).cloned();
                        runner.store_charges(news.collect(), asked).await;
                    }
                    Msg::Polled(polled)
                }
                Effect::StorePage(ask) => match runner.store_page(ask).await {
                    Some(msg) => msg,
                    None => return,
                },
                Effect::StoreTotals { filter, generation } => {
                    match runner.store_totals(filter, generation).await {
                        Some(msg) => msg,
                        None => return,
                    }
                }
                Effect::LoadStats(ask) => match runner.store_stats(ask).await {
                    Some(msg) => msg,
                    None => return,
                },
                Effect::Sync => {
                    runner.sync().await;
                    return;
                }
                Effect::LoadRaw(id) => Msg::RawLoaded(Answer {
                    result: runner.gateway.get_charge(&id).await.map(|c| c.raw),
                    id,
                }),
                Effect::LoadOlder(ask) => {
                    let result = runner
                        .gateway
                        .list_charges(&ask.request(PAGE_SIZE), &ChargeFilter::default())
                        .await;
                    Msg::OlderLoaded(runner.answer("charges", ask, result))
                }
                Effect::Search { filter, generation } => {
                    let asked = chrono::Utc::now();
                    let result = runner.search(&filter).await;
                    if let Ok(found) = &result {
                        runner.store_charges(found.clone(), asked).await;
                    }
                    Msg::Searched { generation, result }
                }
                Effect::LoadRefunds(id) => Msg::RefundsLoaded(Answer {
                    result: runner.gateway.charge_refunds(&id).await,
                    id,
                }),
                Effect::Capture { .. } | Effect::Void { .. } | Effect::Refund { .. } => {
                    let Some(write) = effect.charge_write() else {
                        return;
                    };
                    let done = runner.act(write).await;
                    // The store learns the charge's new state before the dashboard
                    // reads its window and totals again; as of the answer, so that a
                    // poll asked before it cannot put the old state back.
                    if let Msg::ActionDone {
                        result: Ok(Some(charge)),
                        ..
                    } = &done
                    {
                        runner
                            .store_charges(vec![(**charge).clone()], chrono::Utc::now())
                            .await;
                    }
                    done
                }
                Effect::LoadCustomers(ask) => {
                    let result = runner.gateway.list_customers(&ask.request(PAGE_SIZE)).await;
                    Msg::CustomersLoaded(runner.answer("customers", ask, result))
                }
                Effect::LoadCustomer { id, charges } => {
                    runner.load_customer(id, charges).await;
                    return;
                }
                Effect::LoadCustomerCharges { customer_id, ask } => {
                    let page = ask.request(PAGE_SIZE);
                    let result = runner.gateway.customer_charges(&customer_id, &page).await;
                    Msg::CustomerChargesLoaded {
                        answer: runner.answer("charges", ask, result),
                        customer_id,
                    }
                }
                Effect::LoadRefundList(ask) => {
                    let result = runner.gateway.list_refunds(&ask.request(PAGE_SIZE)).await;
                    Msg::RefundListLoaded(runner.answer("refunds", ask, result))
                }
                Effect::LoadCharge(id) => Msg::ChargeLoaded(Answer {
                    result: runner.gateway.get_charge(&id).await.map(Box::new),
                    id,
                }),
                Effect::Verify { key, session } => Msg::Verified(Answer {
                    result: runner.verify(&key, &session).await,
                    id: session,
                }),
                Effect::Confirmed { key, action } => Msg::ConfirmedDone {
                    result: runner.customer_action(&key, &action).await,
                    key,
                    action,
                },
                Effect::ChargeCustomer {
                    key,
                    customer_id,
                    email,
                    amount,
                    description,
                    capture,
                } => {
                    let result = runner
                        .charge_customer(&key, &customer_id, email, amount, description, capture)
                        .await;
                    let answer = Answer {
                        id: customer_id,
                        result,
                    };
                    Msg::CustomerCharged { key, answer }
                }
                Effect::LoadDisputes(ask) => {
                    let result = runner.gateway.list_disputes(&ask.request(PAGE_SIZE)).await;
                    Msg::DisputesLoaded(runner.answer("disputes", ask, result))
                }
                Effect::LoadDispute(id) => Msg::DisputeLoaded {
                    key: None,
                    result: runner.gateway.get_dispute(&id).await.map(Box::new),
                },
                Effect::LoadChargeDispute(id) => Msg::ChargeDisputeLoaded(Answer {
                    result: runner
                        .gateway
                        .charge_dispute(&id)
                        .await
                        .map(|d| d.map(Box::new)),
                    id,
                }),
                Effect::SubmitEvidence {
                    key,
                    dispute_id,
                    text,
                } => {
                    let call = runner
                        .gateway
                        .submit_dispute_evidence(&dispute_id, &text, &key);
                    let result = runner
                        .with_audit("submit_evidence", &key, &dispute_id, None, call)
                        .await;
                    Msg::DisputeLoaded {
                        key: Some(key),
                        result: result.map(Box::new),
                    }
                }
                Effect::LoadPayouts(ask) => {
                    let result = runner.gateway.list_payouts(&ask.request(PAGE_SIZE)).await;
                    Msg::PayoutsLoaded(runner.answer("payouts", ask, result))
                }
                Effect::LoadPayout(id) => Msg::PayoutLoaded(Answer {
                    result: runner.gateway.get_payout(&id).await.map(Box::new),
                    id,
                }),
                Effect::LoadPayoutLines { payout_id, ask } => {
                    let page = ask.request(PAGE_SIZE);
                    let result = runner.gateway.payout_lines(&payout_id, &page).await;
                    Msg::PayoutLinesLoaded {
                        answer: runner.answer("payout lines", ask, result),
                        payout_id,
                    }
                }
                Effect::LoadBalance => {
                    Msg::BalanceLoaded(runner.gateway.balance().await.map(Box::new))
                }
                Effect::LoadChargeSettlement(id) => Msg::ChargeSettlementLoaded(Answer {
                    result: runner.gateway.charge_settlement(&id).await,
                    id,
                }),
                Effect::Copy(Copying { what, text }) => {
                    // The clipboard tools block (each bounded), so they run on a thread
                    // of their own, which leaving paydeck does not wait for.
                    let tx = runner.tx.clone();
                    std::thread::spawn(move || {
                        let result = crate::clipboard::copy(&text);
                        let _ = tx.send(Msg::Copied { what, result });
                    });
                    return;
                }
                Effect::SwitchProfile(_) => return,
                Effect::Recon(ask) => runner.recon(ask).await,
            };
            // The loop has gone: we are shutting down and nobody needs the answer.
            let _ = runner.tx.send(msg);
            // The `after` line is written: the write is no longer in flight.
            if let Some(key) = write {
                let _ = runner.tx.send(Msg::WriteSettled(key));
            }
        });
    }

    /// A page for the list that asked, its unreadable records told about.
    fn answer<T>(
        &self,
        list: &'static str,
        ask: PageAsk,
        result: Result<Page<T>, GatewayError>,
    ) -> PageAnswer<T> {
        self.report(list, &result);
        PageAnswer {
            generation: ask.generation,
            result,
        }
    }

    /// Tells the dashboard about records of a page that could not be read.
    fn report<T>(&self, list: &'static str, result: &Result<Page<T>, GatewayError>) {
        if let Ok(page) = result {
            self.report_skipped(list, &page.skipped);
        }
    }

    fn report_skipped(&self, list: &'static str, skipped: &[Skipped]) {
        if !skipped.is_empty() {
            let _ = self.tx.send(Msg::Unreadable {
                list,
                skipped: skipped.to_vec(),
            });
        }
    }

    /// Checks the profile's actions a crash or kill interrupted, each answer a message.
    pub fn check_interrupted(&self) {
        let runner = self.clone();
        tokio::spawn(async move {
            let checked =
                interrupted::check_all(runner.gateway.as_ref(), &runner.audit, &runner.profile)
                    .await;
            for one in checked {
                let _ = runner.tx.send(Msg::Interrupted(one));
            }
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
        let mut skipped = Vec::new();
        for _ in 0..MAX_POLL_PAGES {
            let page = self
                .gateway
                .list_charges(&request, &ChargeFilter::default())
                .await?;
            total = page.total.or(total);
            skipped.extend(page.skipped);
            let Some((known_id, known_at)) = &newest else {
                newer = page.items;
                older = page.next;
                break;
            };
            let on_page = page.items.len();
            let before = newer.len();
            newer.extend(
                page.items
                    .into_iter()
                    .take_while(|c| &c.id != known_id && c.created >= *known_at),
            );
            // Stopped before the end of the page: what follows is held already. (The
            // page's length is not the limit when records were skipped.)
            let reached_known = newer.len() - before < on_page;
            match page.next {
                Some(next) if !reached_known => request = PageRequest::at(next, POLL_PAGE),
                _ => break,
            }
        }
        self.report_skipped("charges", &skipped);
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
        every_page(PAGE_SIZE, MAX_SEARCH_PAGES, |request| async move {
            let page = self.gateway.list_charges(&request, filter).await?;
            self.report_skipped("charges", &page.skipped);
            Ok(page)
        })
        .await
    }

    /// One operator action: audit, send, audit, read the charge back.
    async fn act(&self, write: ChargeWrite<'_>) -> Msg {
        let (act, key, charge_id, amount) = (write.act, write.key, write.charge_id, write.amount);
        let call = async {
            match act {
                ChargeAct::VoidPart => self
                    .gateway
                    .void_part(charge_id, amount, key)
                    .await
                    .map(|c| Some(Box::new(c))),
                ChargeAct::Capture => self
                    .gateway
                    .capture(charge_id, amount, key)
                    .await
                    .map(|c| Some(Box::new(c))),
                ChargeAct::Void => self
                    .gateway
                    .void(charge_id, key)
                    .await
                    .map(|c| Some(Box::new(c))),
                ChargeAct::Refund => {
                    self.gateway
                        .refund(charge_id, amount, write.reason, key)
                        .await?;
                    // The refund is done; the charge is read back for its new totals.
                    Ok(self.gateway.get_charge(charge_id).await.ok().map(Box::new))
                }
            }
        };
        let noted = Noted {
            action: match act {
                ChargeAct::VoidPart => "void_part",
                other => other.action().name(),
            },
            target: charge_id,
            amount: Some(amount),
            reason: write.reason,
        };
        let held = self.holding_charge(charge_id, noted.action, call);
        Msg::ActionDone {
            result: self.with_noted_audit(noted, key, held).await,
            key: key.clone(),
            action: act.action(),
            charge_id: charge_id.to_string(),
            amount,
        }
    }

    async fn write_audit(
        &self,
        noted: &Noted<'_>,
        key: &OperationKey,
        phase: &'static str,
        result: Option<String>,
    ) -> std::io::Result<()> {
        let Noted {
            action,
            target,
            amount,
            reason,
        } = *noted;
        // Bounded, as every line is: a reason is a sentence, not a document.
        let reason: Option<String> = reason.map(|r| r.chars().take(MAX_REASON_CHARS).collect());
        let log = self.audit.clone();
        let profile = self.profile.clone();
        let gateway = self.gateway.name();
        let key = key.to_string();
        let target = target.to_string();
        tokio::task::spawn_blocking(move || {
            let (user, operator) = log.who();
            log.append(&Entry {
                time: audit::timestamp(),
                user,
                operator,
                profile: &profile,
                gateway,
                action,
                target: &target,
                amount: amount.map(|a| a.plain()),
                currency: amount.map(|a| a.currency.code()),
                key: &key,
                phase,
                result,
                reason: reason.as_deref(),
            })
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Runs `call` between a `before` and an `after` line of the audit log; nothing is
    /// sent unless the `before` line is on disk.
    async fn with_audit<T, F>(
        &self,
        action: &'static str,
        key: &OperationKey,
        target: &str,
        amount: Option<Money>,
        call: F,
    ) -> Result<T, GatewayError>
    where
        F: std::future::Future<Output = Result<T, GatewayError>>,
    {
        let noted = Noted {
            action,
            target,
            amount,
            reason: None,
        };
        self.with_noted_audit(noted, key, call).await
    }

    /// `with_audit`, with the operator's reason on both lines.
    async fn with_noted_audit<T, F>(
        &self,
        noted: Noted<'_>,
        key: &OperationKey,
        call: F,
    ) -> Result<T, GatewayError>
    where
        F: std::future::Future<Output = Result<T, GatewayError>>,
    {
        self.write_audit(&noted, key, "before", None)
            .await
            .map_err(|e| GatewayError::Refused {
                code: "audit_log".into(),
                message: format!("not sent: the audit log could not be written ({e})"),
            })?;
        let result = call.await;
        let outcome = match &result {
            Ok(_) => "ok".to_string(),
            Err(e @ GatewayError::Unconfirmed { .. }) => format!("unconfirmed: {e}"),
            Err(e) => format!("failed: {e}"),
        };
        if let Err(e) = self.write_audit(&noted, key, "after", Some(outcome)).await {
            tracing::error!(error = %e, %key, "could not write the audit log after an action");
        }
        result
    }

    /// A customer with their cards and subscriptions, each answered as it arrives,
    /// and the first page of their charges.
    async fn load_customer(&self, id: String, ask: PageAsk) {
        let first = ask.request(PAGE_SIZE);
        let (customer, cards, subscriptions, charges) = tokio::join!(
            self.gateway.get_customer(&id),
            self.gateway.customer_cards(&id),
            self.gateway.customer_subscriptions(&id),
            self.gateway.customer_charges(&id, &first),
        );
        for msg in [
            Msg::CustomerLoaded(Answer::new(&id, customer)),
            Msg::CardsLoaded(Answer::new(&id, cards)),
            Msg::SubscriptionsLoaded(Answer::new(&id, subscriptions)),
            Msg::CustomerChargesLoaded {
                customer_id: id.clone(),
                answer: self.answer("charges", ask, charges),
            },
        ] {
            let _ = self.tx.send(msg);
        }
    }

    async fn verify(&self, key: &OperationKey, session: &str) -> Result<Box<Charge>, GatewayError> {
        self.with_audit(
            "verify_3ds",
            key,
            session,
            None,
            self.gateway.verify_3ds(session),
        )
        .await
        .map(Box::new)
    }

    async fn customer_action(
        &self,
        key: &OperationKey,
        action: &Irreversible,
    ) -> Result<(), GatewayError> {
        let gateway = &self.gateway;
        let call = async {
            match action {
                Irreversible::DeleteCard {
                    customer_id,
                    card_id,
                } => gateway.delete_card(customer_id, card_id, key).await,
                Irreversible::CancelSubscription {
                    customer_id,
                    subscription_id,
                } => gateway
                    .cancel_subscription(customer_id, subscription_id, key)
                    .await
                    .map(drop),
                Irreversible::CloseDispute { dispute_id } => {
                    gateway.close_dispute(dispute_id, key).await.map(drop)
                }
                Irreversible::DeleteCustomer { customer_id } => {
                    gateway.delete_customer(customer_id, key).await
                }
            }
        };
        self.with_audit(action.name(), key, action.target(), None, call)
            .await
    }

    async fn charge_customer(
        &self,
        key: &OperationKey,
        customer_id: &str,
        email: String,
        amount: Money,
        description: String,
        capture: bool,
    ) -> Result<Box<Charge>, GatewayError> {
        let charge = NewCharge {
            amount,
            email,
            description,
            // A phone or repeat order has no buyer's address; the gateway requires one.
            ip_address: "127.0.0.1".into(),
            capture,
            source: PaymentSource::Customer(customer_id.to_string()),
            metadata: [("channel".to_string(), "paydeck saved card".to_string())].into(),
        };
        let action = if capture {
            "charge_customer"
        } else {
            "authorise_customer"
        };
        self.with_audit(
            action,
            key,
            customer_id,
            Some(amount),
            self.gateway.create_charge(&charge, key),
        )
        .await
        .map(Box::new)
    }
}
