//! Pin customers: listing, reading, creating, updating and deleting them, and a
//! customer's charges. Pin customers carry no metadata, so a create is found again by
//! its email and time.

use chrono::{Duration, Utc};

use super::form::{contact_fields, source_fields};
use super::{PinGateway, wire};
use crate::domain::{Charge, Customer, CustomerUpdate, NewCustomer, PageRequest};
use crate::gateway::contact;
use crate::gateway::customer_records::CustomerRecords;
use crate::gateway::http::Request;
use crate::gateway::list_records::whole;
use crate::gateway::paths;
use crate::gateway::transport::{Convert, Transport};
use crate::gateway::write_once::write_idempotent;
use crate::gateway::{Customers, OperationKey, Result};

impl CustomerRecords for PinGateway {
    const CUSTOMER: Convert<Customer> = wire::customer;
    const CHARGE: Convert<Charge> = wire::charge;

    async fn create(&self, customer: &NewCustomer, _key: &OperationKey) -> Result<Customer> {
        let mut fields = contact_fields(&contact::as_update(customer));
        source_fields(&customer.card, &mut fields);
        let request = Request::post("customers").form(fields);
        let started = Utc::now();
        self.write_checked("customer creation", &request, wire::customer, || async {
            // Pin customers carry no metadata: look for a customer with this email
            // created since we asked (allowing for clock skew), newest first.
            let page = whole(self.list_customers(&PageRequest::first(100)).await?)?;
            let since = started - Duration::minutes(5);
            Ok(page
                .items
                .into_iter()
                .find(|c| c.email == customer.email && c.created >= since)
                .into())
        })
        .await
    }

    async fn update(&self, id: &str, update: &CustomerUpdate) -> Result<Customer> {
        let fields = contact_fields(update);
        let request = Request::put(paths::record("customers", id)?).form(fields);
        // Setting fields to given values cannot apply twice.
        write_idempotent(self.http.retry_policy(), || {
            self.write(&request, wire::customer)
        })
        .await
    }
}
