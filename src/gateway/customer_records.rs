//! Customers kept the way Pin and Openpay keep them: listed at `customers`, each at
//! `customers/{id}` and its charges at `customers/{id}/charges`, deleted by a DELETE
//! that no gateway keys, so checked by reading the customer back. An adapter says how
//! its JSON reads and how it creates and updates a customer; the rest of
//! [`Customers`] is the same for both.

use std::future::Future;

use async_trait::async_trait;

use super::http::Request;
use super::transport::{Convert, Transport};
use super::write_once::{deleted, write_with_check};
use super::{Customers, OperationKey, Result, paths};
use crate::domain::{Charge, Customer, CustomerUpdate, NewCustomer, Page, PageRequest};

pub(crate) trait CustomerRecords: Transport + Send {
    /// One customer of the gateway's JSON.
    const CUSTOMER: Convert<Customer>;
    /// One charge of the gateway's JSON.
    const CHARGE: Convert<Charge>;

    /// [`Customers::create_customer`]: each gateway finds an earlier attempt its own way.
    fn create(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> impl Future<Output = Result<Customer>> + Send;

    /// [`Customers::update_customer`].
    fn update(
        &self,
        id: &str,
        update: &CustomerUpdate,
    ) -> impl Future<Output = Result<Customer>> + Send;

    /// A customer as read, made whole: Openpay's says which card is its primary one
    /// only once its cards are read.
    fn complete(&self, customer: Customer) -> impl Future<Output = Result<Customer>> + Send {
        std::future::ready(Ok(customer))
    }

    /// A customer as the gateway has it, not made whole.
    fn customer_record(&self, id: &str) -> impl Future<Output = Result<Customer>> + Send {
        async move {
            let request = Request::get(paths::record("customers", id)?);
            Self::CUSTOMER(&self.read_record(&request).await?)
        }
    }
}

#[async_trait]
impl<G: CustomerRecords> Customers for G {
    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        let records = self.read_page(Request::get("customers"), page).await?;
        Ok(records.decode(G::CUSTOMER))
    }

    async fn get_customer(&self, id: &str) -> Result<Customer> {
        self.complete(self.customer_record(id).await?).await
    }

    async fn create_customer(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> Result<Customer> {
        self.create(customer, key).await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        _key: &OperationKey,
    ) -> Result<Customer> {
        self.update(id, update).await
    }

    async fn delete_customer(&self, id: &str, _key: &OperationKey) -> Result<()> {
        let request = Request::delete(paths::record("customers", id)?);
        let send = || self.send(&request);
        let gone = || async { deleted(self.customer_record(id).await) };
        write_with_check(self.retry_policy(), "customer deletion", send, gone).await
    }

    async fn customer_charges(&self, id: &str, page: &PageRequest) -> Result<Page<Charge>> {
        let request = Request::get(paths::below("customers", id, "charges")?);
        Ok(self.read_page(request, page).await?.decode(G::CHARGE))
    }
}
