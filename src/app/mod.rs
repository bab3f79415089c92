//! The dashboard's core: one `Model`, the `Msg`s that change it, `update` (the only code
//! that does), and the `Effect`s it asks for.

pub mod charge_list;
pub mod command;
pub mod copy_menu;
pub mod dialogs;
pub mod effect;
pub mod event_loop;
pub mod filter_query;
pub mod interrupted;
pub mod jump;
pub mod key_mint;
pub mod keymap;
mod keys;
pub mod layout;
pub mod listing;
pub mod mode_keys;
pub mod model;
pub mod msg;
pub mod offers;
pub mod paged;
pub mod poll;
pub mod profile_switch;
pub mod quitting;
pub mod recon_ask;
pub mod request;
pub mod runner;
mod runner_charge_claim;
mod runner_recon;
mod runner_store;
pub mod screens;
pub mod selection;
mod sessions_reopen;
pub mod sort;
pub mod store_window;
pub mod text_area;
pub mod unreadable;
pub mod update;

pub use effect::Effect;
pub use model::Model;
pub use msg::Msg;
pub use update::update;

#[cfg(test)]
mod capability_tests;
#[cfg(test)]
mod customer_search_tests;
#[cfg(test)]
mod dispute_tests;
#[cfg(test)]
mod effect_contract_tests;
#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod free_text_tests;
#[cfg(test)]
mod mode_key_tests;
#[cfg(test)]
mod pane_tests;
#[cfg(test)]
mod payout_tests;
#[cfg(test)]
mod quitting_tests;
#[cfg(test)]
pub(crate) mod recon_fixtures;
#[cfg(test)]
mod recon_live_tests;
#[cfg(test)]
mod recon_team_tests;
#[cfg(test)]
mod recon_tests;
#[cfg(test)]
mod reliability_tests;
#[cfg(test)]
mod resync_tests;

#[cfg(test)]
mod sort_tests;
#[cfg(test)]
mod stats_tests;
#[cfg(test)]
mod update_tests;
#[cfg(test)]
mod zone_tests;
