//! Builds `cpp/notify_caller.cpp` and `cpp/advise_caller.cpp`, the C++ callers that
//! `tests/cpp_caller.rs` hands an offline sink and an advise sink to.
//!
//! A C++ compiler is optional for contributors: when none can be started, the build goes on,
//! says so with a `cargo:warning`, and the test reports itself skipped (the `has_cpp_caller`
//! cfg is not set). CI sets `MAPI_REQUIRE_CXX=1`, which turns a missing compiler into a build
//! failure, so the proof cannot silently stop running there.
//!
//! A compiler that starts but rejects the file always fails the build: its `static_assert`s on
//! the `MAPIOFFLINE_NOTIFY` layout are part of what this test proves, and skipping on them
//! would hide exactly the bug they exist to catch.

use std::env;
use std::process::Stdio;

const SOURCE: &str = "cpp/notify_caller.cpp";
/// The advise sink's C++ caller, built into the same library.
const ADVISE_SOURCE: &str = "cpp/advise_caller.cpp";
/// Included by the sources (`mapioffline.h` also by the Windows caller in `windows-capi/cpp/`).
const HEADERS: [&str; 3] = ["cpp/mapioffline.h", "cpp/com.h", "cpp/mapidefs.h"];
const REQUIRE_VAR: &str = "MAPI_REQUIRE_CXX";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for file in [SOURCE, ADVISE_SOURCE].iter().chain(&HEADERS) {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-env-changed={REQUIRE_VAR}");
    // `cc` itself asks Cargo to rerun when CXX, CXX_<target>, CXXFLAGS and the like change.
    println!("cargo:rustc-check-cfg=cfg(has_cpp_caller)");

    let required = env::var(REQUIRE_VAR).is_ok_and(|value| value == "1");

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .file(SOURCE)
        .file(ADVISE_SOURCE)
        // Nothing in the file uses the C++ runtime, so do not ask the linker for libstdc++.
        .cpp_link_stdlib(None)
        .warnings(true)
        .extra_warnings(true);

    let compiler = match compiler_that_runs(&build) {
        Ok(compiler) => compiler,
        Err(why) if required => {
            panic!(
                "{REQUIRE_VAR}=1 but no C++ compiler for the target can be run ({why}); \
                 install one (g++ or clang++ on Linux, MSVC on Windows) or point CXX at it"
            )
        }
        Err(why) => {
            println!(
                "cargo:warning=C++ caller test skipped: no C++ compiler for the target can be run \
             ({why}). Install one (g++ on Linux, mingw-w64 for windows-gnu, MSVC for \
             windows-msvc) or set CXX to enable tests/tests/cpp_caller.rs; set {REQUIRE_VAR}=1 \
             to make this an error."
            );
            return;
        }
    };

    // No exceptions, no RTTI: the file needs neither, so it needs no C++ runtime support.
    // (MSVC has no exceptions unless asked with /EHsc, and spells "no RTTI" /GR-.)
    let flags: &[&str] = if compiler.is_like_msvc() {
        &["/GR-"]
    } else {
        &["-fno-exceptions", "-fno-rtti"]
    };
    for flag in flags {
        build.flag_if_supported(flag);
    }
    // 32-bit Windows promises only a 4-byte aligned stack, and that is what Rust's code calls
    // with; mingw's GCC assumes 16 unless told, and then places an `alignas(8)` local at a
    // 4-aligned address. MSVC, which Outlook's callers are built with, makes no such assumption.
    if env::var("TARGET").unwrap_or_default() == "i686-pc-windows-gnu" {
        build.flag("-mincoming-stack-boundary=2");
    }

    if let Err(error) = build.try_compile("notify_caller") {
        panic!(
            "the C++ compiler runs but could not build {SOURCE} and {ADVISE_SOURCE}: {error}\n\
             (a failed static_assert there means MAPIOFFLINE_NOTIFY or NOTIFICATION is not laid \
             out as the C header says)"
        );
    }
    println!("cargo:rustc-cfg=has_cpp_caller");
}

/// The C++ compiler `cc` would use, if it can be started at all (its exit status does not
/// matter: MSVC's `cl` has no `--version`, and any answer proves it is there) and builds for the
/// target.
fn compiler_that_runs(build: &cc::Build) -> Result<cc::Tool, String> {
    // Quietly: when the compiler is missing, the one warning worth reading is ours.
    let compiler = build
        .clone()
        .cargo_warnings(false)
        .try_get_compiler()
        .map_err(|error| error.to_string())?;
    // With no cl.exe or clang-cl (any non-Windows machine), `cc` falls back to the host's GNU
    // compiler for an MSVC target. Its object would be laid out for the host, not for MSVC, and
    // could not be linked into the test anyway: for an MSVC target, that is no compiler at all.
    // (CI's clippy runs for the msvc targets check the Rust code; they never link.)
    let target = env::var("TARGET").unwrap_or_default();
    if target.ends_with("-msvc") && !compiler.is_like_msvc() {
        return Err(format!(
            "no MSVC C++ compiler (cl.exe or clang-cl) for {target}; `{}` builds for another target",
            compiler.path().display()
        ));
    }
    compiler
        .to_command()
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|_| ())
        .map_err(|error| format!("`{}`: {error}", compiler.path().display()))?;
    Ok(compiler)
}
