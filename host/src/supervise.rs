//! Supervision: the work runs in a child process, so that an add-in that crashes it (as it
//! would crash Outlook) is still reported, with the last step before the crash.

use crate::cli::IN_PROCESS;
use crate::report::{EXIT_CRASH, EXIT_FAIL, EXIT_HANG, EXIT_PASS, EXIT_USAGE};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

/// Runs the work in a child process and reports how it ended, a crash included.
pub(crate) fn supervise(args: &[String]) -> i32 {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(error) => {
            eprintln!("outlook-sim: cannot find itself: {error}");
            return EXIT_FAIL;
        }
    };
    let child = Command::new(exe)
        .args(args)
        .arg(IN_PROCESS)
        .stdout(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(error) => {
            eprintln!("outlook-sim: cannot start the host process: {error}");
            return EXIT_FAIL;
        }
    };
    let mut last_step = String::from("(none)");
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(core::result::Result::ok)
        {
            // A reader that went away (`| head`) must not stop the host mid-shutdown.
            let _ = writeln!(std::io::stdout(), "{line}");
            if let Some((_, step)) = line.split_once(" ms  ") {
                last_step = step.to_string();
            }
        }
    }
    let status = match child.wait() {
        Ok(status) => status,
        Err(error) => {
            eprintln!("outlook-sim: lost the host process: {error}");
            return EXIT_FAIL;
        }
    };
    match status.code() {
        Some(code @ (EXIT_PASS | EXIT_FAIL | EXIT_USAGE | EXIT_HANG)) => code,
        code => {
            let code = code.map_or("none".into(), |code| format!("{:#010X}", code as u32));
            println!(
                "FAIL: the host process died (exit code {code}) in the call after its last \
                 step, {last_step:?}.\n      The add-in crashed it, or a panic crossed a COM \
                 boundary and aborted it: Outlook would have crashed the same way."
            );
            EXIT_CRASH
        }
    }
}
