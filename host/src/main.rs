//! `outlook-sim`: runs an Outlook COM add-in as classic Outlook runs it, without Outlook, and
//! judges what Outlook would suffer from. Its PASS means: classic Outlook would be fine.
//!
//! ```text
//! outlook-sim --progid MapiNotifySink.OutlookAddin [options]
//! outlook-sim --dll path\to\addin.dll --clsid {...} [options]
//! outlook-sim --dll path\to\addin.dll [options]
//! outlook-sim --help
//! ```
//!
//! What it does, as Outlook does (one line printed per step, with the HRESULT and the time):
//! 1. Loads the stand-in `olmapi32.dll` (beside this program, or `--mapi PATH`): Outlook's
//!    MAPI is loaded before any add-in starts, and `OfflineManager::open` looks for it.
//! 2. Initialises COM on its main thread as a single-threaded apartment.
//! 3. Finds the add-in: by ProgID under `Software\Microsoft\Office\Outlook\Addins` (the current
//!    user's, then all users'), reading `LoadBehavior` as Office does (3 connects at start-up; 2
//!    is "disabled by Outlook" and 0 or 1 "do not load automatically": not loaded, the run
//!    fails; 8 or 9, load on demand: connected after start-up; 16 connects at start-up and is
//!    rewritten to 9) and `RequireShutdownNotification`, checking the class's `ThreadingModel`
//!    (`Apartment`, or `Both`) and that the add-in's key and its class are under one root, then
//!    `CLSIDFromProgID` and `CoCreateInstance`; or by DLL path through its `DllGetClassObject`
//!    (a registration of that CLSID, if any, is checked the same way); or, `--dll` without
//!    `--clsid`, the DLL registers itself (its `DllRegisterServer`) into a registry of the run's
//!    own, never the user's, and the add-in is read from what it wrote as by ProgID, then made
//!    through `DllGetClassObject` (`register.rs`). `--local-app-data DIR` gives the add-in a
//!    `%LOCALAPPDATA%` of the run's own, so its log holds that run's lines only.
//! 4. `OnConnection(Application, ext_cm_Startup, AddInInst, custom)`, `OnAddInsUpdate`,
//!    `OnStartupComplete`, where `Application.Session.CurrentProfileName` answers the profile.
//!    With `--connect after-startup` (the COM Add-ins dialog, `COMAddIn.Connect = True`):
//!    `ext_cm_AfterStartup` and no `OnStartupComplete`, which Outlook sends only at its own
//!    start-up. Through the `IDTExtensibility2` vtable, or with `--via-invoke` through
//!    `IDispatch::Invoke` (Office documents neither; an add-in must answer both).
//! 5. The offline/online transitions asked for, each followed by a turn of the message loop
//!    (where an add-in's posted work runs, on the main thread); then `--burst N` transitions'
//!    notifications more, from four threads at once, while the main thread is busy.
//! 6. With `--cycles N`, N times: `OnDisconnection(ext_dm_UserClosed)` (the user turns the
//!    add-in off), its release, its DLL unloaded when `DllCanUnloadNow` says so (as
//!    `CoFreeUnusedLibraries` does), and a new object connected after start-up.
//! 7. Outlook's exit: fast shutdown, the default since Outlook 2010 ("Shutdown Changes for
//!    Outlook 2010"): no `OnBeginShutdown`, no `OnDisconnection`, only the add-in's release;
//!    both calls come first when the add-in's key has `RequireShutdownNotification` = 1 (or
//!    `--shutdown notify`). Then COM unloads the DLL and the host lives on: messages pumped,
//!    timers given time, an exception raised and caught.
//!
//! Every call into the add-in runs under a watchdog: one that does not return within
//! `--timeout` seconds (default 30) ends the run with a verdict naming it. Start-up (the DLL's
//! load to `OnStartupComplete`'s return) and shut-down (the connection's end to the add-in's
//! release) are timed, and each over 1,000 ms fails a check: Outlook 2013 and later disable an
//! add-in that slow.
//!
//! The judgments, each printed as one line naming what the add-in did and the rule it breaks:
//! `on_connection` failed or panicked in an add-in made with the library (which tells Outlook
//! `S_OK`, so the add-in would sit inert: fails unless `--allow-inert`); `DllCanUnloadNow` is
//! `S_FALSE` while connected and `S_OK` once released; every `Advise` unadvised and every
//! reference released; the main thread's apartment (type and identity), COM initialisation
//! balance and floating-point control words unchanged by each call; no message loop run inside
//! the five calls (a modal dialog); each dispatched message and each transition's notifications
//! within 250 ms (the main thread is Outlook's UI thread, and MAPI waits for `Notify`); the
//! main thread's queue never holding over 1,000 messages (a queue holds 10,000, shared with
//! Outlook's UI); Outlook's object model called from its main thread only (other calls are
//! refused `RPC_E_WRONG_THREAD` and counted); no thread, window or window class of the DLL left
//! at its unload, and nothing of it run after (a timer, hook or exception handler it left).
//!
//! The verdict comes last. The work runs in a child process, so that a crash can be reported,
//! and the run passes only when the child printed PASS and then ended cleanly: an add-in that
//! ends the process itself (`ExitProcess(0)`) gets no verdict and fails. The exit code is 0 for
//! PASS, 1 when a check failed, 2 for bad arguments, 3 when the add-in crashed or ended the
//! process (a panic across a COM boundary aborts it, as it would abort Outlook), 4 when a call
//! did not return in time. The same run is a library call too: `outlook_sim::Simulation`.

fn main() {
    #[cfg(windows)]
    std::process::exit(outlook_sim::main());
    #[cfg(not(windows))]
    {
        eprintln!("outlook-sim is a Windows program: run it on Windows, or under Wine");
        std::process::exit(2);
    }
}
