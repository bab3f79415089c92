//! Drawing each screen: one file per screen of `app::screens`, by the same name.

pub mod charge;
pub mod charges;
pub mod customer;
pub mod customers;
pub mod disputes;
pub mod refunds;
