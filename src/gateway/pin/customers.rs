//! Pin customers: listing, reading, creating, updating and deleting them, and a
//! customer's charges. Pin customers carry no metadata, so a create is found again by
//! its email and time.

use chrono::{Duration, Utc};

use super::form::source_fields;
use super::{PinGateway, wire};
use crate::domain::{Charge, Customer, CustomerUpdate, NewCustomer, PageRequest};
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
        let mut fields = vec![("email".to_string(), customer.email.clone())];
        let optional = [
            ("first_name", &customer.first_name),
            ("last_name", &customer.last_name),
            ("phone_number", &customer.phone),
            ("company", &customer.company),
            ("notes", &customer.notes),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                fields.push((name.to_string(), value.clone()));
            }
        }
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
        let changes = [
            ("email", &update.email),
            ("first_name", &update.first_name),
            ("last_name", &update.last_name),
            ("phone_number", &update.phone),
            ("company", &update.company),
            ("notes", &update.notes),
            ("primary_card_token", &update.primary_card_id),
        ];
        let fields = changes
            .into_iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())))
            .collect();
        let request = Request::put(paths::record("customers", id)?).form(fields);
        // Setting fields to given values cannot apply twice.
        write_idempotent(self.http.retry_policy(), || {
            self.write(&request, wire::customer)
        })
        .await
    }
}
