//! The command line: parsed into a [`Simulation`], run in a child process (`supervise`).

use crate::report::EXIT_USAGE;
use crate::simulation::Simulation;
use crate::supervise::supervise;
use std::time::Duration;
use windows::core::GUID;

const USAGE: &str = "\
usage: outlook-sim (--progid PROGID | --dll PATH --clsid {GUID}) [options]
  --progid PROGID    load the add-in Outlook would load: Software\\Microsoft\\Office\\Outlook\\Addins\\PROGID
  --dll PATH         load this DLL directly (no registration needed) ...
  --clsid {GUID}     ... and create this class from it
  --transitions N    offline/online changes to make (default 2: offline, then online)
  --profile NAME     the profile name Application.Session.CurrentProfileName answers (default Outlook)
  --mapi PATH        the stand-in olmapi32.dll (default: the file OUTLOOK_SIM_MAPI names, else
                     the one beside outlook-sim.exe); `none` loads no MAPI at all, as outside Outlook
  --mapi-profile NAME  the one profile the stand-in knows (default: --profile), to see what
                     an add-in does with an unknown profile
  --via-invoke       call the add-in's five methods through IDispatch::Invoke (DISPIDs looked up
                     by name) instead of the IDTExtensibility2 vtable: Office may use either
  --timeout SECONDS  how long one call into the add-in may take before the run ends with exit
                     code 4, as Outlook would hang (default 30)";

/// The flag the supervising process gives the child that does the work.
pub(crate) const IN_PROCESS: &str = "--in-process";

/// `outlook-sim`'s `main`: checks the arguments, then runs the work in a child process that
/// reports how it ended (or, as that child, does the work). Returns the exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(position) = args.iter().position(|arg| arg == IN_PROCESS) {
        let mut args = args;
        args.remove(position);
        return match parse(&args) {
            Ok(simulation) => simulation.run().exit_code(),
            Err(message) => usage(&message),
        };
    }
    if let Err(message) = parse(&args) {
        return usage(&message);
    }
    supervise(&args)
}

fn usage(message: &str) -> i32 {
    eprintln!("outlook-sim: {message}\n{USAGE}");
    EXIT_USAGE
}

fn parse(args: &[String]) -> core::result::Result<Simulation, String> {
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
                clsid = Some(
                    GUID::try_from(trimmed)
                        .map_err(|_| format!("--clsid: {text:?} is not a GUID"))?,
                );
            }
            "--transitions" => {
                let text = value()?;
                let count = text
                    .parse()
                    .map_err(|_| format!("--transitions: {text:?} is not a count"))?;
                settings.push(Box::new(move |run| run.transitions(count)));
            }
            "--timeout" => {
                let text = value()?;
                let seconds = text
                    .parse::<f64>()
                    .ok()
                    .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok())
                    .filter(|timeout| !timeout.is_zero())
                    .ok_or_else(|| format!("--timeout: {text:?} is not a number of seconds"))?;
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
            "-h" | "--help" => return Err("help".into()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let simulation = match (progid, dll, clsid) {
        (Some(progid), None, None) => Simulation::progid(&progid),
        (None, Some(path), Some(clsid)) => Simulation::dll(path, clsid),
        (None, Some(_), None) => return Err("--dll needs --clsid".into()),
        _ => return Err("give --progid, or --dll with --clsid".into()),
    };
    Ok(settings
        .into_iter()
        .fold(simulation, |simulation, setting| setting(simulation)))
}
