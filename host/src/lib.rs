//! The simulated Outlook host's parts: the C ABI of the stand-in `olmapi32.dll`
//! ([`standin`]), and (Windows only) what `outlook-sim` hands add-ins. The program is
//! `src/main.rs`.

pub mod standin;
