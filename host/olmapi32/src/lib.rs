//! The stand-in olmapi32.dll (Windows only).
