//! The host's steps (see `main.rs` for what they are and why).

use crate::calls::AddInCalls;
use core::ffi::c_void;
use outlook_sim::application::Application;
use outlook_sim::com::ref_count;
use outlook_sim::extensibility::{EXT_CM_STARTUP, EXT_DM_HOST_SHUTDOWN};
use outlook_sim::standin::StandIn;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use windows::core::{
    implement, IUnknown, Interface, Result, GUID, HRESULT, HSTRING, PCSTR, PCWSTR,
};
use windows::Win32::Foundation::{DISP_E_BADINDEX, DISP_E_MEMBERNOTFOUND, DISP_E_UNKNOWNNAME};
use windows::Win32::System::Com::{
    CLSIDFromProgID, CoCreateInstance, CoInitializeEx, CoUninitialize, IClassFactory, IDispatch,
    IDispatch_Impl, ITypeInfo, CLSCTX_INPROC_SERVER, COINIT_APARTMENTTHREADED, DISPATCH_FLAGS,
    DISPPARAMS, EXCEPINFO, SAFEARRAY,
};
use windows::Win32::System::LibraryLoader::{GetModuleHandleW, GetProcAddress, LoadLibraryW};
use windows::Win32::System::Ole::{SafeArrayCreateVector, SafeArrayDestroy};
use windows::Win32::System::Registry::{
    RegGetValueW, HKEY, HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, REG_ROUTINE_FLAGS, RRF_RT_REG_DWORD,
    RRF_RT_REG_SZ,
};
use windows::Win32::System::Variant::{VARIANT, VT_VARIANT};
use windows::Win32::UI::WindowsAndMessaging::{
    DispatchMessageW, PeekMessageW, TranslateMessage, MSG, PM_REMOVE,
};

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
const IN_PROCESS: &str = "--in-process";

const EXIT_PASS: i32 = 0;
const EXIT_FAIL: i32 = 1;
const EXIT_USAGE: i32 = 2;
const EXIT_CRASH: i32 = 3;

enum Target {
    ProgId(String),
    Dll { path: PathBuf, clsid: GUID },
}

struct Options {
    target: Target,
    transitions: u32,
    profile: String,
    /// `None`: load no MAPI.
    mapi: Option<PathBuf>,
    /// Call the add-in through `IDispatch::Invoke` instead of the vtable.
    via_invoke: bool,
    mapi_profile: String,
}

pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(position) = args.iter().position(|arg| arg == IN_PROCESS) {
        let mut args = args;
        args.remove(position);
        return match parse(&args) {
            Ok(options) => run(&options),
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

/// Runs the work in a child process and reports how it ended, a crash included.
fn supervise(args: &[String]) -> i32 {
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
        Some(code @ (EXIT_PASS | EXIT_FAIL | EXIT_USAGE)) => code,
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

/// The log: one line per step or check, the time since start first.
struct Report {
    start: Instant,
    failures: Vec<String>,
}

impl Report {
    fn line(&self, text: impl AsRef<str>) {
        let ms = self.start.elapsed().as_secs_f64() * 1e3;
        println!("{ms:>9.3} ms  {}", text.as_ref());
    }

    /// A step that returned an HRESULT.
    fn call(&self, what: &str, code: HRESULT) -> bool {
        self.line(format!("{what} -> {}", name(code)));
        code.is_ok()
    }

    fn check(&mut self, ok: bool, what: &str, failure: impl FnOnce() -> String) {
        if ok {
            self.line(format!("check ok:   {what}"));
        } else {
            let failure = failure();
            self.line(format!("check FAIL: {what}: {failure}"));
            self.failures.push(format!("{what}: {failure}"));
        }
    }

    fn fail(&mut self, what: String) {
        self.line(format!("FAIL: {what}"));
        self.failures.push(what);
    }
}

/// `0x80004005 (E_FAIL)`.
fn name(code: HRESULT) -> String {
    let known = match code.0 as u32 {
        0 => "S_OK",
        1 => "S_FALSE",
        0x8000_4005 => "E_FAIL",
        0x8000_4002 => "E_NOINTERFACE",
        0x8000_FFFF => "E_UNEXPECTED",
        0x8007_0057 => "E_INVALIDARG",
        0x8000_4003 => "E_POINTER",
        0x8000_4001 => "E_NOTIMPL",
        0x8004_0154 => "REGDB_E_CLASSNOTREG",
        0x8004_0111 => "CLASS_E_CLASSNOTAVAILABLE",
        0x8004_0110 => "CLASS_E_NOAGGREGATION",
        0x8004_010F => "MAPI_E_NOT_FOUND",
        0x8007_007E => "ERROR_MOD_NOT_FOUND",
        0x8002_0003 => "DISP_E_MEMBERNOTFOUND",
        0x8002_0006 => "DISP_E_UNKNOWNNAME",
        _ => "",
    };
    if known.is_empty() {
        format!("{:#010X}", code.0 as u32)
    } else {
        format!("{:#010X} ({known})", code.0 as u32)
    }
}

/// The COM add-in object Outlook passes as `AddInInst`; add-ins rarely use it, and this one
/// answers no names.
#[implement(IDispatch)]
struct ComAddIn;

impl IDispatch_Impl for ComAddIn_Impl {
    fn GetTypeInfoCount(&self) -> Result<u32> {
        Ok(0)
    }
    fn GetTypeInfo(&self, _: u32, _: u32) -> Result<ITypeInfo> {
        Err(DISP_E_BADINDEX.into())
    }
    fn GetIDsOfNames(
        &self,
        _: *const GUID,
        _: *const PCWSTR,
        _: u32,
        _: u32,
        _: *mut i32,
    ) -> Result<()> {
        Err(DISP_E_UNKNOWNNAME.into())
    }
    #[allow(clippy::too_many_arguments)]
    fn Invoke(
        &self,
        _: i32,
        _: *const GUID,
        _: u32,
        _: DISPATCH_FLAGS,
        _: *const DISPPARAMS,
        _: *mut VARIANT,
        _: *mut EXCEPINFO,
        _: *mut u32,
    ) -> Result<()> {
        Err(DISP_E_MEMBERNOTFOUND.into())
    }
}

/// Where the add-in came from, for `DllCanUnloadNow`.
struct Loaded {
    addin: IUnknown,
    dll: PathBuf,
}

/// The work, in this process.
fn run(options: &Options) -> i32 {
    let mut report = Report {
        start: Instant::now(),
        failures: Vec::new(),
    };
    report.line(format!("outlook-sim: process {}", std::process::id()));

    // 1. MAPI first, as in Outlook.
    let stand_in = match &options.mapi {
        None => {
            report.line("no MAPI loaded (--mapi none): as outside Outlook");
            None
        }
        Some(path) => match StandIn::load(path) {
            Ok(stand_in) => {
                report.line(format!("loaded the stand-in MAPI {}", path.display()));
                let code = stand_in.configure(&options.mapi_profile, HRESULT(0), false);
                let what = format!("stand-in: profile {:?}, online", options.mapi_profile);
                if !report.call(&what, code) {
                    return verdict(&report, "");
                }
                Some(stand_in)
            }
            Err(error) => {
                report.fail(format!("load the stand-in MAPI: {error}"));
                return verdict(&report, "");
            }
        },
    };

    // 2. COM, single-threaded apartment: Outlook's main thread.
    // SAFETY: once, on this thread, undone by CoUninitialize below.
    let code = unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) };
    if !report.call(
        "CoInitializeEx(COINIT_APARTMENTTHREADED) on the main thread",
        code,
    ) {
        return verdict(&report, "");
    }
    let name = life_cycle(options, stand_in.as_ref(), &mut report);
    // SAFETY: paired with CoInitializeEx above; every COM object of ours is gone.
    unsafe { CoUninitialize() };
    report.line("CoUninitialize");
    verdict(&report, &name)
}

/// Steps 3 to 6 and the checks; returns the add-in's name for the verdict.
fn life_cycle(options: &Options, stand_in: Option<&StandIn>, report: &mut Report) -> String {
    // 3. Find and create the add-in.
    let (name, loaded) = match &options.target {
        Target::ProgId(progid) => (progid.clone(), create_by_progid(progid, report)),
        Target::Dll { path, clsid } => (
            path.display().to_string(),
            create_from_dll(path, clsid, report),
        ),
    };
    let Some(Loaded { addin, dll }) = loaded else {
        return name;
    };
    let calls = if options.via_invoke {
        match AddInCalls::invoke(&addin) {
            Ok(calls) => {
                report.line("QueryInterface(IDispatch), GetIDsOfNames of the five methods -> S_OK");
                calls
            }
            Err((step, code)) => {
                report.call(&step, code);
                report.fail(format!(
                    "{step} failed: the add-in cannot be called through IDispatch, as Office may"
                ));
                return name;
            }
        }
    } else {
        match AddInCalls::vtable(&addin) {
            Ok(calls) => {
                report.line("QueryInterface(IDTExtensibility2) -> S_OK");
                calls
            }
            Err(code) => {
                report.call("QueryInterface(IDTExtensibility2)", code);
                report.fail("the object is not an Office add-in (no IDTExtensibility2)".into());
                return name;
            }
        }
    };
    let how = calls.how();

    // 4. Start-up.
    let application = Application::new(&options.profile);
    let application_dispatch: IDispatch = application
        .as_unknown()
        .cast()
        .expect("the stand-in Application answers IDispatch");
    let com_addin: IDispatch = ComAddIn.into();
    let mut custom = Custom::new();
    // SAFETY: `custom` is an empty SAFEARRAY of VARIANTs that outlives every call below.
    let code = unsafe {
        calls.on_connection(
            &application_dispatch,
            EXT_CM_STARTUP,
            &com_addin,
            custom.as_mut_ptr(),
        )
    };
    let connected = report.call(
        &format!("OnConnection(Application, ext_cm_Startup, AddInInst, custom){how}"),
        code,
    );
    if !connected {
        report.fail(format!(
            "OnConnection failed with {}: Outlook would not load the add-in (and would turn it off)",
            self::name(code)
        ));
        // A connection that failed is not disconnected: the add-in is just released.
        report.line("OnDisconnection: not called, since OnConnection failed");
    } else {
        // SAFETY: as above.
        report.call(&format!("OnAddInsUpdate(custom){how}"), unsafe {
            calls.on_add_ins_update(custom.as_mut_ptr())
        });
        // SAFETY: as above.
        report.call(&format!("OnStartupComplete(custom){how}"), unsafe {
            calls.on_startup_complete(custom.as_mut_ptr())
        });
        report.line(format!("message loop: {} message(s) dispatched", pump()));
        if let Some(stand_in) = stand_in {
            let status = stand_in.status();
            report.line(format!(
                "after start-up: {} manager(s) opened, {} sink(s) advised",
                status.opened, status.advised
            ));
        }

        // 5. Transitions.
        match stand_in {
            Some(stand_in) => transitions(stand_in, options.transitions, report),
            None => report.line("transitions: none, since no MAPI is loaded"),
        }

        // 6. Shutdown.
        // SAFETY: as above.
        report.call(&format!("OnBeginShutdown(custom){how}"), unsafe {
            calls.on_begin_shutdown(custom.as_mut_ptr())
        });
        report.line(format!("message loop: {} message(s) dispatched", pump()));
        // SAFETY: as above.
        report.call(
            &format!("OnDisconnection(ext_dm_HostShutdown, custom){how}"),
            unsafe { calls.on_disconnection(EXT_DM_HOST_SHUTDOWN, custom.as_mut_ptr()) },
        );
        report.line(format!("message loop: {} message(s) dispatched", pump()));
    }
    drop(calls);
    drop(application_dispatch);

    // The checks Outlook cannot make.
    if let Some(stand_in) = stand_in {
        let status = stand_in.status();
        report.check(status.advised == 0, "every Advise was unadvised", || {
            format!(
                "{} sink(s) still advised: the add-in never called Unadvise",
                status.advised
            )
        });
        report.check(
            status.manager_refs_outside == 0,
            "every reference to the offline manager was released",
            || {
                format!(
                    "{} reference(s) still held by the add-in",
                    status.manager_refs_outside
                )
            },
        );
    }
    let others = ref_count(&addin) - 1;
    report.check(
        others == 0,
        "nobody but Outlook holds the add-in object",
        || {
            format!(
                "{others} other reference(s) to it remain: the add-in kept one, or handed \
                 itself to something that did not release it"
            )
        },
    );
    drop(addin);
    report.line("released the add-in object");
    report.check(
        application.sessions_alive() == 0 && application.ref_count() == 1,
        "the Application and every Session handed out were released",
        || {
            format!(
                "{} Session(s) alive, {} reference(s) to Application besides ours",
                application.sessions_alive(),
                application.ref_count() - 1
            )
        },
    );
    let com_addin_refs = ref_count(&com_addin) - 1;
    report.check(
        com_addin_refs == 0,
        "the AddInInst object was released",
        || format!("{com_addin_refs} reference(s) still held"),
    );
    drop(custom);
    match can_unload_now(&dll) {
        Ok(code) => report.check(code == HRESULT(0), "DllCanUnloadNow is S_OK", || {
            format!(
                "it returned {}: an object of the add-in is still alive (a leaked sink, \
                 window or reference), so Outlook would keep the DLL loaded",
                self::name(code)
            )
        }),
        Err(error) => report.fail(format!("DllCanUnloadNow: {error}")),
    }
    if let Some(stand_in) = stand_in {
        report.call("stand-in: shut down", stand_in.shutdown());
    }
    name
}

/// Goes offline and online `count` times in turn; after each, one turn of the message loop
/// runs what the add-in posted to its main thread.
fn transitions(stand_in: &StandIn, count: u32, report: &Report) {
    for index in 1..=count {
        let offline = stand_in.status().offline == 0;
        let (from, to) = if offline {
            ("online", "offline")
        } else {
            ("offline", "online")
        };
        let code = stand_in.transition(offline);
        report.call(&format!("transition {index}/{count}: {from} -> {to}"), code);
        report.line(format!(
            "message loop: {} message(s) dispatched on the main thread",
            pump()
        ));
    }
}

fn verdict(report: &Report, name: &str) -> i32 {
    if report.failures.is_empty() {
        report.line(format!(
            "PASS: {name}: start-up, transitions and shutdown as Outlook does them; nothing left behind"
        ));
        EXIT_PASS
    } else {
        report.line(format!(
            "FAIL: {name}: {} problem(s):",
            report.failures.len()
        ));
        for failure in &report.failures {
            println!("      - {failure}");
        }
        EXIT_FAIL
    }
}

fn create_by_progid(progid: &str, report: &mut Report) -> Option<Loaded> {
    let key = format!("Software\\Microsoft\\Office\\Outlook\\Addins\\{progid}");
    let found = [("HKCU", HKEY_CURRENT_USER), ("HKLM", HKEY_LOCAL_MACHINE)]
        .into_iter()
        .find_map(|(root_name, root)| {
            read_dword(root, &key, "LoadBehavior").map(|value| (root_name, root, value))
        });
    let Some((root_name, root, load_behavior)) = found else {
        report.fail(format!(
            "no {key} with a LoadBehavior under HKCU or HKLM: not registered as an Outlook add-in"
        ));
        return None;
    };
    let friendly = read_string(root, &key, "FriendlyName").unwrap_or_default();
    report.line(format!(
        "registry: {root_name}\\{key}: LoadBehavior {load_behavior}, FriendlyName {friendly:?}"
    ));
    // Bit 1 (value 2): load at start-up.
    if load_behavior & 2 == 0 {
        report.fail(format!(
            "LoadBehavior {load_behavior} does not load the add-in at start-up (3 does), so Outlook would not load it"
        ));
        return None;
    }
    // SAFETY: a NUL-terminated ProgID.
    let clsid = match unsafe { CLSIDFromProgID(&HSTRING::from(progid)) } {
        Ok(clsid) => {
            report.line(format!("CLSIDFromProgID({progid}) -> {{{clsid:?}}}"));
            clsid
        }
        Err(error) => {
            report.call(&format!("CLSIDFromProgID({progid})"), error.code());
            let class_key = format!("Software\\Classes\\{progid}\\CLSID");
            // Wine's COM reads HKLM's classes only (Windows merges HKCU's in): say so.
            let hint = match read_string(HKEY_CURRENT_USER, &class_key, "") {
                Some(_) if running_under_wine() => {
                    " It is registered for the current user only, and Wine's COM reads only \
                     HKLM's classes: register it for all users (regsvr32 /n /i:allusers)."
                }
                _ => "",
            };
            report.fail(format!(
                "COM finds no class for the ProgID {progid} ({class_key}).{hint}"
            ));
            return None;
        }
    };
    let server_key = format!("Software\\Classes\\CLSID\\{{{clsid:?}}}\\InprocServer32");
    let dll = [HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE]
        .into_iter()
        .find_map(|root| read_string(root, &server_key, ""));
    let Some(dll) = dll else {
        report.fail(format!(
            "no {server_key}: the class has no in-process server"
        ));
        return None;
    };
    report.line(format!("InprocServer32: {dll}"));
    // SAFETY: a class id; COM loads the DLL and asks its class factory.
    match unsafe { CoCreateInstance::<_, IUnknown>(&clsid, None, CLSCTX_INPROC_SERVER) } {
        Ok(addin) => {
            report.line("CoCreateInstance(CLSCTX_INPROC_SERVER) -> S_OK");
            Some(Loaded {
                addin,
                dll: dll.into(),
            })
        }
        Err(error) => {
            report.call("CoCreateInstance(CLSCTX_INPROC_SERVER)", error.code());
            report.fail(format!("CoCreateInstance failed: {}", error.message()));
            None
        }
    }
}

type DllGetClassObject =
    unsafe extern "system" fn(*const GUID, *const GUID, *mut *mut c_void) -> HRESULT;

fn create_from_dll(path: &Path, clsid: &GUID, report: &mut Report) -> Option<Loaded> {
    // SAFETY: loading the DLL the user named runs its DllMain, as Outlook would.
    if let Err(error) = unsafe { LoadLibraryW(&HSTRING::from(path.as_os_str())) } {
        report.call(&format!("LoadLibraryW({})", path.display()), error.code());
        report.fail(format!("cannot load {}", path.display()));
        return None;
    }
    report.line(format!("LoadLibraryW({}) -> ok", path.display()));
    let Some(function) = export(path, "DllGetClassObject") else {
        report.fail("the DLL does not export DllGetClassObject: it is not a COM server".into());
        return None;
    };
    // SAFETY: COM's DllGetClassObject signature.
    let get_class_object: DllGetClassObject = unsafe { core::mem::transmute(function) };
    let mut factory = core::ptr::null_mut();
    // SAFETY: readable GUIDs and a writable out pointer.
    let code = unsafe { get_class_object(clsid, &IClassFactory::IID, &mut factory) };
    if !report.call(
        &format!("DllGetClassObject({{{clsid:?}}}, IClassFactory)"),
        code,
    ) || factory.is_null()
    {
        report.fail("no class factory for that CLSID".into());
        return None;
    }
    // SAFETY: DllGetClassObject handed over one reference to an IClassFactory.
    let factory = unsafe { IClassFactory::from_raw(factory) };
    // SAFETY: no outer object; COM's signature.
    match unsafe { factory.CreateInstance::<_, IUnknown>(None) } {
        Ok(addin) => {
            report.line("IClassFactory::CreateInstance -> S_OK");
            Some(Loaded {
                addin,
                dll: path.to_path_buf(),
            })
        }
        Err(error) => {
            report.call("IClassFactory::CreateInstance", error.code());
            report.fail("the class factory made no object".into());
            None
        }
    }
}

/// An export of the already loaded DLL at `path`.
fn export(path: &Path, name: &str) -> Option<unsafe extern "system" fn() -> isize> {
    // SAFETY: a NUL-terminated path; no reference is added.
    let module = unsafe { GetModuleHandleW(&HSTRING::from(path.as_os_str())) }.ok()?;
    let name: Vec<u8> = name.bytes().chain([0]).collect();
    // SAFETY: a loaded module and a NUL-terminated name.
    unsafe { GetProcAddress(module, PCSTR(name.as_ptr())) }
}

fn can_unload_now(dll: &Path) -> core::result::Result<HRESULT, String> {
    let function = export(dll, "DllCanUnloadNow")
        .ok_or_else(|| format!("{} is not loaded, or does not export it", dll.display()))?;
    // SAFETY: COM's `HRESULT DllCanUnloadNow(void)`.
    let function: unsafe extern "system" fn() -> HRESULT =
        unsafe { core::mem::transmute(function) };
    // SAFETY: no arguments.
    Ok(unsafe { function() })
}

/// One turn of the main thread's message loop: dispatches everything queued.
fn pump() -> usize {
    let mut message = MSG::default();
    let mut count = 0;
    // SAFETY: a valid MSG; messages of this thread only.
    while unsafe { PeekMessageW(&mut message, None, 0, 0, PM_REMOVE) }.as_bool() {
        // SAFETY: a message just taken from this thread's queue.
        unsafe {
            let _ = TranslateMessage(&message);
            DispatchMessageW(&message);
        }
        count += 1;
    }
    count
}

fn read_dword(root: HKEY, key: &str, value: &str) -> Option<u32> {
    let mut data = [0u8; 4];
    let size = read_value(root, key, value, RRF_RT_REG_DWORD, &mut data)?;
    (size == 4).then(|| u32::from_le_bytes(data))
}

fn read_string(root: HKEY, key: &str, value: &str) -> Option<String> {
    let mut data = vec![0u8; 2048];
    let size = read_value(root, key, value, RRF_RT_REG_SZ, &mut data)?;
    let units: Vec<u16> = data[..size]
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .take_while(|&unit| unit != 0)
        .collect();
    Some(String::from_utf16_lossy(&units))
}

/// `RegGetValueW` of `root\key`'s `value` (of the type `flags` allows) into `data`: the number
/// of bytes written, or `None` when there is no such value.
fn read_value(
    root: HKEY,
    key: &str,
    value: &str,
    flags: REG_ROUTINE_FLAGS,
    data: &mut [u8],
) -> Option<usize> {
    let mut size = data.len() as u32;
    // SAFETY: NUL-terminated names, a buffer whose size in bytes is passed.
    let status = unsafe {
        RegGetValueW(
            root,
            &HSTRING::from(key),
            &HSTRING::from(value),
            flags,
            None,
            Some(data.as_mut_ptr().cast()),
            Some(&mut size),
        )
    };
    status.is_ok().then_some(size as usize)
}

/// The `custom` argument: an empty SAFEARRAY of VARIANTs, as Outlook passes.
struct Custom(*mut SAFEARRAY);

impl Custom {
    fn new() -> Custom {
        // SAFETY: no preconditions; a null result is passed on as a null array.
        Custom(unsafe { SafeArrayCreateVector(VT_VARIANT, 0, 0) })
    }

    fn as_mut_ptr(&mut self) -> *mut *mut SAFEARRAY {
        &mut self.0
    }
}

impl Drop for Custom {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: made by SafeArrayCreateVector, destroyed once.
            let _ = unsafe { SafeArrayDestroy(self.0) };
        }
    }
}

/// Wine's ntdll exports `wine_get_version`; Windows' does not.
fn running_under_wine() -> bool {
    // SAFETY: ntdll is loaded in every process; a NUL-terminated name.
    unsafe {
        GetModuleHandleW(windows::core::w!("ntdll.dll"))
            .ok()
            .and_then(|ntdll| GetProcAddress(ntdll, PCSTR(c"wine_get_version".as_ptr().cast())))
            .is_some()
    }
}
