//! Fuzz target `http_body`: see `banner_fuzz::body`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| banner_fuzz::body::fuzz(data));
