//! `outlook-sim`: runs an Outlook COM add-in through Outlook's start-up and shutdown, without
//! Outlook, then checks what Outlook cannot: that the add-in let go of everything.
//!
//! ```text
//! outlook-sim --progid MapiNotifySink.OutlookAddin [--transitions 2] [--profile Outlook]
//! outlook-sim --dll path\to\addin.dll --clsid {...}  [--transitions 2] [--profile Outlook]
//! ```
//!
//! What it does, as Outlook does (one line printed per step, with the HRESULT and the time):
//! 1. Loads the stand-in `olmapi32.dll` (beside this program, or `--mapi PATH`): Outlook's
//!    MAPI is loaded before any add-in starts, and `OfflineManager::open` looks for it.
//! 2. Initialises COM on its main thread as a single-threaded apartment.
//! 3. Finds the add-in: by ProgID under `Software\Microsoft\Office\Outlook\Addins` (the
//!    current user's, then all users'), loading it only if its `LoadBehavior` says "at
//!    start-up", then `CLSIDFromProgID` and `CoCreateInstance`; or by DLL path through its
//!    `DllGetClassObject`.
//! 4. `OnConnection(Application, ext_cm_Startup, AddInInst, custom)`, `OnAddInsUpdate`,
//!    `OnStartupComplete`, where `Application.Session.CurrentProfileName` answers the profile.
//!    Through the `IDTExtensibility2` vtable, or with `--via-invoke` through `IDispatch::Invoke`
//!    (Office documents neither; an add-in must answer both).
//! 5. The offline/online transitions asked for, each followed by a turn of the message loop
//!    (where an add-in's posted work runs, on the main thread).
//! 6. `OnBeginShutdown`, `OnDisconnection(ext_dm_HostShutdown)`, and the add-in's release.
//!    (An add-in whose `OnConnection` failed gets neither: it is only released. Office's
//!    documentation does not say; this is the stricter reading, since an add-in that
//!    half-connected must clean up before it fails.)
//!
//! Every call into the add-in runs under a watchdog: one that does not return within
//! `--timeout` seconds (default 30) ends the run with a verdict naming it. Start-up (the DLL's
//! load to `OnStartupComplete`'s return) and shut-down (`OnBeginShutdown` to the add-in's
//! release) are timed, and each over 1,000 ms fails a check: Outlook 2013 and later disable an
//! add-in that slow.
//!
//! Then the checks: every `Advise` was unadvised, every reference to the offline manager, the
//! `Application` and its `Session`s released, the add-in object released by everyone but us,
//! and the DLL's `DllCanUnloadNow` is `S_OK`. The verdict comes last; the exit code is 0 when
//! every check passed, 1 when one failed, 2 for bad arguments, 3 when the add-in crashed the
//! process (a panic across a COM boundary aborts it, as it would abort Outlook), 4 when a call
//! did not return in time: the work runs in a child process so that a crash can still be
//! reported. The same run is a library call too: `outlook_sim::Simulation`.

fn main() {
    #[cfg(windows)]
    std::process::exit(outlook_sim::main());
    #[cfg(not(windows))]
    {
        eprintln!("outlook-sim is a Windows program: run it on Windows, or under Wine");
        std::process::exit(2);
    }
}
