//! Outlook's sequence, run against the add-in, and the checks Outlook cannot make (see
//! `main.rs` for the steps and why).

use crate::application::Application;
use crate::calls::AddInCalls;
use crate::com::ref_count;
use crate::dispatch::NamelessDispatch;
use crate::extensibility::{EXT_CM_STARTUP, EXT_DM_HOST_SHUTDOWN};
use crate::load::{can_unload_now, create_by_progid, create_from_dll, Loaded};
use crate::report::{name, Report};
use crate::simulation::{Simulation, Target};
use crate::standin::StandIn;
use std::time::Instant;
use windows::core::{Interface, HRESULT};
use windows::Win32::System::Com::{
    CoInitializeEx, CoUninitialize, IDispatch, COINIT_APARTMENTTHREADED, SAFEARRAY,
};
use windows::Win32::System::Ole::{SafeArrayCreateVector, SafeArrayDestroy};
use windows::Win32::System::Variant::VT_VARIANT;
use windows::Win32::UI::WindowsAndMessaging::{
    DispatchMessageW, PeekMessageW, TranslateMessage, MSG, PM_REMOVE,
};

/// The work, in this process.
pub(crate) fn run(options: &Simulation) -> Report {
    let mut report = Report::new(options.timeout);
    report.line(format!(
        "outlook-sim: process {}, each call to the add-in given {} s",
        std::process::id(),
        report.watchdog.timeout().as_secs_f64()
    ));

    // 1. MAPI first, as in Outlook.
    let stand_in = match options.mapi_path() {
        None => {
            report.line("no MAPI loaded (--mapi none): as outside Outlook");
            None
        }
        Some(path) => match StandIn::load(&path) {
            Ok(stand_in) => {
                report.line(format!("loaded the stand-in MAPI {}", path.display()));
                let mapi_profile = options.known_profile();
                let code = stand_in.configure(mapi_profile, HRESULT(0), false);
                let what = format!("stand-in: profile {mapi_profile:?}, online");
                if !report.call(&what, code) {
                    report.verdict("");
                    return report;
                }
                Some(stand_in)
            }
            Err(error) => {
                report.fail(format!("load the stand-in MAPI: {error}"));
                report.verdict("");
                return report;
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
        report.verdict("");
        return report;
    }
    let name = life_cycle(options, stand_in.as_ref(), &mut report);
    // SAFETY: paired with CoInitializeEx above; every COM object of ours is gone.
    unsafe { CoUninitialize() };
    report.line("CoUninitialize");
    report.verdict(&name);
    report
}

/// Steps 3 to 6 and the checks; returns the add-in's name for the verdict.
fn life_cycle(options: &Simulation, stand_in: Option<&StandIn>, report: &mut Report) -> String {
    // 3. Find and create the add-in: the start-up's clock starts with the DLL's load.
    let loading = Instant::now();
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
    let mut shutting_down = None;
    let application = Application::new(&options.profile);
    let application_dispatch: IDispatch = application
        .as_unknown()
        .cast()
        .expect("the stand-in Application answers IDispatch");
    let com_addin: IDispatch = NamelessDispatch.into();
    let mut custom = Custom::new();
    let custom_ptr = custom.as_mut_ptr();
    // SAFETY (every call below): `custom` is an empty SAFEARRAY of VARIANTs that outlives
    // them, and the other arguments are live objects of ours.
    let code = report.timed(
        &format!("OnConnection(Application, ext_cm_Startup, AddInInst, custom){how}"),
        || unsafe {
            calls.on_connection(
                &application_dispatch,
                EXT_CM_STARTUP,
                &com_addin,
                custom_ptr,
            )
        },
    );
    if code.is_err() {
        report.fail(format!(
            "OnConnection failed with {}: Outlook would not load the add-in (and would turn it off)",
            self::name(code)
        ));
        // A connection that failed is not disconnected: the add-in is just released.
        report.line("OnDisconnection: not called, since OnConnection failed");
    } else {
        let _ = report.timed(&format!("OnAddInsUpdate(custom){how}"), || unsafe {
            calls.on_add_ins_update(custom_ptr)
        });
        let _ = report.timed(&format!("OnStartupComplete(custom){how}"), || unsafe {
            calls.on_startup_complete(custom_ptr)
        });
        let startup = loading.elapsed();
        report.startup = Some(startup);
        report.check_time("start-up (the DLL's load to OnStartupComplete)", startup);
        let pumped = report.watchdog.watch("the message loop", pump);
        report.line(format!("message loop: {pumped} message(s) dispatched"));
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

        // 6. Shutdown: its clock runs to the add-in's release.
        shutting_down = Some(Instant::now());
        let _ = report.timed(&format!("OnBeginShutdown(custom){how}"), || unsafe {
            calls.on_begin_shutdown(custom_ptr)
        });
        let pumped = report.watchdog.watch("the message loop", pump);
        report.line(format!("message loop: {pumped} message(s) dispatched"));
        let _ = report.timed(
            &format!("OnDisconnection(ext_dm_HostShutdown, custom){how}"),
            || unsafe { calls.on_disconnection(EXT_DM_HOST_SHUTDOWN, custom_ptr) },
        );
        let pumped = report.watchdog.watch("the message loop", pump);
        report.line(format!("message loop: {pumped} message(s) dispatched"));
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
    report
        .watchdog
        .watch("the add-in's final Release", || drop(addin));
    report.line("released the add-in object");
    if let Some(started) = shutting_down {
        let shutdown = started.elapsed();
        report.shutdown = Some(shutdown);
        report.check_time(
            "shut-down (OnBeginShutdown to the add-in's release)",
            shutdown,
        );
    }
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
    match report
        .watchdog
        .watch("DllCanUnloadNow", || can_unload_now(&dll))
    {
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
fn transitions(stand_in: &StandIn, count: u32, report: &mut Report) {
    for index in 1..=count {
        let offline = stand_in.status().offline == 0;
        let (from, to) = if offline {
            ("online", "offline")
        } else {
            ("offline", "online")
        };
        let code = report
            .watchdog
            .watch(&format!("transition {index}/{count}"), || {
                stand_in.transition(offline)
            });
        report.call(&format!("transition {index}/{count}: {from} -> {to}"), code);
        let pumped = report.watchdog.watch("the message loop", pump);
        report.line(format!(
            "message loop: {pumped} message(s) dispatched on the main thread"
        ));
    }
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
