//! The command line: parsed into a [`Simulation`], run in a child process (`supervise`).

#[cfg(windows)]
use crate::report::{EXIT_PASS, EXIT_USAGE};
use crate::simulation::Simulation;
#[cfg(windows)]
use crate::supervise::supervise;
#[cfg(windows)]
use std::io::Write;
use std::time::Duration;
use windows_core::GUID;

const USAGE: &str = "\
usage: outlook-sim (--progid PROGID | --dll PATH [--clsid {GUID}]) [options]
       on Linux, the outlook-sim command (scripts/install-outlook-sim.sh): the same, under Wine,
       with --32 or --64 first to choose the bitness (a DLL's own otherwise), and
       outlook-sim regsvr32 [/u] [/n /i:allusers] ADDIN.dll to register in its Wine prefix
  --progid PROGID    load the add-in Outlook would load: Software\\Microsoft\\Office\\Outlook\\Addins\\PROGID
                     (LoadBehavior, RequireShutdownNotification, the class's ThreadingModel and
                     root read and checked as Office reads them)
  --dll PATH         load this DLL directly (no registration needed) ...
  --clsid {GUID}     ... and create this class from it; without --clsid, the DLL registers
                     itself (its DllRegisterServer) into a registry of the run's own (never the
                     user's), and its ProgID, CLSID and keys are read from what it wrote
  --32, --64         the bitness of Office to run as (on Linux the outlook-sim command picks
                     that program; on Windows, run outlook-sim.exe of that bitness)
  --connect WHEN     startup (default: as LoadBehavior 3) or after-startup (as the COM Add-ins
                     dialog connects it: no OnStartupComplete)
  --cycles N         then disconnect it (ext_dm_UserClosed), release it, let COM unload the DLL,
                     and connect a new object, N times (default 0)
  --shutdown HOW     fast (Outlook 2010 and later: no OnBeginShutdown nor OnDisconnection at
                     exit) or notify (both come); default: notify only when the add-in's key has
                     RequireShutdownNotification=1
  --allow-inert      pass an add-in whose on_connection failed or panicked (it stays loaded, inert)
  --burst N          after the transitions, N transitions' notifications more, from 4 threads
                     at once: the add-in's posts must not fill the main thread's queue (default 0)
  --new-mail N       while the add-in is connected, N messages arrive in the default store's
                     Inbox, each with fnevNewMail to the sinks advised on the store (default 0)
  --send N           then N messages sent: each fires Application.ItemSend to the add-in's
                     event sinks (odd ones with a subject, even ones without); the report says
                     which the add-in cancelled (default 0)
  --transitions N    offline/online changes to make (default 2: offline, then online)
  --profile NAME     the profile name Application.Session.CurrentProfileName answers (default Outlook)
  --mapi PATH        the stand-in olmapi32.dll (default: the file OUTLOOK_SIM_MAPI names, else
                     the one beside outlook-sim.exe); `none` loads no MAPI at all, as outside Outlook
  --mapi-profile NAME  the one profile the stand-in knows (default: --profile), to see what
                     an add-in does with an unknown profile
  --via-invoke       call the add-in's five methods through IDispatch::Invoke (DISPIDs looked up
                     by name) instead of the IDTExtensibility2 vtable: Office may use either
  --timeout SECONDS  how long one call into the add-in may take before the run ends with exit
                     code 4, as Outlook would hang (default 30)
  --local-app-data DIR  the add-in's %LOCALAPPDATA% for this run: its log is then
                     DIR\\<ProgID>\\addin-64.log, with this run's lines only
  --help, -h         this text
exit codes: 0 PASS (a verdict printed, every check passed), 1 FAIL, 2 bad arguments,
            3 the add-in crashed or ended the process, 4 a call did not return in time
the add-in's own log (an add-in made with mapi-notify-sink): %LOCALAPPDATA%\\<ProgID>\\addin-64.log
            (addin-32.log for 32-bit), its level from MAPI_NOTIFY_SINK_LOG (e.g. debug); on
            Linux in the prefix: ~/.local/share/outlook-sim/wine/drive_c/users/$USER/AppData/Local";

/// The flag the supervising process gives the child that does the work.
#[cfg(windows)]
pub(crate) const IN_PROCESS: &str = "--in-process";

