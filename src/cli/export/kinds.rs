//! What differs between the kinds `paydeck export` writes: how its filter reads (the
//! dashboard's `/` grammar, `app::filter_query`), whether the gateway lists it, its
//! gateway list, and its pages in the local store with the sync state that says
//! whether the store holds all of it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use super::rows::Exported;
use crate::app::filter_query::{self, DatedFilter, Today};
use crate::app::screens::RefundFilter;
use crate::app::screens::customers::customer_matches;
use crate::domain::{Charge, ChargeFilter, Customer, Dispute, Page, PageRequest, Payout, Refund};
use crate::gateway::{Capabilities, Gateway};
use crate::store::query::{PageFrom, StoreKey};
use crate::store::{CHARGES, Store, Stored};

/// Where the store's next page starts.
#[derive(Debug, Clone)]
pub enum StoreAt {
    /// The charges' own order.
    Charge(StoreKey),
    /// Other objects: newest first by creation, then id.
    Object(DateTime<Utc>, String),
}

/// One store page and where the next starts (`None`: that was the last).
pub type StorePage<T> = (Vec<T>, Option<StoreAt>);

#[async_trait]
pub trait Kind: Exported + Send + Sync + Sized + 'static {
    /// As typed on the command line and shown in messages: `charges`.
    const NAME: &'static str;
    /// Its `sync_state` resource, where the store holds this kind.
    const RESOURCE: Option<&'static str>;
    type Filter: Send + Sync;

    fn filter(text: &str, today: Today) -> Result<Self::Filter, String>;
    fn matches(filter: &Self::Filter, item: &Self) -> bool;
    /// Whether the gateway lists this kind at all.
    fn listed(caps: &Capabilities) -> bool;
    /// Newest first. Only charges are narrowed by the gateway, where it searches.
    async fn gateway_page(
        gateway: &dyn Gateway,
        request: &PageRequest,
        filter: &Self::Filter,
    ) -> crate::gateway::Result<Page<Self>>;
    /// Up to `limit` of the store's, newest first, from `at`.
    fn store_page(
        store: &Store,
        filter: &Self::Filter,
        at: Option<&StoreAt>,
        limit: usize,
    ) -> crate::store::Result<StorePage<Self>>;
}

#[async_trait]
impl Kind for Charge {
    const NAME: &'static str = "charges";
    const RESOURCE: Option<&'static str> = Some(CHARGES);
    type Filter = ChargeFilter;

    fn filter(text: &str, today: Today) -> Result<ChargeFilter, String> {
        filter_query::parse(text, today)
    }

    fn matches(filter: &ChargeFilter, item: &Charge) -> bool {
        filter.matches(item)
    }

    fn listed(_: &Capabilities) -> bool {
        true
    }

    async fn gateway_page(
        gateway: &dyn Gateway,
        request: &PageRequest,
        filter: &ChargeFilter,
    ) -> crate::gateway::Result<Page<Charge>> {
        gateway.list_charges(request, filter).await
    }

    fn store_page(
        store: &Store,
        filter: &ChargeFilter,
        at: Option<&StoreAt>,
        limit: usize,
    ) -> crate::store::Result<StorePage<Charge>> {
        let from = match at {
            Some(StoreAt::Charge(key)) => PageFrom::Older(*key),
            _ => PageFrom::Newest,
        };
        let rows = store.charge_page(filter, from, limit)?.rows;
        let next = (rows.len() >= limit)
            .then(|| rows.last().map(|(key, _)| StoreAt::Charge(*key)))
            .flatten();
        Ok((rows.into_iter().map(|(_, c)| c).collect(), next))
    }
}

