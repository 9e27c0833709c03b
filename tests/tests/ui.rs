//! Compile-fail cases: one misuse of an attribute per file, `#[mapi_notify_sink]`'s in
//! `tests/ui/notify/`, `#[mapi_advise_sink]`'s in `tests/ui/advise/` and
//! `#[outlook_addin]`'s in `tests/ui/addin/`, and what the simulators' types make impossible
//! to write (a value that would be read past its end) in `tests/ui/simulator/`, a `Dispatch`
//! sent or shared across threads in `tests/ui/automation/`,
//! `#[outlook_events]`'s in `tests/ui/events/`, each with
//! the `.stderr` a user sees. Regenerate after an intended change with
//! `TRYBUILD=overwrite cargo test -p mapi-notify-sink-tests --test ui`, then read every diff.

use std::process::Command;

/// The compiler the `.stderr` files were written with, CI's pinned stable (`.ci/toolchains`):
/// other versions word their own notes differently, so on those the comparison would fail for
/// reasons that are not ours.
fn blessed_rustc() -> String {
    let pins = include_str!("../../.ci/toolchains");
    let stable = pins
        .lines()
        .find_map(|line| line.strip_prefix("MAPI_STABLE="))
        .expect(".ci/toolchains names MAPI_STABLE");
    format!("rustc {stable} ")
}

#[test]
// trybuild runs cargo and rustc: a Windows test binary cross-run under Wine cannot.
#[cfg_attr(
    windows,
    ignore = "compile-fail tests run on the build host, not under Wine"
)]
fn ui() {
    let version = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
        .unwrap_or_default();
    let blessed = blessed_rustc();
    if !version.starts_with(&blessed) && std::env::var_os("MAPI_UI_TESTS").is_none() {
        eprintln!(
            "skipped: the UI .stderr files are written for {} and this is {version:?}; \
             set MAPI_UI_TESTS=1 to compare anyway",
            blessed.trim_end()
        );
        return;
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/notify/*.rs");
    cases.compile_fail("ui/advise/*.rs");
    cases.compile_fail("ui/addin/*.rs");
    cases.compile_fail("ui/simulator/*.rs");
    cases.compile_fail("ui/automation/*.rs");
    cases.compile_fail("ui/events/*.rs");
}
