//! SplitMix64: a tiny deterministic PRNG, so that seeded data is identical
//! across crate versions and platforms (unlike `rand`, whose streams may change).

use std::ops::Range;

/// URL-safe base64 alphabet used by Pin-style tokens.
const TOKEN_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Deterministic pseudo-random generator (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng {
    state: u64,
}

/// The ULID alphabet.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// A generator for a sub-stream, so adding draws to one stream never shifts another.
    pub fn derive(seed: u64, stream: u64) -> Self {
        let mut base = Rng::new(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        Rng::new(base.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish value in `lo..hi` (returns `lo` for an empty range).
    pub fn range(&mut self, r: Range<u64>) -> u64 {
        if r.end <= r.start {
            return r.start;
        }
        r.start + self.next_u64() % (r.end - r.start)
    }

    /// Signed convenience wrapper over [`Rng::range`].
    pub fn range_i64(&mut self, r: Range<i64>) -> i64 {
        if r.end <= r.start {
            return r.start;
        }
        let span = r.end.abs_diff(r.start);
        r.start.wrapping_add(self.range(0..span) as i64)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        den > 0 && self.range(0..den) < num
    }

    /// True with probability `ppm / 1_000_000`.
    pub fn chance_ppm(&mut self, ppm: u32) -> bool {
        self.chance(u64::from(ppm), 1_000_000)
    }

    /// One element of a non-empty slice (callers pass constant tables).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.range(0..items.len() as u64) as usize;
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// `prefix_` followed by `len` alphanumeric characters, like Stripe ids.
    pub fn alnum_token(&mut self, prefix: &str, len: usize) -> String {
        const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut s = String::with_capacity(prefix.len() + 1 + len);
        s.push_str(prefix);
        s.push('_');
        for _ in 0..len {
            s.push(char::from(ALNUM[(self.next_u64() % 62) as usize]));
        }
        s
    }

    /// `prefix` followed directly (no underscore) by `len` lowercase letters and
    /// digits, like Openpay ids (`tr` + 18, `a` + 19, `k` + 19, `m` + 19).
    pub fn lower_alnum(&mut self, prefix: &str, len: usize) -> String {
        const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut s = String::with_capacity(prefix.len() + len);
        s.push_str(prefix);
        for _ in 0..len {
            s.push(char::from(ALPHABET[(self.next_u64() % 36) as usize]));
        }
        s
    }

    /// `prefix_` followed by a 26-character Crockford base32 ULID: 48 bits of
    /// `ms` (milliseconds since the epoch, so ids sort by time) and 80 bits
    /// from this stream.
    pub fn ulid(&mut self, prefix: &str, ms: u64) -> String {
        let random = (u128::from(self.next_u64()) << 16) ^ u128::from(self.next_u64() >> 48);
        let value = (u128::from(ms & 0xFFFF_FFFF_FFFF) << 80) | (random & ((1u128 << 80) - 1));
        let mut s = String::with_capacity(prefix.len() + 27);
        s.push_str(prefix);
        s.push('_');
        for i in (0..26).rev() {
            s.push(char::from(CROCKFORD[((value >> (5 * i)) & 31) as usize]));
        }
        s
    }

    /// The milliseconds a ULID made by [`Rng::ulid`] encodes in its first 10
    /// characters (`ulid` without its prefix); `None` if they are not Crockford
    /// base32.
    pub fn ulid_ms(ulid: &str) -> Option<u64> {
        ulid.as_bytes().get(..10)?.iter().try_fold(0u64, |ms, b| {
            let digit = CROCKFORD.iter().position(|c| c == b)?;
            Some((ms << 5) | digit as u64)
        })
    }

    /// `prefix_` followed by 22 URL-safe base64 characters, like Pin tokens.
    pub fn token(&mut self, prefix: &str) -> String {
        let mut s = String::with_capacity(prefix.len() + 23);
        s.push_str(prefix);
        s.push('_');
        for _ in 0..22 {
            s.push(char::from(TOKEN_ALPHABET[(self.next_u64() >> 58) as usize]));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn known_first_value() {
        // Reference value of SplitMix64 for seed 0; guards against accidental changes.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn a_ulid_gives_back_its_time() {
        let ms = 1_764_460_800_123;
        let id = Rng::new(3).ulid("stl", ms);
        assert_eq!(Rng::ulid_ms(&id[4..]), Some(ms));
        assert_eq!(Rng::ulid_ms("01J5XCMDXC"), Some(0x0191_7aca_37ac));
        assert_eq!(Rng::ulid_ms("01J5XCMDX!"), None);
        assert_eq!(Rng::ulid_ms("01J5"), None);
    }

    #[test]
    fn token_shape() {
        let t = Rng::new(1).token("ch");
        assert_eq!(t.len(), 25);
        assert!(t.starts_with("ch_"));
        assert!(
            t[3..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn range_bounds() {
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            let v = r.range(5..9);
            assert!((5..9).contains(&v));
            let w = r.range_i64(-3..2);
            assert!((-3..2).contains(&w));
        }
        assert_eq!(r.range(4..4), 4);
    }
}
