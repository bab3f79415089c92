//! A stable digest of text (64-bit FNV-1a), for numbers a dialect derives
//! from an id so that the same id always shows the same number.

/// The FNV-1a digest of `text`.
pub(crate) fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
