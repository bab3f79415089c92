//! `paydeck recon claim`: an operator takes an item of a shared session (an exception,
//! usually) so that the others leave it to them, or gives it up with `--release`.

use super::audit::{Action, audited};
use super::marks::on_board;
use super::{Recon, ReconError};
use crate::store::sessions::{CLAIM_IDLE, ItemRef};

#[derive(clap::Args, Debug)]
pub struct ClaimArgs {
    /// The session's name.
    pub name: String,
    /// The item to claim, usually an exception:<ref>.
    #[arg(value_parser = ItemRef::parse)]
    pub item: ItemRef,
    /// Give the claim up instead.
    #[arg(long)]
    pub release: bool,
}

pub fn claim(recon: &mut Recon, args: &ClaimArgs) -> Result<(), ReconError> {
    let action = Action {
        action: if args.release {
            "recon_release"
        } else {
            "recon_claim"
        },
        session: &args.name,
        target: args.item.token(),
        reason: None,
    };
    audited(recon, action, |recon| {
        let (summary, worked) = recon.work(&args.name)?;
        on_board(&worked.board, &args.item)?;
        let stamp = recon.stamp();
        let token = args.item.token();
        if args.release {
            let released = recon.sessions.release(summary.id, &args.item, &stamp)?;
            return Ok(if released {
                format!("released {token}")
            } else {
                format!("{token} was not yours to release: nothing changed")
            });
        }
        recon.sessions.claim(summary.id, &args.item, &stamp)?;
        Ok(format!(
            "claimed {token}: other operators are refused it until you release it \
             (--release) or leave it {} minutes",
            CLAIM_IDLE.num_minutes()
        ))
    })
}
