//! [`Outlook`]: what `OnConnection` received, as the author's `on_connection` sees it.

#[cfg(windows)]
use super::main_thread::Windows;
use super::MainThread;
use crate::advise_sink::MsgStore;
use crate::automation::{Dispatch, Variant};
use crate::Result;
#[cfg(windows)]
use std::rc::Rc;
use windows_core::IUnknown;

/// Why Outlook loaded the add-in (`ext_ConnectMode`): [`Outlook::connect_mode`].
///
/// ```
/// use mapi_notify_sink::addin::ConnectMode;
///
/// assert_eq!(ConnectMode::from_raw(mapi_notify_sink::sys::ext_cm_Startup), ConnectMode::Startup);
/// assert_eq!(ConnectMode::from_raw(9), ConnectMode::Other(9));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectMode {
    /// The user turned it on after Outlook started (`ext_cm_AfterStartup`).
    AfterStartup,
    /// Outlook started with it (`ext_cm_Startup`, `LoadBehavior` 3).
    Startup,
    /// Another program loaded it (`ext_cm_External`).
    External,
    /// From the command line (`ext_cm_CommandLine`).
    CommandLine,
    /// A value Office did not document.
    Other(i32),
}

impl ConnectMode {
    /// The mode `OnConnection` was given.
    pub fn from_raw(mode: i32) -> ConnectMode {
        match mode {
            crate::sys::ext_cm_AfterStartup => ConnectMode::AfterStartup,
            crate::sys::ext_cm_Startup => ConnectMode::Startup,
            crate::sys::ext_cm_External => ConnectMode::External,
            crate::sys::ext_cm_CommandLine => ConnectMode::CommandLine,
            other => ConnectMode::Other(other),
        }
    }
}

/// What `OnConnection` received: Outlook's `Application` and the connect mode, with what an
/// add-in does with them on Outlook's main thread (the thread `on_connection` runs on): read
/// the profile name, and make a [`MainThread`] to get back to this thread later.
///
/// ```no_run
/// use mapi_notify_sink::addin::Outlook;
///
/// fn on_connection(outlook: &Outlook) -> mapi_notify_sink::Result<()> {
///     let profile = outlook.profile_name()?; // Application.Session.CurrentProfileName
///     log::info!("connected ({:?}) to profile {profile:?}", outlook.connect_mode());
///     Ok(())
/// }
/// ```
pub struct Outlook {
    #[cfg(windows)]
    application: IUnknown,
    #[cfg(windows)]
    app: Dispatch,
    #[cfg(windows)]
    mode: ConnectMode,
    #[cfg(windows)]
    windows: Rc<Windows>,
    /// Off Windows there is no Outlook: the type exists so that an add-in crate builds and
    /// tests anywhere, and no value of it can be made.
    #[cfg(not(windows))]
    never: core::convert::Infallible,
}

#[cfg(windows)]
impl Outlook {
    pub(crate) fn new(
        application: IUnknown,
        app: Dispatch,
        mode: ConnectMode,
        windows: Rc<Windows>,
    ) -> Outlook {
        Outlook {
            application,
            app,
            mode,
            windows,
        }
    }
}

impl Outlook {
    /// The `Application` object (an `IDispatch`, borrowed for the call: clone it to keep it).
    pub fn application(&self) -> &IUnknown {
        #[cfg(windows)]
        return &self.application;
        #[cfg(not(windows))]
        match self.never {}
    }

    /// Outlook's `Application`, late-bound: the object model's root, on Outlook's main thread
    /// (the thread `on_connection` runs on; clone it into a [`main_thread`](Self::main_thread)
    /// handler to use it later).
    ///
    /// ```no_run
    /// # fn on_connection(outlook: &mapi_notify_sink::addin::Outlook) -> mapi_notify_sink::Result<()> {
    /// use mapi_notify_sink::automation::Dispatch;
    ///
    /// let version: String = outlook.app().get("Version")?;
    /// let session: Dispatch = outlook.app().get("Session")?;
    /// log::info!("Outlook {version}, profile {:?}", session.get::<String>("CurrentProfileName")?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn app(&self) -> &Dispatch {
        #[cfg(windows)]
        return &self.app;
        #[cfg(not(windows))]
        match self.never {}
    }

    /// The default message store, `Session.DefaultStore.MAPIOBJECT`: the `IMsgStore` Outlook
    /// itself has open, to [`advise`](MsgStore::advise) a sink on without a MAPI logon of the
    /// add-in's own.
    pub fn default_store(&self) -> Result<MsgStore> {
        let session: Dispatch = self.app().get("Session")?;
        store_of(&session.get("DefaultStore")?)
    }

    /// Every store of the profile, `Session.Stores`, with its display name, in Outlook's order.
    /// A store Outlook cannot give (a shared or delegate mailbox out of reach: its
    /// `DisplayName` or `MAPIOBJECT` raises an error) is left out, with a `log` warning saying
    /// which and why; an error reading `Stores` itself is this call's error.
    pub fn stores(&self) -> Result<Vec<(String, MsgStore)>> {
        let session: Dispatch = self.app().get("Session")?;
        let stores: Dispatch = session.get("Stores")?;
        let count: i32 = stores.get("Count")?;
        let mut all = Vec::new();
        for index in 1..=count {
            let store = stores
                .call::<Dispatch>("Item", &[Variant::from(index)])
                .and_then(|store| Ok((store.get::<String>("DisplayName")?, store_of(&store)?)));
            match store {
                Ok(store) => all.push(store),
                Err(error) => {
                    log::warn!("Outlook::stores: store {index} of {count} left out: {error}")
                }
            }
        }
        Ok(all)
    }

    /// The current profile's name, `Application.Session.CurrentProfileName`: what
    /// [`OfflineManager::open`](crate::OfflineManager::open) takes.
    pub fn profile_name(&self) -> Result<String> {
        #[cfg(windows)]
        return crate::profile_name(&self.application);
        #[cfg(not(windows))]
        match self.never {}
    }

    /// Why Outlook loaded the add-in.
    pub fn connect_mode(&self) -> ConnectMode {
        #[cfg(windows)]
        return self.mode;
        #[cfg(not(windows))]
        match self.never {}
    }

    /// A handle that runs `handler(value)` on this thread, Outlook's main thread, for each
    /// value [`post`](MainThread::post)ed to it from any thread, until the add-in disconnects.
    pub fn main_thread<T: Send + 'static>(&self, handler: impl Fn(T) + 'static) -> MainThread<T> {
        #[cfg(windows)]
        return self.windows.add(handler);
        #[cfg(not(windows))]
        {
            let _ = handler;
            match self.never {}
        }
    }
}

/// A `Store` object's `IMsgStore`: its `MAPIOBJECT`.
fn store_of(store: &Dispatch) -> Result<MsgStore> {
    MsgStore::from_unknown(&store.get("MAPIOBJECT")?)
}

impl core::fmt::Debug for Outlook {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Outlook")
            .field("connect_mode", &self.connect_mode())
            .finish_non_exhaustive()
    }
}
