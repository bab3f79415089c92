//! Stripe customers: one name where paydeck has two, the company in metadata, and the
//! default card as a PaymentMethod or a legacy source.

use async_trait::async_trait;

use super::request::{Form, full_name, source_fields};
use super::{StripeGateway, request, wire};
use crate::domain::{
    Charge, Customer, CustomerUpdate, NewCustomer, Page, PageRequest, PaymentSource,
};
use crate::gateway::http::Request;
use crate::gateway::paths;
use crate::gateway::transport::Transport;
use crate::gateway::{Customers, OperationKey, Result};

#[async_trait]
impl Customers for StripeGateway {
    async fn list_customers(&self, page: &PageRequest) -> Result<Page<Customer>> {
        let request = request::get("customers")
            .query("expand[]", "data.invoice_settings.default_payment_method")
            .query("expand[]", "data.default_source");
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
        let mut form = Form::default();
        form.put("email", customer.email.clone())
            .put_some(
                "name",
                full_name(customer.first_name.as_ref(), customer.last_name.as_ref()).as_ref(),
            )
            .put_some("phone", customer.phone.as_ref())
            .put_some("description", customer.notes.as_ref())
            .put_some(
                &format!("metadata[{}]", wire::COMPANY_METADATA),
                customer.company.as_ref(),
            );
        match &customer.card {
            PaymentSource::CardToken(pm) if pm.starts_with("pm_") => {
                form.put("payment_method", pm.clone())
                    .put("invoice_settings[default_payment_method]", pm.clone());
            }
            PaymentSource::Customer(_) => {}
            other => source_fields(other, &mut form),
        }
        form.put("expand[]", "invoice_settings.default_payment_method")
            .put("expand[]", "default_source");
        self.post("customer creation", "customers", form, key, wire::customer)
            .await
    }

    async fn update_customer(
        &self,
        id: &str,
        update: &CustomerUpdate,
        key: &OperationKey,
    ) -> Result<Customer> {
        let mut form = Form::default();
        if update.first_name.is_some() || update.last_name.is_some() {
            // One name on Stripe: the half not being changed comes from what is there.
            let current = self.get_customer(id).await?;
            let first = update.first_name.as_ref().or(current.first_name.as_ref());
            let last = update.last_name.as_ref().or(current.last_name.as_ref());
            form.put("name", full_name(first, last).unwrap_or_default());
        }
        form.put_some("email", update.email.as_ref())
            .put_some("phone", update.phone.as_ref())
            .put_some("description", update.notes.as_ref())
            .put_some(
                &format!("metadata[{}]", wire::COMPANY_METADATA),
                update.company.as_ref(),
            );
        match &update.primary_card_id {
            Some(pm) if pm.starts_with("pm_") => {
                form.put("invoice_settings[default_payment_method]", pm.clone());
            }
            Some(source) => {
                form.put("default_source", source.clone());
            }
            None => {}
        }
        form.put("expand[]", "invoice_settings.default_payment_method")
            .put("expand[]", "default_source");
        self.post(
            "customer update",
            paths::record("customers", id)?,
            form,
            key,
            wire::customer,
        )
        .await
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

/// A customer, its default card expanded whichever way it is set.
fn customer_request(id: &str) -> Result<Request> {
    Ok(request::get(paths::record("customers", id)?)
        .query("expand[]", "invoice_settings.default_payment_method")
        .query("expand[]", "default_source"))
}
