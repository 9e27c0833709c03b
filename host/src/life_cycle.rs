//! Outlook's sequence, run against the add-in, and the checks Outlook cannot make (see
//! `main.rs` for the steps and why).

use crate::application::Application;
use crate::calls::AddInCalls;
use crate::com::ref_count;
use crate::dispatch::NamelessDispatch;
use crate::events::Arg;
use crate::extensibility::{
    EXT_CM_AFTER_STARTUP, EXT_CM_STARTUP, EXT_DM_HOST_SHUTDOWN, EXT_DM_USER_CLOSED,
};
use crate::judge::{self, MainThread, Module, Pump, QUEUE_SHARE, RESPONSIVE};
use crate::load::{
    self, can_unload_now, check_dll_registration, create_by_progid, create_from_dll,
    find_by_progid, Loaded, Registration,
};
use crate::register::register_privately;
use crate::report::{name, Report, OUTLOOK_LIMIT};
use crate::simulation::{Simulation, Target};
use crate::standin::StandIn;
use mapi_notify_sink::sys;
use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;
use std::time::{Duration, Instant};
use windows::core::{IUnknown, Interface, GUID, HRESULT};
use windows::Win32::Foundation::{FreeLibrary, S_FALSE};
use windows::Win32::System::Com::{
    CoFreeUnusedLibrariesEx, CoInitializeEx, CoUninitialize, IDispatch, COINIT_APARTMENTTHREADED,
    SAFEARRAY,
};
use windows::Win32::System::Ole::{SafeArrayCreateVector, SafeArrayDestroy};
use windows::Win32::System::Variant::VT_VARIANT;

/// The work, in this process.
pub(crate) fn run(options: &Simulation) -> Report {
    let mut report = Report::new(options.timeout);
    report.line(format!(
        "outlook-sim: process {}, each call to the add-in given {} s",
        std::process::id(),
        report.watchdog().timeout().as_secs_f64()
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
                    report.verdict(&options.name());
                    return report;
                }
                Some(stand_in)
            }
            Err(error) => {
                report.fail(format!("load the stand-in MAPI: {error}"));
                report.verdict(&options.name());
                return report;
            }
        },
    };

    // 2. COM, single-threaded apartment: Outlook's main thread. (A test that calls the library
    // may have initialised COM on this thread already: the balance is judged against that.)
    let initialised_before = MainThread::now().com_initialised();
    // SAFETY: once, on this thread, undone by CoUninitialize below.
    let code = unsafe { CoInitializeEx(None, COINIT_APARTMENTTHREADED) };
    if !report.call(
        "CoInitializeEx(COINIT_APARTMENTTHREADED) on the main thread",
        code,
    ) {
        report.verdict(&options.name());
        return report;
    }
    let pump = Pump::new();
    if !pump.probing() {
        report.fail(
            "the host's probe window or COM initialize spy could not be made: a message loop \
             run inside a call into the add-in, or its CoInitialize/CoUninitialize, cannot be \
             seen"
                .into(),
        );
    }
    let mut run = Run {
        options,
        stand_in: stand_in.as_ref(),
        report: &mut report,
        pump: &pump,
        module: None,
        slowest_notify: Duration::ZERO,
    };
    run.life_cycle();
    drop(pump);
    // SAFETY: paired with CoInitializeEx above; every COM object of ours is gone. COM frees the
    // DLLs it loaded here, which runs their code.
    report
        .watchdog()
        .watch("CoUninitialize (COM frees the DLLs it loaded)", || unsafe {
            CoUninitialize()
        });
    report.line("CoUninitialize");
    report.check(
        MainThread::now().com_initialised() == initialised_before,
        "COM's initialisation of the main thread is balanced",
        || {
            "COM is still initialised on the main thread after outlook-sim's own \
             CoUninitialize: the add-in called CoInitialize(Ex) on Outlook's thread without \
             its CoUninitialize"
                .into()
        },
    );
    report.read_addin_log();
    report.verdict(&options.name());
    report
}

/// Where the add-in comes from: its registration, a DLL named on the command line, or a DLL
/// that registered itself into the run's own registry (created from the DLL, as COM would from
/// that registration).
enum Source<'a> {
    Registered(Registration),
    Dll { path: &'a Path, clsid: &'a GUID },
    SelfRegistered(Registration),
}

