//! What the attribute accepts: each case compiles and the sink it makes works.

use mapi_notify_sink::{
    mapi_notify_sink, ConnectionState, Notification, NotifyKind, Sink, StateChange,
};
use std::fmt::Debug;
use std::sync::Mutex;

mod support;
use support::notify_offline;

const OFFLINE: StateChange = StateChange {
    old: ConnectionState::Online,
    new: ConnectionState::Offline,
};

struct Tagged<T> {
    tag: T,
    seen: Mutex<Vec<(String, u32)>>,
}

#[mapi_notify_sink]
impl<T: Debug + Send + Sync + 'static> Tagged<T> {
    fn notify(&self, info: &Notification<'_>) {
        self.seen
            .lock()
            .unwrap()
            .push((format!("{:?}", self.tag), info.client_token()));
    }
}

#[test]
fn generic_impl_makes_one_sink_per_type_argument() {
    let words = Sink::new(Tagged {
        tag: "offline",
        seen: Mutex::default(),
    });
    let numbers = Sink::new(Tagged {
        tag: 42u8,
        seen: Mutex::default(),
    });
    notify_offline(words.as_raw(), 1);
    notify_offline(numbers.as_raw(), 2);
    assert_eq!(*words.seen.lock().unwrap(), [("\"offline\"".to_owned(), 1)]);
    assert_eq!(*numbers.seen.lock().unwrap(), [("42".to_owned(), 2)]);
}

struct Bounded<T>(Mutex<Option<T>>);

#[mapi_notify_sink]
impl<T> Bounded<T>
where
    T: From<StateChange> + Send + 'static,
{
    fn notify(&self, info: &Notification<'_>) {
        *self.0.lock().unwrap() = info.state_change().map(T::from);
    }
}

#[derive(Debug, PartialEq)]
struct Went(ConnectionState);

impl From<StateChange> for Went {
    fn from(change: StateChange) -> Self {
        Went(change.new)
    }
}

#[test]
fn generic_impl_with_where_clause() {
    let sink = Sink::new(Bounded::<Went>(Mutex::new(None)));
    notify_offline(sink.as_raw(), 0);
    assert_eq!(
        *sink.0.lock().unwrap(),
        Some(Went(ConnectionState::Offline))
    );
}

struct Rich {
    seen: Mutex<Vec<NotifyKind>>,
}

#[mapi_notify_sink]
impl Rich {
    /// Other items in the block stay as they are.
    pub const NAME: &'static str = "rich";

    pub fn new() -> Self {
        Self {
            seen: Mutex::default(),
        }
    }

    fn notify(&self, info: &Notification<'_>) {
        self.record(info.kind());
    }

    fn record(&self, kind: NotifyKind) {
        self.seen.lock().unwrap().push(kind);
    }

    pub fn seen(&self) -> Vec<NotifyKind> {
        self.seen.lock().unwrap().clone()
    }
}

#[test]
fn other_methods_and_consts_stay_usable() {
    assert_eq!(Rich::NAME, "rich");
    let sink = Sink::new(Rich::new());
    notify_offline(sink.as_raw(), 0);
    assert_eq!(sink.seen(), [NotifyKind::StateChange]);
}

struct Spelled(Mutex<Option<StateChange>>);

#[mapi_notify_sink]
impl Spelled {
    // Explicit lifetimes, `self: &Self`, a qualified path and `-> ()` are all the same signature.
    #[allow(clippy::needless_arbitrary_self_type, clippy::unused_unit)]
    fn notify<'a>(self: &'a Self, info: &'a mapi_notify_sink::Notification<'a>) -> () {
        *self.0.lock().unwrap() = info.state_change();
    }
}

#[test]
fn signature_spelled_differently() {
    let sink = Sink::new(Spelled(Mutex::new(None)));
    notify_offline(sink.as_raw(), 0);
    assert_eq!(*sink.0.lock().unwrap(), Some(OFFLINE));
}

struct Aborts;

#[mapi_notify_sink(on_panic = "abort")]
impl Aborts {
    fn notify(&self, info: &Notification<'_>) {
        panic!("sink refused token {}", info.client_token());
    }
}

const ABORT_CHILD: &str = "MAPI_NOTIFY_SINK_ABORT_CHILD";

/// Runs in a child process: with `on_panic = "abort"` the process must die here.
#[test]
fn on_panic_abort_child() {
    if std::env::var_os(ABORT_CHILD).is_none() {
        return; // only meaningful inside `on_panic_abort_kills_the_process`
    }
    let sink = Sink::new(Aborts);
    notify_offline(sink.as_raw(), 77);
    println!("survived the panic");
}

#[test]
fn on_panic_abort_kills_the_process() {
    assert_child_aborts("on_panic_abort_child", ABORT_CHILD, "sink refused token 77");
}

