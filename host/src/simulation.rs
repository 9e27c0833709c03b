//! [`Simulation`]: one run of Outlook's sequence against an add-in, as a library call, for an
//! author's own `#[test]`, on Linux or Windows. `outlook-sim`'s command line makes the same
//! thing: every option of it is a method here, of the same name.

use crate::report::Report;
use std::path::PathBuf;
use std::time::Duration;
use windows_core::GUID;

/// The environment variable naming the stand-in `olmapi32.dll` when no path is given.
pub const MAPI_VARIABLE: &str = "OUTLOOK_SIM_MAPI";

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Target {
    ProgId(String),
    Dll {
        path: PathBuf,
        clsid: GUID,
    },
    /// A DLL that registers itself into the run's own registry (`--dll` without `--clsid`).
    RegisteredDll(PathBuf),
    /// The crate `cargo test` runs the test of (its folder, from `CARGO_MANIFEST_DIR`), built
    /// for the run.
    ThisCrate(Option<PathBuf>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Mapi {
    /// `OUTLOOK_SIM_MAPI`, else `olmapi32.dll` beside the program.
    Default,
    Path(PathBuf),
    None,
}

/// What to run: which add-in, and how Outlook behaves. [`run`](Simulation::run) does it and
/// returns the [`Report`].
///
/// An author's own test, in the add-in's crate (with `outlook-sim` as a dev-dependency), on
/// Linux (after `scripts/install-outlook-sim.sh`) or Windows:
///
/// ```no_run
/// let report = outlook_sim::Simulation::this_crate().bits(32).transitions(2).run();
/// assert!(report.passed(), "{report}");
/// assert!(report.addin_log().iter().any(|line| line.contains("went from")));
/// ```
///
/// [`this_crate`](Self::this_crate) builds the crate's DLL with cargo for the bitness asked,
/// lets it register itself where only the run sees it, and runs `outlook-sim` in a process of
/// its own: on Windows the one built from this library's source, on Linux the installed one,
/// under Wine. A missing piece (Wine, the installed `outlook-sim`, the Rust target, the linker)
/// fails the report with the command that installs it.
///
/// The other targets run the same way on Linux (paths are the Linux ones: they are given to
/// Wine as `Z:` paths), and so does [`registered_dll`](Self::registered_dll) on Windows (the
/// registration redirects the process's registry for the call). On Windows,
/// [`progid`](Self::progid) and [`dll`](Self::dll), of the test's own bitness and without
/// [`local_app_data`](Self::local_app_data), run in the test's process: the run owns the
/// thread it is called on (COM as a single-threaded apartment, as Outlook's main thread), a
/// call into the add-in that does not return within the timeout ends the process with exit
/// code 4, and an add-in that crashes or ends the process (`ExitProcess(0)`) takes the test
/// program with it, which cargo may count as a success: `this_crate` and the command line run
/// the host in a process of its own, so that both are reported and a run passes only when its
/// verdict was printed.
///
/// The command line's options and their methods: `--progid`, [`progid`](Self::progid);
/// `--dll` with `--clsid`, [`dll`](Self::dll), without it,
/// [`registered_dll`](Self::registered_dll); `--32`/`--64`, [`bits`](Self::bits); `--connect
/// after-startup`, [`connect_after_startup`](Self::connect_after_startup); `--cycles`,
/// [`cycles`](Self::cycles); `--shutdown notify|fast`,
/// [`shutdown_notification`](Self::shutdown_notification)`(true|false)`; `--allow-inert`,
/// [`allow_inert`](Self::allow_inert); `--burst`, [`burst`](Self::burst); `--new-mail`,
/// [`new_mail`](Self::new_mail); `--send`, [`send`](Self::send); `--transitions`,
/// [`transitions`](Self::transitions); `--profile`, [`profile`](Self::profile); `--mapi`,
/// [`mapi`](Self::mapi) (`--mapi none`, [`no_mapi`](Self::no_mapi)); `--mapi-profile`,
/// [`mapi_profile`](Self::mapi_profile); `--via-invoke`, [`via_invoke`](Self::via_invoke);
/// `--timeout`, [`timeout`](Self::timeout); `--local-app-data`,
/// [`local_app_data`](Self::local_app_data).
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pub(crate) target: Target,
    pub(crate) bits: u32,
    pub(crate) after_startup: bool,
    pub(crate) cycles: u32,
    /// `None`: as the add-in's key says (`RequireShutdownNotification`), fast shutdown if not.
    pub(crate) shutdown_notification: Option<bool>,
    pub(crate) allow_inert: bool,
    pub(crate) burst: u32,
    pub(crate) new_mail: u32,
    pub(crate) send: u32,
    pub(crate) transitions: u32,
    pub(crate) profile: String,
    pub(crate) mapi: Mapi,
    pub(crate) mapi_profile: Option<String>,
    pub(crate) via_invoke: bool,
    pub(crate) timeout: Duration,
    pub(crate) local_app_data: Option<PathBuf>,
}

impl Simulation {
    fn new(target: Target) -> Simulation {
        Simulation {
            target,
            bits: usize::BITS,
            after_startup: false,
            cycles: 0,
            shutdown_notification: None,
            allow_inert: false,
            burst: 0,
            new_mail: 0,
            send: 0,
            transitions: 2,
            profile: "Outlook".into(),
            mapi: Mapi::Default,
            mapi_profile: None,
            via_invoke: false,
            timeout: Duration::from_secs(30),
            local_app_data: None,
        }
    }

    /// The add-in of the crate whose test calls this (the folder cargo gives the test as
    /// `CARGO_MANIFEST_DIR`), built for the run: `cargo build --lib --target ...` for the
    /// [`bits`](Self::bits) asked (64 by default), so the DLL tested is never stale. Its own
    /// `DllRegisterServer` registers it where only the run sees it (never the user's
    /// registry), and its ProgID and CLSID are read from what it registered: the author writes
    /// them once, in the attribute. Its log goes to a folder of the run's own
    /// ([`Report::addin_log`] has this run's lines only).
    pub fn this_crate() -> Simulation {
        let mut simulation = Simulation::new(Target::ThisCrate(
            std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        ));
        simulation.bits = 64;
        simulation
    }

    /// The Office bitness to run as: 64 (the default for [`this_crate`](Self::this_crate)) or
    /// 32 (32-bit Office loads only 32-bit add-ins). Anything else fails the run. The other
    /// targets' default is the test program's own bitness.
    pub fn bits(mut self, bits: u32) -> Simulation {
        self.bits = bits;
        self
    }

    /// The add-in Outlook would load: the one registered under
    /// `Software\Microsoft\Office\Outlook\Addins\<progid>`.
    pub fn progid(progid: &str) -> Simulation {
        Simulation::new(Target::ProgId(progid.into()))
    }

    /// The class `clsid` of the DLL at `path`, without registration.
    pub fn dll(path: impl Into<PathBuf>, clsid: GUID) -> Simulation {
        Simulation::new(Target::Dll {
            path: path.into(),
            clsid,
        })
    }

    /// The add-in DLL at `path`, registered by its own `DllRegisterServer` into a registry of
    /// the run's own (never the user's), and found from what it wrote, as Outlook would find it:
    /// ProgID, CLSID, `LoadBehavior`, `RequireShutdownNotification`, `ThreadingModel` (`--dll`
    /// without `--clsid`).
    pub fn registered_dll(path: impl Into<PathBuf>) -> Simulation {
        Simulation::new(Target::RegisteredDll(path.into()))
    }

    /// Connects the add-in as the COM Add-ins dialog (or `COMAddIn.Connect = True`) does, after
    /// Outlook's start-up (`ext_cm_AfterStartup`): it gets no `OnStartupComplete`. By default it
    /// is connected at start-up, as `LoadBehavior` 3 asks.
    pub fn connect_after_startup(self) -> Simulation {
        self.connect_after_startup_if(true)
    }

    /// `--connect`'s value: the last one given wins.
    pub(crate) fn connect_after_startup_if(mut self, after: bool) -> Simulation {
        self.after_startup = after;
        self
    }

    /// Disconnects the add-in (`OnDisconnection(ext_dm_UserClosed)`, as the COM Add-ins dialog
    /// does), releases it, frees unused libraries (its DLL unloads when `DllCanUnloadNow` says
    /// so), and connects a new object `count` times, each checked as the first (default 0).
    pub fn cycles(mut self, count: u32) -> Simulation {
        self.cycles = count;
        self
    }

    /// Whether Outlook calls `OnBeginShutdown` and `OnDisconnection` at exit. By default, as
    /// Outlook 2010 and later: only when the add-in's key has `RequireShutdownNotification` = 1
    /// (in `--dll` mode there is no key: fast shutdown).
    pub fn shutdown_notification(mut self, notify: bool) -> Simulation {
        self.shutdown_notification = Some(notify);
        self
    }

    /// Accepts an add-in whose `on_connection` failed or panicked (it stays loaded, inert): by
    /// default that fails the run, since the add-in then does nothing.
    pub fn allow_inert(mut self) -> Simulation {
        self.allow_inert = true;
        self
    }

    /// After the transitions, `count` transitions' notifications more, delivered from four
    /// threads at once (as MAPI may call a sink from several) while the main thread is busy:
    /// the add-in's posts must not fill its queue.
    pub fn burst(mut self, count: u32) -> Simulation {
        self.burst = count;
        self
    }

    /// While the add-in is connected (after the transitions), `count` messages arrive in the
    /// default store's Inbox, one at a time, each with the store's `fnevNewMail` to the sinks
    /// advised on it (from the store's thread) and a turn of the main thread's message loop
    /// after it; the report counts the notifications that reached the add-in's sinks
    /// ([`Report::new_mail_delivered`](crate::report::Report::new_mail_delivered)).
    pub fn new_mail(mut self, count: u32) -> Simulation {
        self.new_mail = count;
        self
    }

    /// While the add-in is connected (after the new mail), `count` messages sent, each firing
    /// `Application.ItemSend(Item, Cancel)` to the add-in's event sinks; the odd ones have a
    /// subject, the even ones none; the report says which the add-in cancelled.
    pub fn send(mut self, count: u32) -> Simulation {
        self.send = count;
        self
    }

    /// Offline/online changes to make after start-up (default 2: offline, then online).
    pub fn transitions(mut self, count: u32) -> Simulation {
        self.transitions = count;
        self
    }

    /// The name `Application.Session.CurrentProfileName` answers (default `Outlook`).
    pub fn profile(mut self, name: &str) -> Simulation {
        self.profile = name.into();
        self
    }

    /// The stand-in `olmapi32.dll` to load first, as Outlook has its MAPI loaded (default:
    /// the file `OUTLOOK_SIM_MAPI` names, else the one beside the program).
    pub fn mapi(mut self, path: impl Into<PathBuf>) -> Simulation {
        self.mapi = Mapi::Path(path.into());
        self
    }

    /// No MAPI at all, as outside Outlook: the add-in must stay loaded, inert.
    pub fn no_mapi(mut self) -> Simulation {
        self.mapi = Mapi::None;
        self
    }

    /// The one profile the stand-in MAPI knows (default: the [`profile`](Self::profile)), to
    /// see what an add-in does with an unknown profile.
    pub fn mapi_profile(mut self, name: &str) -> Simulation {
        self.mapi_profile = Some(name.into());
        self
    }

    /// Calls the add-in's five methods through `IDispatch::Invoke` (DISPIDs looked up by name)
    /// instead of the `IDTExtensibility2` vtable: Office may use either.
    pub fn via_invoke(mut self) -> Simulation {
        self.via_invoke = true;
        self
    }

    /// How long one call into the add-in may take before the run ends (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Simulation {
        self.timeout = timeout;
        self
    }

    /// The add-in's `%LOCALAPPDATA%` for this run (`DIR\<ProgID>\addin-64.log` is then its log),
    /// kept after the run. [`Report::addin_log`] reads every log in it: give each run a new
    /// folder for its lines only (without this, [`this_crate`](Self::this_crate) makes one per
    /// run and removes it). The host runs in a process of its own for it.
    pub fn local_app_data(mut self, folder: impl Into<PathBuf>) -> Simulation {
        self.local_app_data = Some(folder.into());
        self
    }

    /// Runs Outlook's sequence, printing each line (a test shows them when it fails), and
    /// returns the report; see the type's documentation for where it runs. One run at a time
    /// in a process (tests running in parallel take turns): the judgments read process-wide
    /// state (its threads, COM's loaded DLLs, the vectored exception handlers).
    pub fn run(&self) -> Report {
        #[cfg(windows)]
        if self.runs_here() {
            return self.run_here();
        }
        crate::launch::run(self)
    }

    /// Whether [`run`](Self::run) runs in this process.
    #[cfg(windows)]
    fn runs_here(&self) -> bool {
        // A DLL registering itself redirects the process's registry for the call: never in a
        // test's process, whose other threads may use the registry meanwhile.
        !matches!(self.target, Target::ThisCrate(_) | Target::RegisteredDll(_))
            && self.local_app_data.is_none()
            && self.bits == usize::BITS
    }

    /// Runs Outlook's sequence in this process (the command line's child process does).
    #[cfg(windows)]
    pub(crate) fn run_here(&self) -> Report {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::life_cycle::run(self)
    }

    #[cfg(windows)]
    pub(crate) fn mapi_path(&self) -> Option<PathBuf> {
        match &self.mapi {
            Mapi::None => None,
            Mapi::Path(path) => Some(path.clone()),
            Mapi::Default => Some(std::env::var_os(MAPI_VARIABLE).map_or_else(
                || {
                    std::env::current_exe()
                        .unwrap_or_default()
                        .with_file_name("olmapi32.dll")
                },
                PathBuf::from,
            )),
        }
    }

    /// The add-in's name in the report and its verdict line.
    #[cfg(windows)]
    pub(crate) fn name(&self) -> String {
        match &self.target {
            Target::ProgId(progid) => progid.clone(),
            Target::Dll { path, .. } | Target::RegisteredDll(path) => path.display().to_string(),
            Target::ThisCrate(_) => "this crate".into(),
        }
    }

    #[cfg(windows)]
    pub(crate) fn known_profile(&self) -> &str {
        self.mapi_profile.as_deref().unwrap_or(&self.profile)
    }

    /// The command line of everything but the add-in and the bitness: `outlook-sim`'s options,
    /// for a host in a process of its own. `path` turns a path into the host's form.
    pub(crate) fn options(&self, path: impl Fn(&std::path::Path) -> String) -> Vec<String> {
        let mut args: Vec<String> = Vec::new();
        let mut push = |flag: &str, value: Option<String>| {
            args.push(flag.into());
            args.extend(value);
        };
        if self.after_startup {
            push("--connect", Some("after-startup".into()));
        }
        if self.cycles > 0 {
            push("--cycles", Some(self.cycles.to_string()));
        }
        if let Some(notify) = self.shutdown_notification {
            push(
                "--shutdown",
                Some(if notify { "notify" } else { "fast" }.into()),
            );
        }
        if self.allow_inert {
            push("--allow-inert", None);
        }
        if self.burst > 0 {
            push("--burst", Some(self.burst.to_string()));
        }
        if self.new_mail > 0 {
            push("--new-mail", Some(self.new_mail.to_string()));
        }
        if self.send > 0 {
            push("--send", Some(self.send.to_string()));
        }
        push("--transitions", Some(self.transitions.to_string()));
        push("--profile", Some(self.profile.clone()));
        match &self.mapi {
            Mapi::Default => {}
            Mapi::Path(mapi) => push("--mapi", Some(path(mapi))),
            Mapi::None => push("--mapi", Some("none".into())),
        }
        if let Some(name) = &self.mapi_profile {
            push("--mapi-profile", Some(name.clone()));
        }
        if self.via_invoke {
            push("--via-invoke", None);
        }
        push("--timeout", Some(self.timeout.as_secs_f64().to_string()));
        if let Some(folder) = &self.local_app_data {
            push("--local-app-data", Some(path(folder)));
        }
        args
    }
}
