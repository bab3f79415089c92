//! Stripe customers: one name where paydeck has two, the company in metadata, and the
//! default card as a PaymentMethod or a legacy source.

use async_trait::async_trait;

use super::request::{Form, full_name, source_fields};
use super::{StripeGateway, request, wire};
use crate::domain::{
    Charge, Customer, CustomerUpdate, NewCustomer, Page, PageRequest, PaymentSource,
};
use crate::gateway::contact;
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Customers, OperationKey, Result};

#[async_trait]
impl Customers for StripeGateway {
    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        let mut request = request::get("customers");
        for field in DEFAULT_CARD {
            request = request.query("expand[]", format!("data.{field}"));
        }
        self.page(request, page, wire::customer).await
    }

    async fn get_customer(&self, id: &str) -> Result<Customer> {
        self.one(customer_request(id)?, wire::customer).await
    }

    async fn create_customer(
        &self,
        customer: &NewCustomer,
        key: &OperationKey,
    ) -> Result<Customer> {
        let name = full_name(customer.first_name.as_ref(), customer.last_name.as_ref());
        let mut form = contact_form(name, &contact::as_update(customer));
        match &customer.card {
            PaymentSource::CardToken(pm) if pm.starts_with("pm_") => {
                form.put("payment_method", pm.clone())
                    .put("invoice_settings[default_payment_method]", pm.clone());
            }
            PaymentSource::Customer(_) => {}
            other => source_fields(other, &mut form),
        }
        self.post_customer("customer creation", "customers".into(), form, key)
            .await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        key: &OperationKey,
    ) -> Result<Customer> {
        let mut name = None;
        if update.first_name.is_some() || update.last_name.is_some() {
            // One name on Stripe: the half not being changed comes from what is there.
            let current = self.get_customer(id).await?;
            let first = update.first_name.as_ref().or(current.first_name.as_ref());
            let last = update.last_name.as_ref().or(current.last_name.as_ref());
            name = Some(full_name(first, last).unwrap_or_default());
        }
        let mut form = contact_form(name, update);
        match &update.primary_card_id {
            Some(pm) if pm.starts_with("pm_") => {
                form.put("invoice_settings[default_payment_method]", pm.clone());
            }
            Some(source) => {
                form.put("default_source", source.clone());
            }
            None => {}
        }
        let path = paths::record("customers", id)?;
        self.post_customer("customer update", path, form, key).await
    }

    async fn delete_customer(&self, id: &str, key: &OperationKey) -> Result<()> {
        self.delete("customer deletion", paths::record("customers", id)?, key)
            .await
    }

    async fn customer_charges(&self, id: &str, page: &PageRequest) -> Result<Page<Charge>> {
        let request = request::get("charges")
            .query("customer", id)
            .query("expand[]", "data.refunds");
        self.page(request, page, wire::charge).await
    }
}

/// Where a customer's default card is, expanded in every answer: a PaymentMethod or
/// a legacy source.
const DEFAULT_CARD: [&str; 2] = ["invoice_settings.default_payment_method", "default_source"];

impl StripeGateway {
    /// A keyed write of a customer, its default card expanded in the answer.
    async fn post_customer(
        &self,
        operation: &str,
        path: String,
        mut form: Form,
        key: &OperationKey,
    ) -> Result<Customer> {
        for field in DEFAULT_CARD {
            form.put("expand[]", field);
        }
        self.post(operation, path, form, key, wire::customer).await
    }
}

/// A customer's contact fields that are given, as Stripe names them: one `name`, and
/// the company in metadata.
fn contact_form(name: Option<String>, contact: &CustomerUpdate) -> Form {
    let mut form = Form::default();
    form.put_some("name", name.as_ref())
        .put_some("email", contact.email.as_ref())
        .put_some("phone", contact.phone.as_ref())
        .put_some("description", contact.notes.as_ref())
        .put_some(
            &format!("metadata[{}]", wire::COMPANY_METADATA),
            contact.company.as_ref(),
        );
    form
}

/// A customer, its default card expanded.
fn customer_request(id: &str) -> Result<Request> {
    let mut request = request::get(paths::record("customers", id)?);
    for field in DEFAULT_CARD {
        request = request.query("expand[]", field);
    }
    Ok(request)
}
