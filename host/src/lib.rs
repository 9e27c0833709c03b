//! The simulated Outlook host's parts: the C ABI of the stand-in `olmapi32.dll`
//! ([`standin`]), and (Windows only) the `Application` object add-ins are handed
//! (`application`) and the interface it calls them through (`extensibility`). The program
//! is `src/main.rs`.

#[cfg(windows)]
pub mod application;
pub mod com;
#[cfg(windows)]
pub mod extensibility;
pub mod standin;
