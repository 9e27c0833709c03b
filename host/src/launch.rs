//! A run in a host process of its own, for [`Simulation::run`]: always on Linux (the host is a
//! Windows program, run under Wine), and on Windows for [`Simulation::this_crate`], another
//! bitness than the test's, or [`Simulation::local_app_data`]. Builds what the run needs with
//! cargo (the crate's DLL; on Windows the host too), checks first that every piece is there
//! (the Rust target, mingw-w64's linker, Wine, the installed `outlook-sim`) and names the
//! command that installs a missing one, then reads the host's output into a [`Report`] and the
//! add-in's log from a `%LOCALAPPDATA%` of the run's own.

use crate::report::{log_lines, Report, EXIT_CRASH, EXIT_PASS, EXIT_USAGE};
use crate::simulation::{Simulation, Target};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// This library's checkout: the installer and (on Windows) the host's source are in it.
fn checkout() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Runs `simulation` in a host process of its own. Whatever stops it before the host runs is
/// the report's one failure.
pub(crate) fn run(simulation: &Simulation) -> Report {
    let mut report = Report::empty();
    if let Err(problem) = run_in_host(simulation, &mut report) {
        println!("FAIL: {problem}");
        report.failures.push(problem);
    }
    report
}

/// The Rust target of Office's bitness: the `-gnu` ones on Linux (mingw-w64 links them), the
/// test's own toolchain's kind on Windows.
pub(crate) fn rust_target(bits: u32) -> Result<&'static str, String> {
    let msvc = cfg!(all(windows, target_env = "msvc"));
    match (bits, msvc) {
        (64, false) => Ok("x86_64-pc-windows-gnu"),
        (32, false) => Ok("i686-pc-windows-gnu"),
        (64, true) => Ok("x86_64-pc-windows-msvc"),
        (32, true) => Ok("i686-pc-windows-msvc"),
        (other, _) => Err(format!(
            "bits({other}): Office is 32- or 64-bit (.bits(32) or .bits(64))"
        )),
    }
}

/// What the checks for missing pieces look at, from the process's environment (tests make
/// their own, each hiding one piece).
pub(crate) struct Probe {
    /// `PATH`.
    pub(crate) path: Option<OsString>,
    /// The home folder, for `~/.local/bin/outlook-sim`.
    pub(crate) home: Option<PathBuf>,
    /// The Rust toolchain's sysroot (`rustc --print sysroot`).
    pub(crate) sysroot: Option<PathBuf>,
}

impl Probe {
    fn of_this_process() -> Probe {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
        let sysroot = Command::new(rustc)
            .args(["--print", "sysroot"])
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()));
        Probe {
            path: std::env::var_os("PATH"),
            home: std::env::var_os("HOME").map(PathBuf::from),
            sysroot,
        }
    }

    /// `program` on `PATH`.
    fn find(&self, program: &str) -> Option<PathBuf> {
        let path = self.path.as_ref()?;
        std::env::split_paths(path)
            .map(|folder| folder.join(program))
            .find(|candidate| candidate.is_file())
    }

    /// The installed `outlook-sim` command: on `PATH`, else where the installer puts it.
    fn installed_host(&self) -> Option<PathBuf> {
        let command = self.find("outlook-sim").or_else(|| {
            let default = self.home.as_ref()?.join(".local/bin/outlook-sim");
            default.is_file().then_some(default)
        })?;
        // A link to it (as the wrapper resolves itself): its programs are beside the file.
        Some(std::fs::canonicalize(&command).unwrap_or(command))
    }
}

