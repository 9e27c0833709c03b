//! [`Simulation`]: one run of Outlook's sequence against an add-in, as a library call, for an
//! author's own `#[test]` on Windows. `outlook-sim`'s command line makes the same thing.

use crate::life_cycle;
use crate::report::Report;
use std::path::PathBuf;
use std::time::Duration;
use windows::core::GUID;

/// The environment variable naming the stand-in `olmapi32.dll` when no path is given.
pub const MAPI_VARIABLE: &str = "OUTLOOK_SIM_MAPI";

pub(crate) enum Target {
    ProgId(String),
    Dll { path: PathBuf, clsid: GUID },
}

enum Mapi {
    /// `OUTLOOK_SIM_MAPI`, else `olmapi32.dll` beside the program.
    Default,
    Path(PathBuf),
    None,
}

/// What to run: which add-in, and how Outlook behaves. [`run`](Simulation::run) does it in
/// this process and returns the [`Report`], every line of which it also prints.
///
/// ```no_run
/// use outlook_sim::{Simulation, GUID};
/// use std::time::Duration;
///
/// let clsid = GUID::from_u128(0xF8B51E39_75C3_43EF_BAE8_D60096161F06);
/// let report = Simulation::dll(r"target\debug\my_addin.dll", clsid)
///     .transitions(2)
///     .mapi(r"C:\tools\outlook-sim\olmapi32.dll")
///     .timeout(Duration::from_secs(10))
///     .run();
/// assert!(report.passed(), "{:#?}", report.failures());
/// assert!(report.startup().unwrap() < Duration::from_millis(1000));
/// ```
///
/// The run owns the thread it is called on for its duration: COM as a single-threaded
/// apartment, as Outlook's main thread. A call into the add-in that does not return within the
/// timeout ends the process with exit code 4, and an add-in that crashes takes the process
/// with it. The command line runs the work in a child process, so that both are reported and a
/// run passes only when its verdict was printed; in a test, an add-in that ends the process
/// itself (`ExitProcess(0)`) ends the test program with it, which cargo counts as a success:
/// the command line (`outlook-sim`) is what fails such an add-in.
pub struct Simulation {
    pub(crate) target: Target,
    pub(crate) after_startup: bool,
    pub(crate) cycles: u32,
    /// `None`: as the add-in's key says (`RequireShutdownNotification`), fast shutdown if not.
    pub(crate) shutdown_notification: Option<bool>,
    pub(crate) allow_inert: bool,
    pub(crate) burst: u32,
    pub(crate) transitions: u32,
    pub(crate) profile: String,
    mapi: Mapi,
    mapi_profile: Option<String>,
    pub(crate) via_invoke: bool,
    pub(crate) timeout: Duration,
}

impl Simulation {
    fn new(target: Target) -> Simulation {
        Simulation {
            target,
            after_startup: false,
            cycles: 0,
            shutdown_notification: None,
            allow_inert: false,
            burst: 0,
            transitions: 2,
            profile: "Outlook".into(),
            mapi: Mapi::Default,
            mapi_profile: None,
            via_invoke: false,
            timeout: Duration::from_secs(30),
        }
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

    /// Runs Outlook's sequence in this process, printing each line; see the type's
    /// documentation for what ends it early. One run at a time in a process (tests running in
    /// parallel take turns): the judgments read process-wide state (its threads, COM's loaded
    /// DLLs, the vectored exception handlers).
    pub fn run(&self) -> Report {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        life_cycle::run(self)
    }

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
    pub(crate) fn name(&self) -> String {
        match &self.target {
            Target::ProgId(progid) => progid.clone(),
            Target::Dll { path, .. } => path.display().to_string(),
        }
    }

    pub(crate) fn known_profile(&self) -> &str {
        self.mapi_profile.as_deref().unwrap_or(&self.profile)
    }
}
