//! `OfflineManager::open` outside Outlook: a clear error, not a crash. Windows only (the
//! function exists only there); issue 4 runs it under Wine.
#![cfg(windows)]

use mapi_notify_sink::{sys, OfflineManager};

#[test]
fn open_without_outlook_names_what_it_looked_for() {
    let error =
        OfflineManager::open("Outlook").expect_err("no Outlook MAPI is loaded in a test process");
    assert_eq!(error.code(), sys::MAPI_E_NOT_FOUND);
    let message = error.to_string();
    for looked_for in [
        "HrOpenOfflineObj",
        "olmapi32.dll",
        "msmapi32.dll",
        "MAPI_E_NOT_FOUND",
    ] {
        assert!(
            message.contains(looked_for),
            "{message:?} does not mention {looked_for}"
        );
    }
}

#[test]
fn open_rejects_a_profile_with_nul() {
    let error =
        OfflineManager::open("Out\0look").expect_err("a NUL cannot be passed to a C string");
    assert_eq!(error.code(), sys::E_INVALIDARG);
}