/// Runs the test `child` of this binary in a child process with `env` set, and checks that it
/// died by `abort` (SIGABRT on Unix) with `message` and `on_panic`'s note on stderr, before it
/// could print "survived the panic".
fn assert_child_aborts(child: &str, env: &str, message: &str) {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", child, "--nocapture", "--test-threads=1"])
        .env(env, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the child exited normally:\n{stdout}\n{stderr}"
    );
    assert!(!stdout.contains("survived the panic"), "{stdout}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            output.status.signal(),
            Some(6),
            "not SIGABRT: {:?}",
            output.status
        );
    }
    assert!(stderr.contains(message), "{stderr}");
    assert!(
        stderr.contains("aborting (on_panic = \"abort\")"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------------------
// #[mapi_advise_sink]: the same pipeline, the advise sink's method
// ---------------------------------------------------------------------------------------------

mod advise {
    use mapi_notify_sink::advise_sink::{AdviseSink, Event, Events};
    use mapi_notify_sink::mapi_advise_sink;
    use mapi_notify_sink::simulator::{SimulatedStore, StoreEvent};
    use mapi_notify_sink::sys;
    use std::fmt::Debug;
    use std::sync::Mutex;

    /// Advises `raw` on a new store for new mail and sends one, with this message class.
    fn send_new_mail(raw: *mut core::ffi::c_void, class: &str) {
        let store = SimulatedStore::new();
        let mut connection = 0;
        // SAFETY: a live sink, the whole store, a writable connection number.
        let hr = unsafe {
            store.to_interface().Advise(
                0,
                core::ptr::null_mut(),
                sys::fnevNewMail,
                raw,
                &mut connection,
            )
        };
        assert_eq!(hr, sys::S_OK);
        store.notify(&[StoreEvent::new_mail(b"m", b"inbox", class)]);
    }

    struct Tagged<T> {
        tag: T,
        seen: Mutex<Vec<String>>,
    }

    #[mapi_advise_sink]
    impl<T: Debug + Send + Sync + 'static> Tagged<T> {
        fn on_notify(&self, events: &Events<'_>) {
            for event in events {
                if let Event::NewMail(mail) = event {
                    let class = mail.message_class().unwrap();
                    self.seen
                        .lock()
                        .unwrap()
                        .push(format!("{:?} {class}", self.tag));
                }
            }
        }
    }

    #[test]
    fn generic_impl_makes_one_advise_sink_per_type_argument() {
        let words = AdviseSink::new(Tagged {
            tag: "mail",
            seen: Mutex::default(),
        });
        let numbers = AdviseSink::new(Tagged {
            tag: 7_u8,
            seen: Mutex::default(),
        });
        send_new_mail(words.as_raw(), "IPM.Note");
        send_new_mail(numbers.as_raw(), "IPM.Post");
        assert_eq!(*words.seen.lock().unwrap(), ["\"mail\" IPM.Note"]);
        assert_eq!(*numbers.seen.lock().unwrap(), ["7 IPM.Post"]);
    }

    struct Spelled(Mutex<usize>);

    #[mapi_advise_sink]
    impl Spelled {
        /// Other items in the block stay as they are.
        const NAME: &'static str = "spelled";

        // Explicit lifetimes, `self: &Self`, a qualified path and `-> ()` are all the same.
        #[allow(clippy::needless_arbitrary_self_type, clippy::unused_unit)]
        fn on_notify<'a>(
            self: &'a Self,
            events: &'a mapi_notify_sink::advise_sink::Events<'a>,
        ) -> () {
            *self.0.lock().unwrap() += events.len();
        }
    }

    #[test]
    fn signature_spelled_differently_and_other_items_stay() {
        assert_eq!(Spelled::NAME, "spelled");
        let sink = AdviseSink::new(Spelled(Mutex::new(0)));
        send_new_mail(sink.as_raw(), "IPM.Note");
        assert_eq!(*sink.0.lock().unwrap(), 1);
    }

    struct Aborts;

    #[mapi_advise_sink(on_panic = "abort")]
    impl Aborts {
        fn on_notify(&self, events: &Events<'_>) {
            panic!("advise sink refused {} events", events.len());
        }
    }

    const ABORT_CHILD: &str = "MAPI_ADVISE_SINK_ABORT_CHILD";

    /// Runs in a child process: with `on_panic = "abort"` the process must die here.
    #[test]
    fn on_panic_abort_child() {
        if std::env::var_os(ABORT_CHILD).is_none() {
            return; // only meaningful inside `on_panic_abort_kills_the_process`
        }
        let sink = AdviseSink::new(Aborts);
        send_new_mail(sink.as_raw(), "IPM.Note");
        println!("survived the panic");
    }

    #[test]
    fn on_panic_abort_kills_the_process() {
        super::assert_child_aborts(
            "advise::on_panic_abort_child",
            ABORT_CHILD,
            "panic in on_notify: advise sink refused 1 events",
        );
    }
}
