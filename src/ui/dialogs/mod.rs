//! Drawing each dialog: one file per dialog of `app::dialogs`, by the same name, and the
//! frame and fit they share.

pub mod action;
pub mod confirm;
pub mod copy_menu;
pub mod evidence;
pub mod fit;
pub mod frame;
pub mod new_charge;
pub mod recon;
