//! The requests an adapter sends, built once over what each gateway does its own way:
//! reading one record, sending one write ([`Exchange`], which [`OneClient`] gives an
//! adapter with one `HttpClient`) and reading one page ([`Transport::read_page`]).
//! Reading a record into the domain model, a page, a whole short list, and a write
//! checked before any retry are then the same for every adapter.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::http::{HttpClient, Request};
use super::list_records::{RawPage, whole};
use super::paging::every_page;
use super::write_once::{Applied, write_with_check};
use super::{Result, RetryPolicy};
use crate::domain::{Page, PageRequest};

/// Turns one record of the gateway's JSON into the domain model.
pub type Convert<T> = fn(&RawValue) -> Result<T>;

/// Items per page, and pages at most, when reading a whole short list (a charge's
/// refunds, a customer's cards).
const WHOLE_LIST_LIMIT: u32 = 100;
const WHOLE_LIST_PAGES: usize = 40;

/// One request and its answer, the way a gateway wants them sent.
pub(crate) trait Exchange: Sync {
    /// How long and how often a write's attempts go on.
    fn retry_policy(&self) -> RetryPolicy;

    /// One record, read (and retried while transient) and taken out of any envelope.
    fn read_record(&self, request: &Request) -> impl Future<Output = Result<Box<RawValue>>> + Send;

    /// One attempt at a write, and the record it answered; a body that cannot be read
    /// makes the write ambiguous.
    fn write_record(&self, request: &Request)
    -> impl Future<Output = Result<Box<RawValue>>> + Send;

    /// One attempt at a write whose answer has no record to read (a deletion).
    fn send(&self, request: &Request) -> impl Future<Output = Result<()>> + Send;
}

/// Reading and writing records of the domain model: an adapter's exchanges and its
/// paging, and what is built on them the same way for every gateway.
pub(crate) trait Transport: Exchange {
    /// One page of a list, its records not yet decoded.
    fn read_page(
        &self,
        request: Request,
        page: &PageRequest,
    ) -> impl Future<Output = Result<RawPage>> + Send;

    async fn one<T>(&self, request: Request, convert: Convert<T>) -> Result<T> {
        convert(&self.read_record(&request).await?)
    }

    async fn page<T>(
        &self,
        request: Request,
        page: &PageRequest,
        convert: Convert<T>,
    ) -> Result<Page<T>> {
        Ok(self.read_page(request, page).await?.decode(convert))
    }

    /// Every item of a short list, following pages; a record that cannot be read fails
    /// the list, since the exactly-once checks decide from all of it.
    async fn all<T>(&self, request: Request, convert: Convert<T>) -> Result<Vec<T>> {
        every_page(WHOLE_LIST_LIMIT, WHOLE_LIST_PAGES, |at| {
            let request = request.clone();
            async move { whole(self.page(request, &at, convert).await?) }
        })
        .await
    }

    async fn write<T>(&self, request: &Request, convert: Convert<T>) -> Result<T> {
        convert(&self.write_record(request).await?)
    }

    /// A write the gateway does not key: sent again only once `applied` says that
    /// no earlier attempt went through (`write_once::write_with_check`).
    async fn write_checked<T, C, CF>(
        &self,
        operation: &str,
        request: &Request,
        convert: Convert<T>,
        applied: C,
    ) -> Result<T>
    where
        C: FnMut() -> CF,
        CF: Future<Output = Result<Applied<T>>>,
    {
        write_with_check(
            self.retry_policy(),
            operation,
            || self.write(request, convert),
            applied,
        )
        .await
    }

    /// A create that carries its operation key in a field the gateway keeps unique (an
    /// order id): `find` looks it up by the key. It is the check before any retry, and
    /// answers a retry the gateway refuses with `duplicate`, which an earlier attempt
    /// that went through makes it do.
    async fn create_unique<T, F, FF>(
        &self,
        operation: &str,
        request: &Request,
        convert: Convert<T>,
        duplicate: &str,
        find: F,
    ) -> Result<T>
    where
        F: Fn() -> FF,
        FF: Future<Output = Result<Applied<T>>>,
    {
        let send = || async {
            match self.write(request, convert).await {
                Err(e) if e.is_refusal(duplicate) => match find().await? {
                    Applied::Yes(found) => Ok(found),
                    Applied::No => Err(e),
                },
                other => other,
            }
        };
        write_with_check(self.retry_policy(), operation, send, &find).await
    }
}

/// The exchanges of an adapter whose every request goes through one `HttpClient` (its
/// key fixed for the session), each record in an envelope of type `Record`. The
/// transactions gateway, whose tokens expire, implements [`Exchange`] itself.
pub(crate) trait OneClient: Sync {
    /// One record as the gateway sends it: the record itself, or an envelope around it.
    type Record: DeserializeOwned + Into<Box<RawValue>>;

    fn http(&self) -> &HttpClient;
}

impl<G: OneClient> Exchange for G {
    fn retry_policy(&self) -> RetryPolicy {
        self.http().retry_policy()
    }

    async fn read_record(&self, request: &Request) -> Result<Box<RawValue>> {
        let record: G::Record = self.http().read_json(request).await?;
        Ok(record.into())
    }

    async fn write_record(&self, request: &Request) -> Result<Box<RawValue>> {
        let record: G::Record = self.http().send(request).await?.json()?;
        Ok(record.into())
    }

    async fn send(&self, request: &Request) -> Result<()> {
        self.http().send(request).await.map(drop)
    }
}
