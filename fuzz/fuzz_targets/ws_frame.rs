//! Fuzz target `ws_frame`: see `banner_fuzz::frame`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| banner_fuzz::frame::fuzz(data));
