//! A new customer's contact fields as an update that sets every one it gives, so that
//! an adapter writes a customer's fields one way for a create and an update alike.

use crate::domain::{CustomerUpdate, NewCustomer};

pub fn as_update(customer: &NewCustomer) -> CustomerUpdate {
    CustomerUpdate {
        email: Some(customer.email.clone()),
        first_name: customer.first_name.clone(),
        last_name: customer.last_name.clone(),
        phone: customer.phone.clone(),
        company: customer.company.clone(),
        notes: customer.notes.clone(),
        primary_card_id: None,
    }
}