/// Every piece the run needs that is missing, each with the command that installs it: to
/// build the add-in (`building`), and on Linux to run the host.
pub(crate) fn missing(
    probe: &Probe,
    target: &str,
    bits: u32,
    linux: bool,
    building: bool,
) -> Vec<String> {
    let mut missing = Vec::new();
    let installed = probe.sysroot.as_ref().is_some_and(|sysroot| {
        sysroot
            .join("lib/rustlib")
            .join(target)
            .join("lib")
            .is_dir()
    });
    if building && !installed {
        missing.push(format!(
            "the Rust target {target} is not installed (the add-in is built for {bits}-bit \
             Office with it): rustup target add {target}"
        ));
    }
    if !linux {
        return missing;
    }
    if probe.find("wine").is_none() {
        missing.push(
            "Wine is not installed (no wine on PATH; outlook-sim is a Windows program): sudo \
             dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install \
             --no-install-recommends wine wine64 wine32:i386"
                .into(),
        );
    }
    let program = probe.installed_host().and_then(|command| {
        let lib = command.parent()?.parent()?.join("lib/outlook-sim");
        lib.join(bits.to_string())
            .join("outlook-sim.exe")
            .is_file()
            .then_some(command)
    });
    if program.is_none() {
        missing.push(format!(
            "outlook-sim is not installed (no outlook-sim on PATH nor in ~/.local/bin, with its \
             {bits}-bit programs in ../lib/outlook-sim/{bits}): bash {}",
            checkout().join("scripts/install-outlook-sim.sh").display()
        ));
    }
    missing
}

fn run_in_host(simulation: &Simulation, report: &mut Report) -> Result<(), String> {
    let linux = cfg!(not(windows));
    let target = rust_target(simulation.bits)?;
    let probe = Probe::of_this_process();
    // On Windows the host is built from source too.
    let building = matches!(simulation.target, Target::ThisCrate(_)) || !linux;
    let missing = missing(&probe, target, simulation.bits, linux, building);
    if !missing.is_empty() {
        return Err(format!(
            "outlook-sim cannot run: {}",
            missing.join("; and ")
        ));
    }
    let host_path = |path: &Path| host_path(path);
    let mut args = vec![format!("--{}", simulation.bits)];
    match &simulation.target {
        Target::ProgId(progid) => args.extend(["--progid".into(), progid.clone()]),
        Target::Dll { path, clsid } => args.extend([
            "--dll".into(),
            host_path(path),
            "--clsid".into(),
            format!("{{{clsid:?}}}"),
        ]),
        Target::RegisteredDll(path) => args.extend(["--dll".into(), host_path(path)]),
        Target::ThisCrate(folder) => {
            let folder = folder.as_ref().ok_or(
                "Simulation::this_crate() runs in a test that cargo runs: CARGO_MANIFEST_DIR, \
                 the crate's folder, is not set",
            )?;
            let dll = build_dll(folder, target, report)?;
            args.extend(["--dll".into(), host_path(&dll)]);
        }
    }
    // The add-in's %LOCALAPPDATA%: the author's, or a folder of this run's, removed after.
    let (folder, made) = match &simulation.local_app_data {
        Some(folder) => (folder.clone(), false),
        None => (fresh_folder(), true),
    };
    let mut simulation = simulation.clone();
    simulation.local_app_data = Some(folder.clone());
    args.extend(simulation.options(host_path));

    let mut command = if linux {
        // Checked above: the installed command runs the program of that bitness under Wine.
        Command::new(
            probe
                .installed_host()
                .unwrap_or_else(|| "outlook-sim".into()),
        )
    } else {
        Command::new(build_host(target, report)?)
    };
    command.args(&args);
    let shown = args.join(" ");
    println!("outlook-sim {shown}");
    report.lines.push(format!("outlook-sim {shown}"));
    // Far beyond what the host's own watchdog allows a run.
    let limit = Duration::from_secs(600)
        + simulation.timeout * 10
        + Duration::from_secs(5)
            * (simulation.cycles + simulation.burst / 100 + simulation.new_mail / 10);
    let outcome = read_host(command, limit, report);
    report.addin_log = read_logs(&folder);
    if made {
        let _ = std::fs::remove_dir_all(&folder);
    }
    outcome
}

/// A path as the host sees it: on Linux, Wine's `Z:` drive (the file system's root, in every
/// prefix `wineboot` makes).
fn host_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if cfg!(windows) {
        absolute.display().to_string()
    } else {
        format!("Z:{}", absolute.display()).replace('/', "\\")
    }
}

