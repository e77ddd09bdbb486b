//! Helpers for the unit tests.

/// A xorshift generator of pseudo-random numbers from `seed` (not zero):
/// the same sequence on every run, for tests that sweep random inputs.
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
