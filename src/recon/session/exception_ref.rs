//! The name an exception of the queue is kept under in the session, so that a flag,
//! an ignore or a note on it finds it again each time the queue is worked out anew.

use sha2::{Digest, Sha256};

use crate::recon::Exception;
use crate::recon::import::LineIdentity;
use crate::store::sessions::{ItemKind, ItemRef};

/// Past this many characters the name is shortened to a hash of itself.
const NAME_MAX: usize = 400;

/// `late_deposit:bank:…|po_1|` — the kind, the deposits' identities, the payouts and
/// the charges the exception is about; the same exception always gets the same name.
pub fn exception_ref(
    exception: &Exception,
    identity_of: &dyn Fn(usize) -> LineIdentity,
) -> ItemRef {
    let deposits: Vec<String> = exception
        .deposits
        .iter()
        .map(|d| identity_of(*d).as_str().to_string())
        .collect();
    let name = format!(
        "{}:{}|{}|{}",
        exception.kind.name(),
        deposits.join(","),
        exception.payouts.join(","),
        exception.charges.join(",")
    );
    let name = if name.chars().count() > NAME_MAX {
        let hash = Sha256::digest(name.as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}:sha256:{hex}", exception.kind.name())
    } else {
        name
    };
    ItemRef::of(ItemKind::Exception, "", &name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{Currency, Money};
    use crate::recon::ExceptionKind;

    fn exception(charges: usize) -> Exception {
        Exception {
            kind: ExceptionKind::LinesDoNotAddUp,
            deposits: vec![0],
            payouts: vec!["po_1".into()],
            charges: (0..charges).map(|n| format!("ch_{n:030}")).collect(),
            amount: Money::zero(Currency::AUD),
            why: String::new(),
        }
    }

    #[test]
    fn the_same_exception_gets_the_same_name_and_a_long_one_a_hash() {
        let identity = |_| LineIdentity::from_stored("bank:acct:1".into());
        let short = exception_ref(&exception(1), &identity);
        assert_eq!(
            short.id,
            format!("lines_do_not_add_up:bank:acct:1|po_1|ch_{:030}", 0)
        );
        assert_eq!(short, exception_ref(&exception(1), &identity));
        let long = exception_ref(&exception(50), &identity);
        assert!(
            long.id.starts_with("lines_do_not_add_up:sha256:"),
            "{}",
            long.id
        );
        assert_ne!(long, exception_ref(&exception(49), &identity));
    }
}