/// A new folder for one run, under the system's temporary folder.
fn fresh_folder() -> PathBuf {
    static RUNS: AtomicU32 = AtomicU32::new(0);
    std::env::temp_dir().join(format!(
        "outlook-sim-run-{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Says what is being built (printed, and a line of the report), then runs `cargo` with
/// `args` (the one the test runs under, else the one on `PATH`).
fn cargo_build(
    what: String,
    args: &[&std::ffi::OsStr],
    report: &mut Report,
) -> Result<std::process::Output, String> {
    println!("{what}");
    report.lines.push(what);
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .arg("build")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run cargo: {error}"))
}

/// What to install when cargo could not link the DLL on Linux: mingw-w64's linker for the
/// bitness (a linker set in cargo's configuration is the author's, and not looked for).
pub(crate) fn linker_hint(stderr: &str, bits: u32) -> Option<String> {
    let (gcc, package) = match bits {
        32 => ("i686-w64-mingw32-gcc", "gcc-mingw-w64-i686"),
        _ => ("x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64"),
    };
    (cfg!(not(windows)) && stderr.contains(&format!("linker `{gcc}` not found"))).then(|| {
        format!(
            "mingw-w64's linker {gcc} is not installed (it links the {bits}-bit DLL): sudo \
             apt-get install --no-install-recommends {package}"
        )
    })
}

/// Builds the crate's library for `target` (so the DLL tested is the source's, never a stale
/// one) and returns its DLL.
fn build_dll(folder: &Path, target: &str, report: &mut Report) -> Result<PathBuf, String> {
    let manifest = folder.join("Cargo.toml");
    let output = cargo_build(
        format!(
            "building the add-in: cargo build --lib --target {target} --manifest-path {}",
            manifest.display()
        ),
        &[
            "--lib".as_ref(),
            "--target".as_ref(),
            target.as_ref(),
            "--message-format".as_ref(),
            "json-render-diagnostics".as_ref(),
            "--manifest-path".as_ref(),
            manifest.as_os_str(),
        ],
        report,
    )?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let bits = if target.starts_with("i686") { 32 } else { 64 };
        return Err(match linker_hint(&stderr, bits) {
            Some(hint) => format!("outlook-sim cannot run: {hint}"),
            None => format!(
                "cargo build --lib --target {target} of {} failed:\n{}",
                folder.display(),
                stderr.trim_end()
            ),
        });
    }
    dll_built(&String::from_utf8_lossy(&output.stdout), &manifest).ok_or_else(|| {
        format!(
            "cargo built no DLL for {}: an add-in's Cargo.toml says [lib] crate-type = \
             [\"cdylib\"]",
            folder.display()
        )
    })
}

/// On Windows, outlook-sim.exe and the stand-in `olmapi32.dll` of the target's bitness, built
/// from this library's own source (nothing to install), in the test's target folder.
fn build_host(target: &str, report: &mut Report) -> Result<PathBuf, String> {
    let target_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("outlook-sim-host")))
        .unwrap_or_else(|| checkout().join("target/outlook-sim-host"));
    let manifest = checkout().join("Cargo.toml");
    let output = cargo_build(
        format!(
            "building outlook-sim for {target} in {}",
            target_dir.display()
        ),
        &[
            "-p".as_ref(),
            "outlook-sim".as_ref(),
            "-p".as_ref(),
            "olmapi32-stand-in".as_ref(),
            "--target".as_ref(),
            target.as_ref(),
            "--manifest-path".as_ref(),
            manifest.as_os_str(),
            "--target-dir".as_ref(),
            target_dir.as_os_str(),
        ],
        report,
    )?;
    if !output.status.success() {
        return Err(format!(
            "building outlook-sim for {target} failed:\n{}",
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    Ok(target_dir
        .join(target)
        .join("debug")
        .join("outlook-sim.exe"))
}

/// The DLL among cargo's JSON messages: the file name ending in `.dll` of the
/// `compiler-artifact` whose package is the one at `manifest` (not a dependency's DLL).
pub(crate) fn dll_built(messages: &str, manifest: &Path) -> Option<PathBuf> {
    let ours = std::fs::canonicalize(manifest).unwrap_or_else(|_| manifest.to_path_buf());
    let mut found = None;
    for message in messages.lines() {
        if !message.contains("\"reason\":\"compiler-artifact\"") {
            continue;
        }
        let from = message
            .find("\"manifest_path\":")
            .and_then(|start| {
                json_strings(&message[start + "\"manifest_path\":".len()..])
                    .into_iter()
                    .next()
            })
            .map(PathBuf::from);
        if from.is_some_and(|from| std::fs::canonicalize(&from).unwrap_or(from) != ours) {
            continue;
        }
        let Some(start) = message.find("\"filenames\":[") else {
            continue;
        };
        let names = json_strings(&message[start + "\"filenames\":[".len()..]);
        if let Some(dll) = names
            .into_iter()
            .find(|name| name.to_ascii_lowercase().ends_with(".dll"))
        {
            found = Some(PathBuf::from(dll));
        }
    }
    found
}

/// The JSON strings of an array's elements, up to its `]`.
fn json_strings(text: &str) -> Vec<String> {
    let mut strings = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            ']' => break,
            '"' => {
                let mut string = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some('n') => string.push('\n'),
                            Some('t') => string.push('\t'),
                            Some('u') => {
                                let hex: String = chars.by_ref().take(4).collect();
                                if let Some(c) =
                                    u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                                {
                                    string.push(c);
                                }
                            }
                            Some(other) => string.push(other),
                            None => break,
                        },
                        other => string.push(other),
                    }
                }
                strings.push(string);
            }
            _ => {}
        }
    }
    strings
}