/// `outlook-sim`'s `main`: checks the arguments, then runs the work in a child process that
/// reports how it ended (or, as that child, does the work). Returns the exit code.
#[cfg(windows)]
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(position) = args.iter().position(|arg| arg == IN_PROCESS) {
        let mut args = args;
        args.remove(position);
        return match parse(&args) {
            Ok(simulation) => simulation.run_here().exit_code(),
            Err(message) => usage(&message),
        };
    }
    match parse(&args) {
        Ok(simulation) => supervise(&args, &simulation),
        Err(message) => usage(&message),
    }
}

#[cfg(windows)]
fn usage(message: &str) -> i32 {
    if message == HELP {
        // A reader that went away (`| head`) is not an error.
        let _ = writeln!(std::io::stdout(), "{USAGE}");
        return EXIT_PASS;
    }
    eprintln!("outlook-sim: {message}\n{USAGE}");
    EXIT_USAGE
}

/// What `parse` returns for `--help`.
pub(crate) const HELP: &str = "help";

/// A count option's value: a whole number from `min` to `max`.
fn count(flag: &str, text: &str, min: u32, max: u32) -> core::result::Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|count| (min..=max).contains(count))
        .ok_or_else(|| format!("{flag}: {text:?} is not a whole number from {min} to {max}"))
}

