//! The command line: what `outlook-sim` is asked to do, and its exit codes.

use crate::life_cycle;
use crate::supervise::supervise;
use std::path::PathBuf;
use windows::core::GUID;

const USAGE: &str = "\
usage: outlook-sim (--progid PROGID | --dll PATH --clsid {GUID}) [options]
  --progid PROGID    load the add-in Outlook would load: Software\\Microsoft\\Office\\Outlook\\Addins\\PROGID
  --dll PATH         load this DLL directly (no registration needed) ...
  --clsid {GUID}     ... and create this class from it
  --transitions N    offline/online changes to make (default 2: offline, then online)
  --profile NAME     the profile name Application.Session.CurrentProfileName answers (default Outlook)
  --mapi PATH        the stand-in olmapi32.dll (default: the one beside outlook-sim.exe);
                     `none` loads no MAPI at all, as outside Outlook
  --mapi-profile NAME  the one profile the stand-in knows (default: --profile), to see what
                     an add-in does with an unknown profile
  --via-invoke       call the add-in's five methods through IDispatch::Invoke (DISPIDs looked up
                     by name) instead of the IDTExtensibility2 vtable: Office may use either";

/// The flag the supervising process gives the child that does the work.
pub(crate) const IN_PROCESS: &str = "--in-process";

pub(crate) const EXIT_PASS: i32 = 0;
pub(crate) const EXIT_FAIL: i32 = 1;
pub(crate) const EXIT_USAGE: i32 = 2;
pub(crate) const EXIT_CRASH: i32 = 3;

pub(crate) enum Target {
    ProgId(String),
    Dll { path: PathBuf, clsid: GUID },
}

pub(crate) struct Options {
    pub(crate) target: Target,
    pub(crate) transitions: u32,
    pub(crate) profile: String,
    /// `None`: load no MAPI.
    pub(crate) mapi: Option<PathBuf>,
    /// Call the add-in through `IDispatch::Invoke` instead of the vtable.
    pub(crate) via_invoke: bool,
    pub(crate) mapi_profile: String,
}

/// `outlook-sim`'s `main`: checks the arguments, then runs the work in a child process that
/// reports how it ended (or, as that child, does the work). Returns the exit code.
pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(position) = args.iter().position(|arg| arg == IN_PROCESS) {
        let mut args = args;
        args.remove(position);
        return match parse(&args) {
            Ok(options) => life_cycle::run(&options),
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

fn parse(args: &[String]) -> core::result::Result<Options, String> {
    let mut progid = None;
    let mut dll = None;
    let mut clsid = None;
    let mut transitions = 2;
    let mut profile = "Outlook".to_string();
    let mut mapi = None;
    let mut mapi_profile = None;
    let mut via_invoke = false;
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--progid" => progid = Some(value()?),
            "--dll" => dll = Some(PathBuf::from(value()?)),
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
                transitions = text
                    .parse()
                    .map_err(|_| format!("--transitions: {text:?} is not a count"))?;
            }
            "--profile" => profile = value()?,
            "--mapi" => mapi = Some(value()?),
            "--mapi-profile" => mapi_profile = Some(value()?),
            "--via-invoke" => via_invoke = true,
            "-h" | "--help" => return Err("help".into()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let target = match (progid, dll, clsid) {
        (Some(progid), None, None) => Target::ProgId(progid),
        (None, Some(path), Some(clsid)) => Target::Dll { path, clsid },
        (None, Some(_), None) => return Err("--dll needs --clsid".into()),
        _ => return Err("give --progid, or --dll with --clsid".into()),
    };
    let mapi = match mapi.as_deref() {
        Some("none") => None,
        Some(mapi) => Some(PathBuf::from(mapi)),
        None => Some(
            std::env::current_exe()
                .map_err(|error| format!("where is outlook-sim.exe? {error}"))?
                .with_file_name("olmapi32.dll"),
        ),
    };
    Ok(Options {
        target,
        transitions,
        mapi_profile: mapi_profile.unwrap_or_else(|| profile.clone()),
        profile,
        mapi,
        via_invoke,
    })
}
