//! Fuzz target `signature`: see `banner_fuzz::signature`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| banner_fuzz::signature::fuzz(data));
