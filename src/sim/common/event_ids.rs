//! Event ids for the dialects' events lists: `evt_`, the change's `seq` in
//! ten base-62 digits (so an id leads back to its change without a table),
//! then characters drawn from the seq's own random stream, to the length the
//! dialect spells its ids (Stripe 24 after `evt_`, Pin 22).

use crate::sim::rng::Rng;

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// 62^10 is more than 8 * 10^17 changes.
const SEQ_DIGITS: usize = 10;
/// The random stream event ids draw from (no other use of `Rng::derive` takes it).
const EVENT_STREAM: u64 = 0x6576_7473;

/// The id of change `seq`: `evt_` and `len` characters after it.
pub(crate) fn event_id(seq: u64, len: usize) -> String {
    let mut digits = [b'0'; SEQ_DIGITS];
    let mut n = seq;
    for d in digits.iter_mut().rev() {
        *d = DIGITS[(n % 62) as usize];
        n /= 62;
    }
    let tail = Rng::derive(seq, EVENT_STREAM).alnum_token("evt", len.saturating_sub(SEQ_DIGITS));
    let mut id = String::with_capacity(4 + len);
    id.push_str("evt_");
    id.extend(digits.iter().map(|&b| char::from(b)));
    id.push_str(tail.strip_prefix("evt_").unwrap_or(&tail));
    id
}

/// The `seq` an id made by [`event_id`] with `len` names; `None` for
/// anything else.
pub(crate) fn event_seq(id: &str, len: usize) -> Option<u64> {
    let digits = id.strip_prefix("evt_")?.get(..SEQ_DIGITS)?;
    let seq = digits.bytes().try_fold(0u64, |n, b| {
        let d = DIGITS.iter().position(|&c| c == b)? as u64;
        n.checked_mul(62)?.checked_add(d)
    })?;
    (event_id(seq, len) == id).then_some(seq)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_leads_back_to_its_seq_and_nothing_else_does() {
        for seq in [1, 61, 62, 1_000_003, u64::MAX / 1024] {
            let id = event_id(seq, 24);
            assert_eq!(id.len(), 28, "{id}");
            assert_eq!(event_seq(&id, 24), Some(seq));
            assert_eq!(event_seq(&id, 22), None);
        }
        assert_ne!(event_id(7, 24), event_id(8, 24));
        let mut forged = event_id(5, 24);
        forged.pop();
        forged.push('!');
        assert_eq!(event_seq(&forged, 24), None);
        assert_eq!(event_seq("evt_", 24), None);
        assert_eq!(event_seq("ch_0000000001abc", 24), None);
    }
}
