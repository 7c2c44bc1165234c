//! See [`nguoitot_fuzz::front_matter`] for what this target feeds and what must hold.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nguoitot_fuzz::front_matter(data));
