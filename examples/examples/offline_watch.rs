//! The main demo: a sink advised on a simulated Outlook sees it go offline and come back.
//!
//! Run with `cargo run --example offline_watch`. In an add-in, `SimulatedOutlook` is replaced
//! by `OfflineManager::open(profile)` inside Outlook; everything else is the same.

use mapi_notify_sink::simulator::SimulatedOutlook;
use mapi_notify_sink::{
    mapi_notify_sink, AdviseOptions, ConnectionState, Notification, SetStateMode, Sink,
};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

struct OfflineWatch {
    started: Instant,
    seen: AtomicU32,
}

#[mapi_notify_sink]
impl OfflineWatch {
    fn notify(&self, info: &Notification<'_>) {
        self.seen.fetch_add(1, Ordering::Relaxed);
        let change = match info.state_change() {
            Some(change) => format!("{:?} -> {:?}", change.old, change.new),
            None => "(no state change)".to_owned(),
        };
        println!(
            "  {:>8.3} ms  {:<16}  {:<17}  token {:#06x}  [thread {}]",
            self.started.elapsed().as_secs_f64() * 1e3,
            format!("{:?}", info.kind()),
            change,
            info.client_token(),
            std::thread::current().name().unwrap_or("unnamed"),
        );
    }
}

impl Drop for OfflineWatch {
    fn drop(&mut self) {
        println!(
            "sink released: OfflineWatch dropped after {} notifications",
            self.seen.load(Ordering::Relaxed)
        );
    }
}

fn main() -> Result<(), mapi_notify_sink::Error> {
    mapi_notify_sink_examples::init_logging();

    let outlook = SimulatedOutlook::new();
    let manager = outlook.manager();
    let capabilities = manager.capabilities()?;
    println!(
        "Outlook (simulated) is {:?}; can go offline: {}, can go online: {}",
        manager.state()?,
        capabilities.can_go_offline(),
        capabilities.can_go_online()
    );

    let sink = Sink::new(OfflineWatch {
        started: Instant::now(),
        seen: AtomicU32::new(0),
    });
    let advise = manager.advise(
        &sink,
        AdviseOptions {
            client_token: 0x5eed,
            ..AdviseOptions::default()
        },
    )?;
    println!(
        "advised: token {}, sink reference count {} (ours + Outlook's)",
        advise.token(),
        Sink::ref_count(&sink)
    );

    println!("going offline:");
    manager.set_state(ConnectionState::Offline, SetStateMode::Block)?;
    println!("now {:?}; going online:", manager.state()?);
    manager.set_state(ConnectionState::Online, SetStateMode::Block)?;
    println!("now {:?}", manager.state()?);

    advise.unadvise()?;
    println!(
        "unadvised: sink reference count {} (Outlook let go)",
        Sink::ref_count(&sink)
    );
    drop(sink);
    Ok(())
}