/// The store's pages of an object table, newest first, each filtered as it is read.
fn object_page<T: Stored + Kind>(
    store: &Store,
    filter: &T::Filter,
    at: Option<&StoreAt>,
    limit: usize,
    created: impl Fn(&T) -> DateTime<Utc>,
) -> crate::store::Result<StorePage<T>> {
    let before = match at {
        Some(StoreAt::Object(created, id)) => Some((*created, id.as_str())),
        _ => None,
    };
    let page: Vec<T> = store.newest_objects(before, limit)?;
    let next = (page.len() >= limit)
        .then(|| {
            page.last()
                .map(|last| StoreAt::Object(created(last), Stored::id(last).to_string()))
        })
        .flatten();
    let kept = page.into_iter().filter(|o| T::matches(filter, o)).collect();
    Ok((kept, next))
}

/// `Kind` for an object kind: its name, its store table's sync resource (or none), its
/// filter, the capability that says the gateway lists it and the adapter's method.
macro_rules! object_kind {
    ($type:ty, $name:literal, $resource:expr, $filter:ty, $parse:expr, $matches:expr,
     $capability:ident, $list:ident, $store:expr) => {
        #[async_trait]
        impl Kind for $type {
            const NAME: &'static str = $name;
            const RESOURCE: Option<&'static str> = $resource;
            type Filter = $filter;

            fn filter(text: &str, today: Today) -> Result<$filter, String> {
                ($parse)(text, today)
            }

            fn matches(filter: &$filter, item: &$type) -> bool {
                ($matches)(filter, item)
            }

            fn listed(caps: &Capabilities) -> bool {
                caps.$capability
            }

            async fn gateway_page(
                gateway: &dyn Gateway,
                request: &PageRequest,
                _: &$filter,
            ) -> crate::gateway::Result<Page<$type>> {
                gateway.$list(request).await
            }

            fn store_page(
                store: &Store,
                filter: &$filter,
                at: Option<&StoreAt>,
                limit: usize,
            ) -> crate::store::Result<StorePage<$type>> {
                ($store)(store, filter, at, limit)
            }
        }
    };
}

object_kind!(
    Refund,
    "refunds",
    Some(<Refund as Stored>::TABLE),
    RefundFilter,
    filter_query::parse_refunds,
    |f: &RefundFilter, r: &Refund| f.matches(r),
    refund_list,
    list_refunds,
    |s: &Store, f: &RefundFilter, at: Option<&StoreAt>, n| object_page::<Refund>(
        s,
        f,
        at,
        n,
        |r| r.created
    )
);

object_kind!(
    Customer,
    "customers",
    Some(<Customer as Stored>::TABLE),
    String,
    |text: &str, _: Today| Ok::<_, String>(text.trim().to_string()),
    |text: &String, c: &Customer| customer_matches(text)(c),
    customers,
    list_customers,
    |s: &Store, f: &String, at: Option<&StoreAt>, n| object_page::<Customer>(s, f, at, n, |c| c
        .created)
);

object_kind!(
    Payout,
    "payouts",
    Some(<Payout as Stored>::TABLE),
    DatedFilter,
    filter_query::parse_dated,
    |f: &DatedFilter, p: &Payout| f.matches(
        p.created,
        &[
            p.id.as_str(),
            p.bank_reference.as_deref().unwrap_or(""),
            p.statement_descriptor.as_deref().unwrap_or(""),
            p.status.label(),
        ]
    ),
    payouts,
    list_payouts,
    |s: &Store, f: &DatedFilter, at: Option<&StoreAt>, n| object_page::<Payout>(s, f, at, n, |p| p
        .created)
);

object_kind!(
    Dispute,
    "disputes",
    None,
    DatedFilter,
    filter_query::parse_dated,
    |f: &DatedFilter, d: &Dispute| f.matches(
        d.created,
        &[
            d.id.as_str(),
            d.charge_id.as_str(),
            d.reason.as_str(),
            d.status.label()
        ]
    ),
    disputes,
    list_disputes,
    // The store keeps no disputes: they are always read from the gateway.
    |_: &Store, _: &DatedFilter, _: Option<&StoreAt>, _| Ok((Vec::new(), None))
);