/// Runs the host, printing its lines as they come, and reads them into the report. A host
/// that does not end within `limit` (Wine itself stuck: the host's own watchdog bounds every
/// call into the add-in) is ended, and the run fails.
fn read_host(mut command: Command, limit: Duration, report: &mut Report) -> Result<(), String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot start outlook-sim: {error}"))?;
    let stderr = child.stderr.take().map(|mut stderr| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        })
    });
    let (lines, received) = std::sync::mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).split(b'\n').map_while(Result::ok) {
                if lines.send(line).is_err() {
                    return;
                }
            }
        });
    }
    let deadline = std::time::Instant::now() + limit;
    loop {
        match received.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                let line = String::from_utf8_lossy(&line);
                let line = line.trim_end_matches('\r');
                println!("{line}");
                read_line(line, report);
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "outlook-sim did not end within {} s: it was ended",
                limit.as_secs()
            ));
        }
    }
    let status = child
        .wait()
        .map_err(|error| format!("lost outlook-sim: {error}"))?;
    let stderr = stderr
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    let stderr = stderr.trim();
    if !stderr.is_empty() {
        println!("{stderr}");
    }
    // Killed by a signal (under Wine): as a crash.
    let code = status.code().unwrap_or(EXIT_CRASH);
    report.exit_code = Some(code);
    if code == EXIT_USAGE && !stderr.contains("usage: outlook-sim") {
        // The Linux command's own failures (no 32-bit Wine, a prefix it could not make).
        report
            .failures
            .push(format!("outlook-sim could not start: {stderr}"));
    } else if code == EXIT_USAGE {
        let older = if stderr.contains("unknown argument") {
            format!(
                " (the installed outlook-sim is older than this library: install it again, \
                 bash {})",
                checkout().join("scripts/install-outlook-sim.sh").display()
            )
        } else {
            String::new()
        };
        report.failures.push(format!(
            "outlook-sim refused the arguments{older}: {stderr}"
        ));
    } else if code != EXIT_PASS && report.failures.is_empty() {
        report
            .failures
            .push(format!("outlook-sim ended with exit code {code}: {stderr}"));
    } else if code == EXIT_PASS && !report.lines.iter().any(|line| line.starts_with("PASS: ")) {
        report
            .failures
            .push("outlook-sim ended with exit code 0 but printed no PASS".into());
    }
    Ok(())
}

/// One line of the host's output into the report: its text without the time, the failures,
/// and the start-up and shut-down times.
pub(crate) fn read_line(line: &str, report: &mut Report) {
    // The verdict's list repeats the failures already read.
    if line.starts_with("      - ") {
        return;
    }
    let text = match line.split_once(" ms  ") {
        Some((time, text)) if time.trim().parse::<f64>().is_ok() => text,
        _ => line.trim(),
    };
    if let Some(failure) = text.strip_prefix("check FAIL: ") {
        report.failures.push(failure.to_owned());
    } else if let Some(failure) = text.strip_prefix("FAIL: ") {
        // The verdict names the add-in and counts the failures.
        if !failure.ends_with("problem(s):") {
            report.failures.push(failure.to_owned());
        }
    }
    let took = |what: &str| {
        let rest = text.split_once(what)?.1;
        let ms: f64 = rest.split(' ').next()?.parse().ok()?;
        Some(Duration::from_secs_f64(ms / 1e3))
    };
    if report.startup.is_none() {
        report.startup = took("(the DLL's load to OnStartupComplete) took ")
            .or_else(|| took("(the DLL's load to OnAddInsUpdate's return) took "));
    }
    if let Some(rest) = text.strip_prefix("new mail: ") {
        report.new_mail_delivered = new_mail_delivered(rest);
    }
    if let Some(shutdown) = took("(the end of the connection to the add-in's release) took ") {
        report.shutdown = Some(shutdown);
    }
    report.lines.push(text.to_owned());
}

