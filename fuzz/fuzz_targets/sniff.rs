//! Fuzz target `sniff`: see `banner_fuzz::sniff`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| banner_fuzz::sniff::fuzz(data));
