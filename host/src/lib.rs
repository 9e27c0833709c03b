//! The simulated Outlook host's parts (Windows only): the `Application` object add-ins are
//! handed, and the steps of Outlook's add-in life cycle. The program is `src/main.rs`.

#[cfg(windows)]
pub mod application;