/// The command line as a [`Simulation`]; `Err(HELP)` for `--help`.
pub(crate) fn parse(args: &[String]) -> core::result::Result<Simulation, String> {
    let mut progid = None;
    let mut dll = None;
    let mut clsid = None;
    let mut settings: Vec<Box<dyn FnOnce(Simulation) -> Simulation>> = Vec::new();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--progid" => progid = Some(value()?),
            "--dll" => dll = Some(value()?),
            "--clsid" => {
                let text = value()?;
                let trimmed = text.trim_start_matches('{').trim_end_matches('}');
                clsid = Some(GUID::try_from(trimmed).map_err(|_| {
                    format!("--clsid: {text:?} is not a GUID ({{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}})")
                })?);
            }
            "--transitions" => {
                let count = count(flag, &value()?, 0, 100_000)?;
                settings.push(Box::new(move |run| run.transitions(count)));
            }
            "--cycles" => {
                let count = count(flag, &value()?, 0, 1_000)?;
                settings.push(Box::new(move |run| run.cycles(count)));
            }
            "--burst" => {
                let count = count(flag, &value()?, 0, 1_000_000)?;
                settings.push(Box::new(move |run| run.burst(count)));
            }
            "--new-mail" => {
                let count = count(flag, &value()?, 0, 100_000)?;
                settings.push(Box::new(move |run| run.new_mail(count)));
            }
            "--send" => {
                let count = count(flag, &value()?, 0, 100_000)?;
                settings.push(Box::new(move |run| run.send(count)));
            }
            "--connect" => match value()?.as_str() {
                "startup" => settings.push(Box::new(|run| run.connect_after_startup_if(false))),
                "after-startup" => settings.push(Box::new(Simulation::connect_after_startup)),
                other => {
                    return Err(format!(
                        "--connect: {other:?} is not startup or after-startup"
                    ))
                }
            },
            "--shutdown" => {
                let notify = match value()?.as_str() {
                    "fast" => false,
                    "notify" => true,
                    other => return Err(format!("--shutdown: {other:?} is not fast or notify")),
                };
                settings.push(Box::new(move |run| run.shutdown_notification(notify)));
            }
            "--allow-inert" => settings.push(Box::new(Simulation::allow_inert)),
            "--timeout" => {
                let text = value()?;
                let seconds = text
                    .parse::<f64>()
                    .ok()
                    .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
                    .filter(|timeout| !timeout.is_zero())
                    .ok_or_else(|| {
                        format!("--timeout: {text:?} is not a number of seconds above 0")
                    })?;
                settings.push(Box::new(move |run| run.timeout(seconds)));
            }
            "--profile" => {
                let name = value()?;
                settings.push(Box::new(move |run| run.profile(&name)));
            }
            "--mapi" => {
                let path = value()?;
                settings.push(Box::new(move |run| match path.as_str() {
                    "none" => run.no_mapi(),
                    path => run.mapi(path),
                }));
            }
            "--mapi-profile" => {
                let name = value()?;
                settings.push(Box::new(move |run| run.mapi_profile(&name)));
            }
            "--via-invoke" => settings.push(Box::new(Simulation::via_invoke)),
            "--local-app-data" => {
                let folder = value()?;
                settings.push(Box::new(move |run| run.local_app_data(folder)));
            }
            "--32" | "--64" => {
                let bits: u32 = flag[2..].parse().unwrap_or(64);
                if bits != usize::BITS {
                    return Err(format!(
                        "{flag}: this outlook-sim is the {}-bit program: run the {bits}-bit \
                         one (on Linux, the outlook-sim command picks it)",
                        usize::BITS
                    ));
                }
            }
            "-h" | "--help" => return Err(HELP.into()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let simulation =
        match (progid, dll, clsid) {
            (Some(progid), None, None) => Simulation::progid(&progid),
            (None, Some(path), Some(clsid)) => Simulation::dll(path, clsid),
            (None, Some(path), None) => Simulation::registered_dll(path),
            _ => return Err(
                "give --progid, or --dll (with --clsid, or without to let the DLL register itself)"
                    .into(),
            ),
        };
    Ok(settings
        .into_iter()
        .fold(simulation, |simulation, setting| setting(simulation)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|&arg| arg.to_owned()).collect()
    }

    /// What a host in a process of its own is given is read back as the same simulation.
    #[test]
    fn every_method_goes_through_the_command_line_and_back() {
        let clsid = GUID::from_u128(0x0D3A6C55_5F8E_4E4B_9C31_7B2E6A1F4D20);
        let every_option = Simulation::registered_dll("a.dll")
            .connect_after_startup()
            .cycles(2)
            .shutdown_notification(true)
            .allow_inert()
            .burst(40)
            .new_mail(3)
            .send(2)
            .transitions(5)
            .profile("Work profile")
            .mapi("C:/mapi/olmapi32.dll")
            .mapi_profile("Other")
            .via_invoke()
            .timeout(Duration::from_millis(2500))
            .local_app_data("C:/runs/1");
        for simulation in [
            Simulation::progid("Contoso.OfflineLog"),
            Simulation::dll("a.dll", clsid)
                .shutdown_notification(false)
                .no_mapi(),
            every_option,
        ] {
            let mut args = match &simulation.target {
                crate::simulation::Target::ProgId(progid) => strings(&["--progid", progid]),
                crate::simulation::Target::Dll { path, clsid } => strings(&[
                    "--dll",
                    &path.display().to_string(),
                    "--clsid",
                    &format!("{clsid:?}"),
                ]),
                crate::simulation::Target::RegisteredDll(path) => {
                    strings(&["--dll", &path.display().to_string()])
                }
                crate::simulation::Target::ThisCrate(_) => unreachable!(),
            };
            args.extend(simulation.options(|path| path.display().to_string()));
            assert_eq!(parse(&args).as_ref(), Ok(&simulation), "{args:?}");
        }
    }

    #[test]
    fn the_command_line_refuses_what_it_cannot_run() {
        assert_eq!(parse(&strings(&["--help"])).unwrap_err(), HELP);
        let other = if usize::BITS == 64 { "--32" } else { "--64" };
        let error = parse(&strings(&[other, "--progid", "A.B"])).unwrap_err();
        assert!(error.contains("run the"), "{error}");
        assert!(parse(&strings(&[
            "--clsid",
            "{0D3A6C55-5F8E-4E4B-9C31-7B2E6A1F4D20}"
        ]))
        .is_err());
        assert!(parse(&strings(&["--progid", "A.B", "--cycles", "-1"])).is_err());
        assert_eq!(
            parse(&strings(&["--dll", "x.dll"])).map(|simulation| simulation.target),
            Ok(crate::simulation::Target::RegisteredDll(PathBuf::from(
                "x.dll"
            )))
        );
    }

    /// `--help` lists every option the command line knows, and knows every option it lists.
    #[test]
    fn the_help_and_the_parser_agree() {
        let listed: Vec<&str> = USAGE
            .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
            .filter(|word| word.starts_with("--") && word.len() > 2)
            .collect();
        for flag in &listed {
            let error = parse(&strings(&[flag, "1"])).err().unwrap_or_default();
            assert!(
                !error.contains(&format!("unknown argument {flag:?}")),
                "{flag}: {error}"
            );
        }
        let every = Simulation::progid("A.B")
            .connect_after_startup()
            .cycles(1)
            .shutdown_notification(true)
            .allow_inert()
            .burst(1)
            .new_mail(1)
            .send(1)
            .mapi("m.dll")
            .mapi_profile("P")
            .via_invoke()
            .local_app_data("d");
        for flag in every.options(|path| path.display().to_string()) {
            if flag.starts_with("--") {
                assert!(
                    listed.contains(&flag.as_str()),
                    "--help does not list {flag}"
                );
            }
        }
        for flag in ["--progid", "--dll", "--clsid", "--32", "--64", "--help"] {
            assert!(listed.contains(&flag), "--help does not list {flag}");
        }
    }
}