impl Source<'_> {
    fn create(&self, report: &mut Report) -> Option<Loaded> {
        match self {
            Source::Registered(registration) => create_by_progid(registration, report),
            Source::Dll { path, clsid } => create_from_dll(path, clsid, report),
            Source::SelfRegistered(registration) => {
                create_from_dll(&registration.dll, &registration.clsid, report)
            }
        }
    }

    /// What COM does when `DllCanUnloadNow` says S_OK: unloads the DLL. Returns the step's line.
    fn unload(&self, module: &Module) -> String {
        match self {
            Source::Registered(_) => {
                // SAFETY: no preconditions; COM asks each DLL it loaded, and unloads now.
                unsafe { CoFreeUnusedLibrariesEx(0, None) };
                "CoFreeUnusedLibrariesEx(0): COM unloads every DLL that says it can go".into()
            }
            Source::Dll { .. } | Source::SelfRegistered(_) => {
                // SAFETY: the one reference our LoadLibraryW took.
                let freed = unsafe { FreeLibrary(module.handle()) };
                format!(
                    "FreeLibrary -> {}",
                    if freed.is_ok() { "ok" } else { "failed" }
                )
            }
        }
    }
}

/// One run's state, for the steps below.
struct Run<'a> {
    options: &'a Simulation,
    stand_in: Option<&'a StandIn>,
    report: &'a mut Report,
    pump: &'a Pump,
    /// The add-in's DLL while loaded.
    module: Option<Module>,
    /// The longest `Notify` already judged.
    slowest_notify: Duration,
}

/// Where the add-in's five methods are called, for the judgment of a message loop run inside one.
const SEQUENCE: &str = "Outlook's start-up and shutdown sequence";

