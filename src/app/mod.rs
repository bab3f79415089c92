//! The dashboard's core: one `Model`, the `Msg`s that change it, `update` (the only code
//! that does), and the `Effect`s it asks for.

pub mod charge_list;
pub mod command;
pub mod dialog;
pub mod effect;
pub mod event_loop;
pub mod filter_query;
pub mod keymap;
mod keys;
pub mod model;
pub mod msg;
pub mod poll;
pub mod runner;
pub mod update;

pub use effect::Effect;
pub use model::Model;
pub use msg::Msg;
pub use update::update;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod update_tests;
