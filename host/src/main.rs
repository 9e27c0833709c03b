//! `outlook-sim`: loads an Outlook COM add-in the way Outlook does (Windows only).

fn main() {
    #[cfg(not(windows))]
    {
        eprintln!("outlook-sim is a Windows program (run it on Windows or under Wine)");
        std::process::exit(2);
    }
}
