//! Supervision: the work runs in a child process, so that an add-in that crashes it (as it
//! would crash Outlook), ends it (`ExitProcess` from its code), or hangs its exit is still
//! reported, with the last step before. A run passes only when the child printed its verdict,
//! PASS, and then ended cleanly with exit code 0: an exit code alone proves nothing, since the
//! add-in's code can choose it.

use crate::cli::IN_PROCESS;
use crate::report::{EXIT_CRASH, EXIT_FAIL, EXIT_HANG, EXIT_PASS};
use crate::simulation::Simulation;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the child printed that decides the run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    None,
    Pass,
    Fail,
}

/// Runs the work in a child process and reports how it ended, a crash included.
pub(crate) fn supervise(args: &[String], simulation: &Simulation) -> i32 {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => {
            eprintln!("outlook-sim: cannot find itself: {error}");
            return EXIT_FAIL;
        }
    };
    let mut command = Command::new(exe);
    command.args(args).arg(IN_PROCESS).stdout(Stdio::piped());
    // `--local-app-data`: the add-in's folders for this run (its log among them).
    if let Some(folder) = &simulation.local_app_data {
        if let Err(error) = std::fs::create_dir_all(folder) {
            eprintln!("outlook-sim: cannot make {}: {error}", folder.display());
            return EXIT_FAIL;
        }
        command.env("LOCALAPPDATA", folder);
    }
    let child = command.spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => {
            eprintln!("outlook-sim: cannot start the host process: {error}");
            return EXIT_FAIL;
        }
    };
    let (lines, received) = mpsc::channel();
    let reader = child.stdout.take().map(|stdout| {
        std::thread::spawn(move || {
            for line in BufReader::new(stdout)
                .lines()
                .map_while(core::result::Result::ok)
            {
                if lines.send(line).is_err() {
                    return;
                }
            }
        })
    });
    let name = simulation.name();
    let (pass, fail) = (format!("PASS: {name}: "), format!("FAIL: {name}: "));
    let mut last_step = String::from("(none)");
    let mut verdict = Verdict::None;
    let mut hang = false;
    // Before the verdict the child's own watchdog bounds each call; after it, the child must
    // end within the same time, from the verdict on. A process the add-in started may hold the
    // pipe open after the child ended: reading stops a second after the child's end.
    let mut deadline: Option<Instant> = None;
    let mut ended: Option<Instant> = None;
    let mut disconnected = false;
    loop {
        match received.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => {
                // A reader that went away (`| head`) must not stop the host mid-shutdown.
                let _ = writeln!(std::io::stdout(), "{line}");
                if let Some((_, step)) = line.split_once(" ms  ") {
                    last_step = step.to_string();
                    if verdict == Verdict::None && step.starts_with(&pass) {
                        verdict = Verdict::Pass;
                    } else if verdict == Verdict::None && step.starts_with(&fail) {
                        verdict = Verdict::Fail;
                    }
                    if verdict != Verdict::None && deadline.is_none() {
                        deadline = Some(Instant::now() + simulation.timeout);
                    }
                } else if line.contains("did not return within") && line.starts_with("FAIL: ") {
                    hang = true;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                disconnected = true;
                break;
            }
            // Nothing to read for 100 ms: a second after the child's end, nothing will come.
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if ended.is_some_and(|ended| ended.elapsed() > Duration::from_secs(1)) {
                    break;
                }
            }
        }
        if ended.is_none() && matches!(child.try_wait(), Ok(Some(_))) {
            ended = Some(Instant::now());
        }
        if ended.is_none() && deadline.is_some_and(|deadline| Instant::now() > deadline) {
            return exit_hang(&mut child, simulation.timeout, &last_step);
        }
    }
    // The reader saw the pipe close: joined, so that this process ends with one thread.
    if disconnected {
        if let Some(reader) = reader {
            let _ = reader.join();
        }
    }
    let status = match wait(&mut child, simulation.timeout) {
        Some(Ok(status)) => status,
        Some(Err(error)) => {
            eprintln!("outlook-sim: lost the host process: {error}");
            return EXIT_FAIL;
        }
        None => return exit_hang(&mut child, simulation.timeout, &last_step),
    };
    let code = status.code();
    match (verdict, code) {
        (_, Some(EXIT_HANG)) if hang => EXIT_HANG,
        (Verdict::Pass, Some(EXIT_PASS)) => EXIT_PASS,
        (Verdict::Fail, Some(EXIT_FAIL)) => EXIT_FAIL,
        (Verdict::None, code) => {
            println!(
                "FAIL: the host process ended (exit code {}) without a verdict, in the call after \
                 its last step, {last_step:?}.\n      The add-in crashed it, ended it (ExitProcess, \
                 exit), or a panic crossed a COM boundary and aborted it: Outlook would have \
                 ended the same way. An exit code alone proves nothing: the add-in's code chose it.",
                show(code)
            );
            EXIT_CRASH
        }
        (_, code) => {
            println!(
                "FAIL: the host process crashed at exit (exit code {}), after its verdict: \
                 something the add-in left ran as the process ended (a thread, a DLL_PROCESS_DETACH, \
                 an object released under the loader lock); Outlook would crash on exit the same way.",
                show(code)
            );
            EXIT_CRASH
        }
    }
}

fn show(code: Option<i32>) -> String {
    code.map_or("none".into(), |code| format!("{:#010X}", code as u32))
}

/// Waits for the child to end, at most `timeout`: `None` when it did not.
fn wait(child: &mut Child, timeout: Duration) -> Option<std::io::Result<std::process::ExitStatus>> {
    let until = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Ok(status)),
            Ok(None) if Instant::now() < until => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => return None,
            Err(error) => return Some(Err(error)),
        }
    }
}

fn exit_hang(child: &mut Child, timeout: Duration, last_step: &str) -> i32 {
    let _ = child.kill();
    println!(
        "FAIL: the host process did not end within {} s after its last step, {last_step:?}: \
         something the add-in left (a thread it waits for, a DLL_PROCESS_DETACH that blocks) hangs \
         the process's exit, as it would hang Outlook's.",
        timeout.as_secs_f64()
    );
    EXIT_HANG
}