impl Run<'_> {
    /// Steps 3 to 6 and the checks.
    fn life_cycle(&mut self) {
        let options = self.options;
        // 3. Find the add-in as Outlook does, and check what Outlook reads.
        let source = match &options.target {
            Target::ProgId(progid) => {
                match find_by_progid(progid, options.after_startup, self.report) {
                    Some(registration) => Source::Registered(registration),
                    None => return,
                }
            }
            Target::Dll { path, clsid } => {
                if !check_dll_registration(clsid, path, self.report) {
                    return;
                }
                Source::Dll { path, clsid }
            }
            Target::ThisCrate(_) => {
                self.report.fail(
                    "Simulation::this_crate() runs in a host process of its own (Simulation::run \
                     starts it)"
                        .into(),
                );
                return;
            }
            Target::RegisteredDll(path) => {
                match register_privately(path, options.after_startup, self.report) {
                    Some(registration) => Source::SelfRegistered(registration),
                    None => return,
                }
            }
        };
        let (at_startup, key_asks) = match &source {
            Source::Registered(registration) | Source::SelfRegistered(registration) => {
                (registration.at_startup, registration.shutdown_notification)
            }
            Source::Dll { .. } => (!options.after_startup, false),
        };
        if let Source::Registered(registration) | Source::SelfRegistered(registration) = &source {
            self.report.log_from(&registration.progid);
        }
        let notify_at_exit = options.shutdown_notification.unwrap_or(key_asks);
        let application = Application::new(&options.profile);
        let application_dispatch: IDispatch = application
            .as_unknown()
            .cast()
            .expect("the stand-in Application answers IDispatch");
        let com_addin: IDispatch = NamelessDispatch.into();
        let mut custom = Custom::new();
        let custom = custom.as_mut_ptr();
        let mut unloaded = 0;
        let mut dll = None;
        for index in 0..=options.cycles {
            let last = index == options.cycles;
            let startup = index == 0 && at_startup;
            if options.cycles > 0 {
                self.report.line(format!(
                    "connection {}/{}{}",
                    index + 1,
                    options.cycles + 1,
                    if index > 0 {
                        ": the user connects the add-in again in the COM Add-ins dialog"
                    } else {
                        ""
                    }
                ));
            }
            // The start-up's clock starts with the DLL's load.
            let loading = Instant::now();
            let loading_what = "loading the add-in (its DllMain, its class factory)";
            let before = MainThread::now();
            self.report.watchdog().begin(loading_what);
            let loaded = source.create(self.report);
            self.report.watchdog().end();
            MainThread::check(self.report, loading_what, &before);
            let Some(Loaded { addin, dll: path }) = loaded else {
                return;
            };
            // Found again for each connection: COM may have loaded it elsewhere.
            self.module = Module::find(&path);
            match &self.module {
                Some(module) => self
                    .report
                    .line(format!("the add-in's DLL: {}", module.describe())),
                None => self.report.fail(format!(
                    "the add-in's DLL {} is not loaded in this process under that path: what it \
                     leaves behind at its unload cannot be judged",
                    path.display()
                )),
            }
            dll = Some(path.clone());
            let Some(calls) = self.calls(&addin) else {
                return;
            };
            let how = calls.how();
            let mode = if startup {
                "ext_cm_Startup"
            } else {
                "ext_cm_AfterStartup"
            };
            // SAFETY (every call below): `custom` points to an empty SAFEARRAY of VARIANTs that
            // outlives them, and the other arguments are live objects of ours.
            let code = self.call(
                &format!("OnConnection(Application, {mode}, AddInInst, custom){how}"),
                || unsafe {
                    calls.on_connection(
                        &application_dispatch,
                        if startup {
                            EXT_CM_STARTUP
                        } else {
                            EXT_CM_AFTER_STARTUP
                        },
                        &com_addin,
                        custom,
                    )
                },
            );
            if code.is_err() {
                self.report.fail(format!(
                    "OnConnection failed with {}: Outlook would not load the add-in, and would \
                     write LoadBehavior 2 (disabled)",
                    self::name(code)
                ));
                // A connection that failed is not disconnected: the add-in is just released.
                self.report
                    .line("OnDisconnection: not called, since OnConnection failed");
                drop(calls);
                self.release(addin, &path);
                break;
            }
            self.inert(&path);
            let _ = self.call(&format!("OnAddInsUpdate(custom){how}"), || unsafe {
                calls.on_add_ins_update(custom)
            });
            if startup {
                let _ = self.call(&format!("OnStartupComplete(custom){how}"), || unsafe {
                    calls.on_startup_complete(custom)
                });
                let took = loading.elapsed();
                self.report.startup = Some(took);
                self.report
                    .check_time("start-up (the DLL's load to OnStartupComplete)", took);
                // Outlook's Startup event comes once the add-ins are loaded: "Occurs when
                // Microsoft Outlook is starting, but after all add-in programs have been
                // loaded" (Microsoft's reference, Application.Startup event (Outlook)). It is
                // judged as every event is, not as part of the start-up's time.
                self.fire(&application, "Application.Startup", |application| {
                    application
                        .application_events()
                        .fire(sys::DISPID_Startup, &[])
                });
            } else {
                self.report.line(
                    "OnStartupComplete: not called: Outlook sends it only to add-ins loaded at \
                     its own start-up",
                );
                let took = loading.elapsed();
                self.report.startup.get_or_insert(took);
                self.report.check_time(
                    "connection (the DLL's load to OnAddInsUpdate's return)",
                    took,
                );
            }
            self.turn("after start-up");
            if let Some(stand_in) = self.stand_in {
                let status = stand_in.status();
                self.report.line(format!(
                    "after start-up: {} manager(s) opened, {} sink(s) advised",
                    status.opened, status.advised
                ));
            }
            self.report.line(format!(
                "after start-up: {} sink(s) advised on the stores",
                application.advised()
            ));
            self.can_unload("while the add-in is connected", &path, false);

            // 5. Transitions, and a burst.
            match self.stand_in {
                Some(stand_in) => {
                    self.transitions(stand_in, options.transitions);
                    if index == 0 && options.burst > 0 {
                        self.burst(stand_in, options.burst);
                    }
                }
                None => self
                    .report
                    .line("transitions: none, since no MAPI is loaded"),
            }

            if options.new_mail > 0 {
                self.new_mail(&application, options.new_mail);
            }
            if options.send > 0 {
                self.send(&application, options.send);
            }

            // 6. The end of this connection.
            if last {
                self.quit(&application);
            }
            let shutting_down;
            if !last {
                self.report.line(
                    "the user disconnects the add-in in the COM Add-ins dialog: \
                     OnDisconnection(ext_dm_UserClosed), then Outlook releases it",
                );
                shutting_down = Instant::now();
                let _ = self.call(
                    &format!("OnDisconnection(ext_dm_UserClosed, custom){how}"),
                    || unsafe { calls.on_disconnection(EXT_DM_USER_CLOSED, custom) },
                );
                self.no_event_sinks(&application, "after OnDisconnection");
                self.turn("after OnDisconnection");
            } else if notify_at_exit {
                self.report.line(
                    "Outlook exits; the add-in asked for RequireShutdownNotification: \
                     OnBeginShutdown and OnDisconnection come",
                );
                shutting_down = Instant::now();
                let _ = self.call(&format!("OnBeginShutdown(custom){how}"), || unsafe {
                    calls.on_begin_shutdown(custom)
                });
                self.turn("after OnBeginShutdown");
                let _ = self.call(
                    &format!("OnDisconnection(ext_dm_HostShutdown, custom){how}"),
                    || unsafe { calls.on_disconnection(EXT_DM_HOST_SHUTDOWN, custom) },
                );
                self.no_event_sinks(&application, "after OnDisconnection");
                self.turn("after OnDisconnection");
            } else {
                self.report.line(
                    "Outlook exits with fast shutdown (Outlook 2010 and later, by default): no \
                     OnBeginShutdown, no OnDisconnection; it releases the add-in and the process \
                     ends",
                );
                shutting_down = Instant::now();
            }
            drop(calls);
            let can_unload = self.release(addin, &path);
            self.no_event_sinks(&application, "once the add-in is released");
            let advised = application.advised();
            self.report.check(
                advised == 0,
                "no sink is left advised on the stores once the add-in is released",
                || {
                    format!(
                        "{advised} connection(s) still advised: the store keeps calling a sink \
                         whose DLL COM may unload; drop each StoreAdvise when the add-in is \
                         released (or in on_disconnection)"
                    )
                },
            );
            let took = shutting_down.elapsed();
            self.report.shutdown = Some(took);
            self.report.check_time(
                "shut-down (the end of the connection to the add-in's release)",
                took,
            );
            if last {
                break;
            }
            if can_unload && self.unload(&source) {
                unloaded += 1;
            }
        }

        // The checks Outlook cannot make, at exit.
        drop(application_dispatch);
        self.report.check(
            application.objects_alive() == 0 && application.ref_count() == 1,
            "the Application and every object of its model handed out were released",
            || {
                format!(
                    "{} object(s) alive ({} of them Session(s)), {} reference(s) to \
                     Application besides ours",
                    application.objects_alive(),
                    application.sessions_alive(),
                    application.ref_count() - 1
                )
            },
        );
        let wrong_thread = application.wrong_thread_calls();
        self.report.check(
            wrong_thread == 0,
            "Outlook's object model was called on its main thread only",
            || {
                format!(
                    "{wrong_thread} call(s) came from another thread and were refused with \
                     RPC_E_WRONG_THREAD, as Outlook refuses them: a Notify (MAPI's thread) must \
                     hand the work to the main thread (MainThread::post) before it touches \
                     Application"
                )
            },
        );
        let com_addin_refs = ref_count(&com_addin) - 1;
        self.report.check(
            com_addin_refs == 0,
            "the AddInInst object was released",
            || format!("{com_addin_refs} reference(s) still held"),
        );
        if let Some(stand_in) = self.stand_in {
            self.report.call("stand-in: shut down", stand_in.shutdown());
        }
        if options.cycles > 0 {
            self.report.check(
                unloaded > 0,
                "between connections the DLL was unloaded and loaded again",
                || "COM never unloaded it between connections".into(),
            );
        }
        // What COM does at last: unload the DLL, and Outlook goes on.
        if let Some(path) = dll {
            if self.can_unload("at exit", &path, true) && self.unload(&source) {
                if let Some(module) = self.module.take() {
                    judge::outlive(self.report, &module, self.pump);
                }
            }
        }
    }

    /// The add-in's `IDTExtensibility2`, through the vtable or `IDispatch`.
    fn calls(&mut self, addin: &IUnknown) -> Option<AddInCalls> {
        if self.options.via_invoke {
            match AddInCalls::invoke(addin) {
                Ok(calls) => {
                    self.report.line(
                        "QueryInterface(IDispatch), GetIDsOfNames of the five methods -> S_OK",
                    );
                    Some(calls)
                }
                Err((step, code)) => {
                    self.report.call(&step, code);
                    self.report.fail(format!(
                        "{step} failed: the add-in cannot be called through IDispatch, as Office may"
                    ));
                    None
                }
            }
        } else {
            match AddInCalls::vtable(addin) {
                Ok(calls) => {
                    self.report
                        .line("QueryInterface(IDTExtensibility2) -> S_OK");
                    Some(calls)
                }
                Err(code) => {
                    self.report.call("QueryInterface(IDTExtensibility2)", code);
                    self.report
                        .fail("the object is not an Office add-in (no IDTExtensibility2)".into());
                    None
                }
            }
        }
    }

    /// A call into the add-in on the main thread: timed, under the watchdog, with the main
    /// thread's state checked after it and a message loop run inside it caught.
    fn call(&mut self, what: &str, call: impl FnOnce() -> HRESULT) -> HRESULT {
        let before = MainThread::now();
        let report = &mut *self.report;
        let (code, nested) = self.pump.probed(what, || report.timed(what, call));
        MainThread::check(self.report, what, &before);
        if let Some(module) = &self.module {
            self.pump.note_classes(module);
        }
        if nested {
            self.report.fail(format!(
                "{what} ran a message loop of its own (a modal dialog, a wait that pumps, or a \
                 call to another apartment, which COM pumps for): Outlook's own messages were \
                 dispatched inside {SEQUENCE}, re-entering Outlook while it waits on the \
                 add-in; return at once, and show UI later, from a posted message"
            ));
        }
        code
    }

    /// One turn of the main thread's message loop, each message timed.
    fn turn(&mut self, when: &str) -> usize {
        self.turn_judged(when, false)
    }

    /// A turn of the message loop, judged; `quiet`: without its line (a loop of many turns).
    fn turn_judged(&mut self, when: &str, quiet: bool) -> usize {
        let before = MainThread::now();
        let pump = self.pump;
        let module = self.module.as_ref();
        let turn = self
            .report
            .watchdog()
            .watch("the message loop", || pump.turn(module));
        MainThread::check(
            self.report,
            &format!("a message dispatched {when}"),
            &before,
        );
        if !quiet {
            self.report.line(format!(
                "message loop: {} message(s) dispatched",
                turn.count
            ));
        }
        if turn.endless {
            self.report.fail(format!(
                "{when}, the main thread's queue never emptied ({} messages in one turn of the \
                 loop): the add-in keeps it full (a message that posts itself again, a window \
                 never painted), and Outlook's input and painting wait behind it",
                turn.count
            ));
        }
        if let Some((took, message)) = turn.slowest {
            if took > RESPONSIVE {
                self.report.fail(format!(
                    "{when}, the main thread spent {:.0} ms in one message ({message}): it is \
                     Outlook's UI thread, which stops answering the user meanwhile (over {} ms \
                     fails); do the work on a thread of the add-in's own and post only the \
                     result",
                    took.as_secs_f64() * 1e3,
                    RESPONSIVE.as_millis()
                ));
            }
        }
        turn.deepest
    }

    /// Goes offline and online `count` times in turn, each timed; after each, one turn of the
    /// message loop runs what the add-in posted to its main thread.
    fn transitions(&mut self, stand_in: &StandIn, count: u32) {
        for index in 1..=count {
            let offline = stand_in.status().offline == 0;
            let (from, to) = if offline {
                ("online", "offline")
            } else {
                ("offline", "online")
            };
            let started = Instant::now();
            let code = self
                .report
                .watchdog()
                .watch(&format!("transition {index}/{count}"), || {
                    stand_in.transition(offline)
                });
            let took = started.elapsed();
            self.report.call(
                &format!(
                    "transition {index}/{count}: {from} -> {to} in {:.1} ms",
                    took.as_secs_f64() * 1e3
                ),
                code,
            );
            self.slowest_notify(stand_in, &format!("transition {index}"), took);
            self.turn(&format!("after transition {index}"));
        }
    }

    /// Fails the run when a `Notify` since the last look took over the limit.
    fn slowest_notify(&mut self, stand_in: &StandIn, when: &str, took: Duration) {
        let slowest = Duration::from_micros(stand_in.status().slowest_notify_us.into());
        if slowest > RESPONSIVE && slowest > self.slowest_notify {
            self.report.fail(format!(
                "{when}: one Notify took {:.0} ms (all of it {:.0} ms): MAPI waits for each \
                 Notify, and Outlook's transition with it (over {} ms fails); return at once \
                 and do the work elsewhere (MainThread::post, or a thread)",
                slowest.as_secs_f64() * 1e3,
                took.as_secs_f64() * 1e3,
                RESPONSIVE.as_millis()
            ));
        }
        self.slowest_notify = self.slowest_notify.max(slowest);
    }

    /// `count` messages arrive in the Inbox, one at a time: the store's `fnevNewMail`, then
    /// Outlook's events (`NewMail`, `NewMailEx` with the entry ID, the Inbox's `ItemAdd`), each
    /// message followed by a turn of the main thread's message loop (where an add-in's posted
    /// work opens the item).
    fn new_mail(&mut self, application: &Application, count: u32) {
        let mut delivered = 0;
        for number in 1..=count {
            let subject = format!("outlook-sim message {number} of {count}");
            let what = format!("the store's fnevNewMail for {subject:?}");
            let arrived = self
                .report
                .watchdog()
                .watch(&what, || application.deliver_mail(&subject, "outlook-sim"));
            if let Some((mail, calls)) = arrived {
                delivered += calls;
                let index = application.inbox().len() - 1;
                self.fire(application, "Application.NewMail", |application| {
                    application
                        .application_events()
                        .fire(sys::DISPID_NewMail, &[])
                });
                self.fire(application, "Application.NewMailEx", |application| {
                    let ids = Arg::Text(crate::application::hex(&mail.entry_id));
                    application
                        .application_events()
                        .fire(sys::DISPID_NewMailEx, &[ids])
                });
                let connected = application.items_events().advised();
                if connected > 0 && application.inbox_items_alive() == 0 {
                    // Outlook's Items object is gone, and its events with it.
                    self.report.fail(format!(
                        "Items.ItemAdd not fired: the add-in connected {connected} sink(s) to the \
                         Inbox's ItemsEvents but holds no Items object any more, and Outlook \
                         fires an Items' events only while it lives: keep the Items object (a \
                         field beside the Connection), or ItemAdd silently stops"
                    ));
                } else if let Some(item) = application.inbox_item(index) {
                    self.fire(application, "Items.ItemAdd", |application| {
                        application
                            .items_events()
                            .fire(sys::DISPID_ItemAdd, &[Arg::Object(item)])
                    });
                }
            }
            self.turn_judged("after new mail", true);
        }
        self.report.new_mail_delivered = Some(delivered);
        self.report.line(format!(
            "new mail: {count} message(s) arrived in the Inbox; {delivered} notification(s) \
             reached the add-in's sinks"
        ));
    }

    /// Outlook's `Quit` event, as it exits ("Occurs when Outlook begins to close", Microsoft's
    /// reference, Application.Quit event (Outlook)), with or without fast shutdown. Where it
    /// falls against `OnBeginShutdown` no source says: this stand-in fires it first, so that a
    /// clean-up in `quit` is judged by the checks after `OnDisconnection`.
    fn quit(&mut self, application: &Application) {
        self.fire(application, "Application.Quit", |application| {
            application.application_events().fire(sys::DISPID_Quit, &[])
        });
    }

    /// An event fired to the add-in's sinks, under the watchdog; one line with the sinks'
    /// answers when any sink is advised.
    fn fire(
        &mut self,
        application: &Application,
        event: &str,
        fire: impl FnOnce(&Application) -> Vec<HRESULT>,
    ) {
        let started = Instant::now();
        let codes = self.report.watchdog().watch(event, || fire(application));
        let took = started.elapsed();
        if codes.is_empty() {
            return;
        }
        let failed = codes.iter().any(|code| code.is_err());
        let names: Vec<String> = codes.iter().map(|code| name(*code)).collect();
        self.report.line(format!(
            "{event} fired to {} sink(s) in {:.1} ms: {}",
            codes.len(),
            took.as_secs_f64() * 1e3,
            names.join(", ")
        ));
        if failed {
            self.report.fail(format!(
                "{event}: a sink of the add-in's answered {}: its handler failed (a panic, or \
                 arguments it could not read; the add-in's log says which)",
                names.join(", ")
            ));
        }
        if took > RESPONSIVE {
            self.report.fail(format!(
                "{event} took {:.0} ms in the add-in's handlers, on Outlook's main thread (its UI \
                 thread, which stops answering the user meanwhile; over {} ms fails): do the \
                 work elsewhere (a thread of the add-in's own)",
                took.as_secs_f64() * 1e3,
                RESPONSIVE.as_millis()
            ));
        }
    }

    /// `count` messages sent, as the user clicks Send: each fires `Application.ItemSend(Item,
    /// Cancel)`; the odd ones have a subject, the even ones none. Says which the add-in
    /// cancelled.
    fn send(&mut self, application: &Application, count: u32) {
        let mut cancelled = Vec::new();
        for number in 1..=count {
            let subject = if number % 2 == 1 {
                format!("outlook-sim send {number} of {count}")
            } else {
                String::new()
            };
            let Some(item) = application.draft(&subject) else {
                break;
            };
            let cancel = Rc::new(Cell::new(false));
            self.fire(application, "Application.ItemSend", |application| {
                let args = [Arg::Object(item), Arg::Cancel(cancel.clone())];
                application
                    .application_events()
                    .fire(sys::DISPID_ItemSend, &args)
            });
            if cancel.get() {
                cancelled.push(format!("{number} ({subject:?})"));
            }
            self.turn_judged("after a send", true);
        }
        self.report.line(format!(
            "send: {} of {count} message(s) not sent, cancelled by the add-in (ItemSend's Cancel): \
             {}",
            cancelled.len(),
            if cancelled.is_empty() {
                "none".to_string()
            } else {
                cancelled.join(", ")
            }
        ));
    }

    /// No sink may be left on Outlook's event sources: Outlook keeps calling it.
    fn no_event_sinks(&mut self, application: &Application, when: &str) {
        for source in [application.application_events(), application.items_events()] {
            let advised = source.advised();
            let interface = source.interface().name;
            self.report.check(
                advised == 0,
                &format!("no event sink is left connected to {interface} {when}"),
                || {
                    format!(
                        "{advised} connection(s) to {interface} still advised: Outlook keeps \
                         calling them; drop each Connection in on_disconnection (or with the \
                         add-in)"
                    )
                },
            );
        }
    }

    /// `count` transitions from several threads while the main thread waits, then one turn of
    /// the message loop: the queue must not have filled.
    fn burst(&mut self, stand_in: &StandIn, count: u32) {
        const THREADS: u32 = 4;
        let started = Instant::now();
        let code = self
            .report
            .watchdog()
            .watch("the burst", || stand_in.burst(count, THREADS));
        let took = started.elapsed();
        let delivered = count.div_ceil(THREADS) * THREADS;
        self.report.call(
            &format!(
                "burst: {delivered} transitions' notifications ({} per sink) from {THREADS} \
                 threads at once, while the main thread is busy, in {:.1} ms",
                3 * delivered,
                took.as_secs_f64() * 1e3
            ),
            code,
        );
        self.slowest_notify(stand_in, "the burst", took);
        let deepest = self.turn("after the burst");
        self.report.check(
            deepest <= QUEUE_SHARE,
            &format!("the main thread's queue held {deepest} message(s) after the burst, at most {QUEUE_SHARE}"),
            || {
                "1,000 is outlook-sim's allowance, a tenth of the 10,000 messages a thread's \
                 queue holds (PostMessage's documentation), which Outlook's own UI shares: past \
                 10,000 PostMessage fails and messages are lost; post one message per burst and \
                 take every value queued when it runs (as addin::MainThread does)"
                    .into()
            },
        );
    }

    /// Whether the add-in says it works (`MapiNotifySinkAddInState`, add-ins made with the
    /// library): an inert one fails the run unless `--allow-inert`.
    fn inert(&mut self, dll: &Path) {
        let state = self
            .report
            .watchdog()
            .watch("MapiNotifySinkAddInState", || load::inert(dll));
        match state {
            Some(Ok(())) => self
                .report
                .line("check ok:   the add-in says its on_connection succeeded"),
            Some(Err(why)) if self.options.allow_inert => self.report.line(format!(
                "the add-in is loaded but inert ({why}): accepted (--allow-inert)"
            )),
            Some(Err(why)) => self.report.fail(format!(
                "the add-in is loaded but inert: {why}. The library told Outlook S_OK, so \
                 Outlook keeps it loaded, but it does nothing; fix the cause (the add-in's log \
                 says more), or pass --allow-inert when an inert add-in is what is tested"
            )),
            None => {}
        }
    }

    /// `DllCanUnloadNow`, which must be S_FALSE while connected and S_OK once released.
    fn can_unload(&mut self, when: &str, dll: &Path, want_ok: bool) -> bool {
        let before = MainThread::now();
        let mut answer = self
            .report
            .watchdog()
            .watch("DllCanUnloadNow", || can_unload_now(dll));
        MainThread::check(self.report, "DllCanUnloadNow", &before);
        let mut retried = false;
        // Once released, an add-in's own thread may still be finishing (holding an
        // addin::ModuleLock until its last act): COM asks again later, so the host does, for up
        // to Outlook's limit, with the main thread's messages pumped meanwhile.
        if want_ok && answer == Ok(S_FALSE) {
            let asked = Instant::now();
            while answer == Ok(S_FALSE) && asked.elapsed() < OUTLOOK_LIMIT {
                retried = true;
                std::thread::sleep(std::time::Duration::from_millis(10));
                self.turn_judged("while DllCanUnloadNow is asked again", true);
                let before = MainThread::now();
                answer = self
                    .report
                    .watchdog()
                    .watch("DllCanUnloadNow", || can_unload_now(dll));
                MainThread::check(self.report, "DllCanUnloadNow", &before);
            }
            if answer == Ok(HRESULT(0)) {
                self.report.line(format!(
                    "DllCanUnloadNow said S_FALSE, then S_OK {:.0} ms later (something of the \
                     add-in's was still finishing)",
                    asked.elapsed().as_secs_f64() * 1e3
                ));
            }
        }
        match answer {
            Ok(code) if want_ok => {
                self.report.check(
                    code == HRESULT(0),
                    &format!("DllCanUnloadNow is S_OK {when}"),
                    || {
                        format!(
                            "it returned {}{}: an object of the add-in is still alive (a leaked \
                             sink, window or reference) or a lock held (LockServer, \
                             addin::ModuleLock), so COM keeps the DLL loaded",
                            self::name(code),
                            if retried {
                                " (asked again for 1,000 ms)"
                            } else {
                                ""
                            }
                        )
                    },
                );
                code == HRESULT(0)
            }
            Ok(code) => {
                self.report.check(
                    code == S_FALSE,
                    &format!("DllCanUnloadNow is S_FALSE {when}"),
                    || {
                        format!(
                            "it returned {}: COM unloads a DLL that says S_OK whenever \
                             CoFreeUnusedLibraries runs in the process, here under the connected \
                             add-in (DllCanUnloadNow's documentation: S_OK only when no object \
                             of the DLL is in use)",
                            self::name(code)
                        )
                    },
                );
                false
            }
            Err(error) => {
                self.report.fail(format!("DllCanUnloadNow: {error}"));
                false
            }
        }
    }

    /// Releases the add-in object and checks that it let go of everything; whether
    /// `DllCanUnloadNow` then says S_OK.
    fn release(&mut self, addin: IUnknown, dll: &Path) -> bool {
        let others = ref_count(&addin) - 1;
        self.report.check(
            others == 0,
            "nobody but Outlook holds the add-in object",
            || {
                format!(
                    "{others} other reference(s) to it remain: the add-in kept one, or handed \
                     itself to something that did not release it"
                )
            },
        );
        let before = MainThread::now();
        self.report
            .watchdog()
            .watch("the add-in's final Release", || drop(addin));
        MainThread::check(self.report, "the add-in's final Release", &before);
        self.report.line("released the add-in object");
        self.turn("after the release");
        if let Some(stand_in) = self.stand_in {
            let status = stand_in.status();
            self.report
                .check(status.advised == 0, "every Advise was unadvised", || {
                    format!(
                        "{} sink(s) still advised after the add-in's release: the add-in never \
                     called Unadvise (under fast shutdown, release is all an add-in gets: \
                     unadvise when it is dropped, not only in OnDisconnection)",
                        status.advised
                    )
                });
            self.report.check(
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
        self.can_unload("after the add-in's release", dll, true)
    }

    /// What the add-in left is checked, then the DLL unloaded as COM does; whether it was.
    fn unload(&mut self, source: &Source<'_>) -> bool {
        let Some(module) = self.module.take() else {
            self.report
                .line("the add-in's DLL was not found in memory: it is not unloaded");
            return false;
        };
        if !judge::left_behind(self.report, &module, self.pump) {
            self.report
                .line("the DLL is not unloaded: what the add-in left would crash the host at once");
            return false;
        }
        let unloading = "the DLL's unload (its DLL_PROCESS_DETACH)";
        let before = MainThread::now();
        let done = self
            .report
            .watchdog()
            .watch(unloading, || source.unload(&module));
        MainThread::check(self.report, unloading, &before);
        self.report.line(done);
        if module.loaded() {
            self.report.line(
                "the DLL stays loaded (something keeps a reference to it): nothing to outlive",
            );
            self.module = Some(module);
            false
        } else {
            self.report.line("the add-in's DLL was unloaded");
            self.turn("after the unload");
            // Kept for the life after the unload; the next connection finds the DLL again.
            self.module = Some(module);
            true
        }
    }
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
