//! Nothing but the test in `tests/msgstore.rs`: the library's advise-sink client and sink
//! against outlook-mapi-sys's bindings (Windows).