/// The count in the new-mail line's "...; K notification(s) reached the add-in's sinks".
pub(crate) fn new_mail_delivered(rest: &str) -> Option<usize> {
    let (_, count) = rest.split_once("; ")?;
    count.split(' ').next()?.parse().ok()
}

/// The add-in's log files under a `%LOCALAPPDATA%` of the run's own: `<ProgID>\\addin-*.log`,
/// each set-aside `.old.log` before its file. (Plain loops: iterator adapters over `ReadDir`
/// make type names of over 2,000 characters, on which Wine 8's 32-bit `dbghelp` faults when a
/// test program prints a backtrace; see the README, "RUST_BACKTRACE=1 on 32-bit Wine".)
fn read_logs(folder: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = Vec::new();
    for progid in entries(folder) {
        if !progid.is_dir() {
            continue;
        }
        for file in entries(&progid) {
            let name = file
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            if name.starts_with("addin-") && name.ends_with(".log") {
                files.push(file);
            }
        }
    }
    files.sort_by_key(|path| {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let old = name.ends_with(".old.log");
        (name.replace(".old.log", ".log"), !old)
    });
    let mut lines = Vec::new();
    for file in &files {
        if let Ok(bytes) = std::fs::read(file) {
            lines.extend(log_lines(&bytes));
        }
    }
    lines
}

