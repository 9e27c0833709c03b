//! `outlook-sim`, the simulated Outlook host, and its parts: [`Simulation`], one run of
//! Outlook's sequence against an add-in as a library call that returns a [`Report`], for an
//! author's own `cargo test` on Linux or Windows ([`Simulation::this_crate`]); the C ABI of the
//! stand-in `olmapi32.dll` ([`standin`]); and (Windows only) the `Application` object add-ins
//! are handed (`application`), the interface it calls them through (`extensibility`), and the
//! host itself, one file per job: the command line (`cli`), supervision in a child process
//! (`supervise`), a host in a process of its own for the library (`launch`: on Linux under
//! Wine), finding and creating the add-in as Office reads its registration (`load`, and
//! `register` for a DLL that registers itself where only the run sees it), Outlook's sequence
//! (`life_cycle`, calling the add-in as `calls` says, each call under the `watchdog`), the
//! judgments of what Outlook suffers from that need more than an HRESULT (`judge`: the main
//! thread's state, the message loop, what the DLL leaves at its unload), and the report
//! (`report`). The program is `src/main.rs`.
//!
//! ```no_run
//! // tests/outlook.rs of an add-in's crate, with outlook-sim as a dev-dependency.
//! let report = outlook_sim::Simulation::this_crate().transitions(2).run();
//! assert!(report.passed(), "{report}");
//! ```

#[cfg(windows)]
pub mod application;
pub mod com;
#[cfg(windows)]
pub mod dispatch;
#[cfg(windows)]
pub mod events;
#[cfg(windows)]
pub mod extensibility;
pub mod standin;

#[cfg(windows)]
mod calls;
#[cfg(any(windows, test))]
mod cli;
#[cfg(windows)]
mod judge;
mod launch;
#[cfg(windows)]
mod life_cycle;
#[cfg(windows)]
mod load;
#[cfg(windows)]
mod register;
mod report;
mod simulation;
#[cfg(windows)]
mod supervise;
#[cfg(windows)]
mod watchdog;

#[cfg(windows)]
pub use cli::main;
pub use report::{Report, EXIT_CRASH, EXIT_FAIL, EXIT_HANG, EXIT_PASS, EXIT_USAGE, OUTLOOK_LIMIT};
pub use simulation::{Simulation, MAPI_VARIABLE};
/// The CLSID type `Simulation::dll` takes (`windows_core::GUID`).
pub use windows_core::GUID;