/// The paths in a folder (none when it cannot be read).
fn entries(folder: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            paths.push(entry.path());
        }
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of the test's own, empty.
    fn folder(name: &str) -> PathBuf {
        let folder =
            std::env::temp_dir().join(format!("outlook-sim-launch-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, b"").unwrap();
    }

    /// A machine with every piece: a sysroot with both Windows targets; on PATH wine and
    /// outlook-sim, installed with both bitnesses' programs.
    fn machine(name: &str) -> (PathBuf, Probe) {
        let root = folder(name);
        for target in ["x86_64-pc-windows-gnu", "i686-pc-windows-gnu"] {
            std::fs::create_dir_all(root.join("sysroot/lib/rustlib").join(target).join("lib"))
                .unwrap();
        }
        touch(&root.join("usr/bin/wine"));
        touch(&root.join("prefix/bin/outlook-sim"));
        for bits in ["64", "32"] {
            touch(
                &root
                    .join("prefix/lib/outlook-sim")
                    .join(bits)
                    .join("outlook-sim.exe"),
            );
        }
        let probe = Probe {
            path: Some(
                std::env::join_paths([root.join("usr/bin"), root.join("prefix/bin")]).unwrap(),
            ),
            home: Some(root.join("home")),
            sysroot: Some(root.join("sysroot")),
        };
        (root, probe)
    }

    fn missing_on_linux(probe: &Probe, bits: u32) -> Vec<String> {
        missing(probe, rust_target(bits).unwrap(), bits, true, true)
    }

    #[test]
    fn nothing_is_missing_on_a_machine_with_every_piece() {
        let (_root, probe) = machine("every-piece");
        assert_eq!(missing_on_linux(&probe, 64), Vec::<String>::new());
        assert_eq!(missing_on_linux(&probe, 32), Vec::<String>::new());
    }

    #[test]
    fn a_missing_rust_target_names_rustup_target_add() {
        let (root, probe) = machine("no-target");
        std::fs::remove_dir_all(root.join("sysroot/lib/rustlib/i686-pc-windows-gnu")).unwrap();
        assert_eq!(missing_on_linux(&probe, 64), Vec::<String>::new());
        let missing = missing_on_linux(&probe, 32);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(
            missing[0].ends_with(": rustup target add i686-pc-windows-gnu"),
            "{missing:?}"
        );
        // No sysroot at all (no rustc): the same.
        let probe = Probe {
            sysroot: None,
            ..probe
        };
        assert!(missing_on_linux(&probe, 64)[0].contains("rustup target add x86_64-pc-windows-gnu"));
    }

    #[test]
    fn a_linker_cargo_did_not_find_is_named_with_its_package() {
        if cfg!(windows) {
            return;
        }
        let stderr = "error: linker `i686-w64-mingw32-gcc` not found\n  |\n  = note: No such file";
        assert_eq!(
            linker_hint(stderr, 32).as_deref(),
            Some(
                "mingw-w64's linker i686-w64-mingw32-gcc is not installed (it links the 32-bit \
                 DLL): sudo apt-get install --no-install-recommends gcc-mingw-w64-i686"
            )
        );
        assert!(linker_hint(stderr, 64).is_none());
        assert!(linker_hint("error[E0308]: mismatched types", 32).is_none());
    }

    #[test]
    fn missing_wine_names_the_packages_with_the_32_bit_half() {
        let (root, probe) = machine("no-wine");
        std::fs::remove_file(root.join("usr/bin/wine")).unwrap();
        for bits in [64, 32] {
            let missing = missing_on_linux(&probe, bits);
            assert_eq!(missing.len(), 1, "{missing:?}");
            assert!(
                missing[0].ends_with(
                    "sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get \
                     install --no-install-recommends wine wine64 wine32:i386"
                ),
                "{missing:?}"
            );
        }
    }

    #[test]
    fn a_missing_host_names_the_installer_and_the_default_place_is_found_off_path() {
        let (root, probe) = machine("no-host");
        let installer = format!(
            "bash {}",
            checkout().join("scripts/install-outlook-sim.sh").display()
        );
        // Its 32-bit half missing: only a 32-bit run misses it.
        std::fs::remove_file(root.join("prefix/lib/outlook-sim/32/outlook-sim.exe")).unwrap();
        assert_eq!(missing_on_linux(&probe, 64), Vec::<String>::new());
        let missing = missing_on_linux(&probe, 32);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].ends_with(&installer), "{missing:?}");
        // Not on PATH, not in ~/.local/bin.
        let off_path = Probe {
            path: Some(root.join("usr/bin").into_os_string()),
            ..probe
        };
        let missing = missing_on_linux(&off_path, 64);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert!(missing[0].ends_with(&installer), "{missing:?}");
        // Where the installer puts it by default, off PATH (a fresh machine's): found.
        touch(&root.join("home/.local/bin/outlook-sim"));
        touch(&root.join("home/.local/lib/outlook-sim/64/outlook-sim.exe"));
        assert_eq!(missing_on_linux(&off_path, 64), Vec::<String>::new());
    }

    #[test]
    fn a_run_that_builds_nothing_needs_no_target() {
        let (root, probe) = machine("no-build");
        std::fs::remove_dir_all(root.join("sysroot")).unwrap();
        assert_eq!(
            missing(&probe, "x86_64-pc-windows-gnu", 64, true, false),
            Vec::<String>::new()
        );
        // On Windows only the target is looked for.
        assert_eq!(
            missing(&probe, "x86_64-pc-windows-msvc", 64, false, true).len(),
            1
        );
    }

    #[test]
    fn only_32_and_64_bits_are_offices() {
        assert_eq!(rust_target(64).unwrap(), "x86_64-pc-windows-gnu");
        assert_eq!(rust_target(32).unwrap(), "i686-pc-windows-gnu");
        assert!(rust_target(16)
            .unwrap_err()
            .contains(".bits(32) or .bits(64)"));
    }

    #[test]
    fn the_crates_own_dll_is_found_among_cargos_messages() {
        let ours = Path::new("/crates/offline-log/Cargo.toml");
        let messages = concat!(
            r#"{"reason":"compiler-artifact","manifest_path":"/registry/log/Cargo.toml","target":{"kind":["lib"]},"filenames":["/t/debug/deps/liblog-1.rlib"]}"#,
            "\n",
            r#"{"reason":"compiler-artifact","manifest_path":"/crates/helper/Cargo.toml","target":{"kind":["cdylib"]},"filenames":["/t/debug/helper.dll"]}"#,
            "\n",
            r#"{"reason":"compiler-artifact","manifest_path":"/crates/offline-log/Cargo.toml","target":{"kind":["cdylib"]},"filenames":["C:\\t\\debug\\offline_log.dll","C:\\t\\debug\\offline_log.dll.lib","C:\\t\\debug\\offline_log.pdb"],"executable":null}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            dll_built(messages, ours),
            Some(PathBuf::from(r"C:\t\debug\offline_log.dll"))
        );
        // A dependency's DLL is not the crate's.
        assert_eq!(
            dll_built(
                r#"{"reason":"compiler-artifact","manifest_path":"/crates/helper/Cargo.toml","filenames":["/t/helper.dll"]}"#,
                ours
            ),
            None
        );
        assert_eq!(
            dll_built(
                r#"{"reason":"compiler-artifact","manifest_path":"/crates/offline-log/Cargo.toml","filenames":["/t/x86_64-pc-windows-gnu/debug/my_add\"in.dll"]}"#,
                ours
            ),
            Some(PathBuf::from(
                "/t/x86_64-pc-windows-gnu/debug/my_add\"in.dll"
            ))
        );
        assert_eq!(
            dll_built(
                r#"{"reason":"compiler-artifact","manifest_path":"/crates/offline-log/Cargo.toml","filenames":["/t/liba.rlib"]}"#,
                ours
            ),
            None
        );
    }

    #[test]
    fn the_hosts_output_is_read_into_the_report() {
        let output = "\
    0.012 ms  outlook-sim: process 256, each call to the add-in given 30 s
   31.910 ms  check ok:   ThreadingModel Apartment (Outlook's main thread is an STA)
   41.000 ms  check ok:   start-up (the DLL's load to OnStartupComplete) took 11.3 ms, within 1000 ms
   51.000 ms  check FAIL: every Advise was unadvised: 1 Advise left
   51.500 ms  new mail: 5 message(s) arrived in the Inbox; 4 notification(s) reached the add-in's sinks
   52.000 ms  check ok:   shut-down (the end of the connection to the add-in's release) took 0.8 ms, within 1000 ms
   53.000 ms  FAIL: C:\\a.dll: 1 problem(s):
      - every Advise was unadvised: 1 Advise left
FAIL: the host process ended (exit code 0x00000000) without a verdict";
        let mut report = Report::empty();
        for line in output.lines() {
            read_line(line, &mut report);
        }
        assert_eq!(
            report.failures,
            [
                "every Advise was unadvised: 1 Advise left",
                "the host process ended (exit code 0x00000000) without a verdict"
            ]
        );
        assert_eq!(report.startup, Some(Duration::from_secs_f64(0.0113)));
        assert_eq!(report.new_mail_delivered(), Some(4));
        assert_eq!(report.shutdown, Some(Duration::from_secs_f64(0.0008)));
        assert_eq!(report.lines.len(), 8);
        assert_eq!(
            report.lines[0],
            "outlook-sim: process 256, each call to the add-in given 30 s"
        );
        assert!(!report.passed());
        let shown = report.to_string();
        assert!(shown.starts_with("check ok:   ThreadingModel"), "{shown}");
        assert!(
            shown.contains("  - every Advise was unadvised: 1 Advise left\n"),
            "{shown}"
        );
        assert!(!shown.contains("outlook-sim: process"), "{shown}");
    }

    #[test]
    fn the_logs_of_a_runs_own_folder_are_read_oldest_first() {
        let root = folder("logs");
        std::fs::create_dir_all(root.join("Contoso.AddIn")).unwrap();
        std::fs::write(
            root.join("Contoso.AddIn/addin-64.log"),
            "  2.0 ms  b\r\n  3.0 ms  c\r\n",
        )
        .unwrap();
        std::fs::write(
            root.join("Contoso.AddIn/addin-64.old.log"),
            "  1.0 ms  a\r\n",
        )
        .unwrap();
        std::fs::write(root.join("Contoso.AddIn/notes.txt"), "not a log").unwrap();
        assert_eq!(
            read_logs(&root),
            ["  1.0 ms  a", "  2.0 ms  b", "  3.0 ms  c"]
        );
        assert_eq!(read_logs(&root.join("absent")), Vec::<String>::new());
    }

    #[test]
    fn paths_are_given_to_wine_on_its_z_drive() {
        if cfg!(not(windows)) {
            assert_eq!(host_path(Path::new("/tmp/a b/x.dll")), r"Z:\tmp\a b\x.dll");
        }
    }
}
