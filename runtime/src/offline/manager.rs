//! [`OfflineManager`]: a safe client for Outlook's `IMAPIOfflineMgr`, and [`Advise`], the
//! registration of a sink that unadvises when dropped.

use super::{ConnectionState, NotifySink, Sink};
use crate::error::{Error, Result};
use crate::registration::{Connection, Registration};
use crate::sys::{self, IMAPIOfflineMgr};
use core::ffi::c_void;
use windows_core::{Interface, HRESULT};

/// One reference to an `IMAPIOfflineMgr`: Outlook's, from [`OfflineManager::open`], or the
/// simulator's.
///
/// Neither `Send` nor `Sync`: Outlook documents nothing about the threading of its offline
/// object, so a manager stays on the thread that opened it (as do its [`Advise`] guards). Each
/// thread that needs one opens its own. (Sinks, on the other hand, are called from any thread.)
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedOutlook;
/// use mapi_notify_sink::{ConnectionState, SetStateMode};
///
/// let outlook = SimulatedOutlook::new();
/// let manager = outlook.manager();
/// assert_eq!(manager.state().unwrap(), ConnectionState::Online);
/// manager.set_state(ConnectionState::Offline, SetStateMode::Block).unwrap();
/// assert_eq!(manager.state().unwrap(), ConnectionState::Offline);
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct OfflineManager {
    manager: IMAPIOfflineMgr,
}

/// What the offline object can do (`IMAPIOffline::GetCapabilities`).
///
/// ```
/// use mapi_notify_sink::{sys, Capabilities};
/// let both = Capabilities(sys::MAPIOFFLINE_CAPABILITY_OFFLINE | sys::MAPIOFFLINE_CAPABILITY_ONLINE);
/// assert!(both.can_go_offline() && both.can_go_online());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities(pub u32);

impl Capabilities {
    /// `MAPIOFFLINE_CAPABILITY_OFFLINE`.
    pub fn can_go_offline(self) -> bool {
        self.0 & sys::MAPIOFFLINE_CAPABILITY_OFFLINE != 0
    }

    /// `MAPIOFFLINE_CAPABILITY_ONLINE`.
    pub fn can_go_online(self) -> bool {
        self.0 & sys::MAPIOFFLINE_CAPABILITY_ONLINE != 0
    }
}

/// How [`OfflineManager::set_state`] waits.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedOutlook;
/// use mapi_notify_sink::{sys, ConnectionState, SetStateMode};
///
/// let manager = SimulatedOutlook::new().manager();
/// // Async returns at once, and a second change meanwhile may get E_PENDING; Block returns
/// // when every sink has been told.
/// manager.set_state(ConnectionState::Offline, SetStateMode::Block).unwrap();
/// assert_eq!(manager.state().unwrap(), ConnectionState::Offline);
/// match manager.set_state(ConnectionState::Online, SetStateMode::Async) {
///     Ok(()) => {}
///     Err(error) => assert_eq!(error.code(), sys::E_PENDING),
/// }
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetStateMode {
    /// Start the change and return (`MAPIOFFLINE_FLAG_DEFAULT`).
    Async,
    /// Return when the change is complete (`MAPIOFFLINE_FLAG_BLOCK`).
    Block,
}

/// What a sink is advised for.
///
/// ```
/// use mapi_notify_sink::{sys, AdviseOptions};
/// let options = AdviseOptions { client_token: 0x5eed, ..AdviseOptions::default() };
/// assert_eq!(options.state_mask, sys::MAPIOFFLINE_STATE_ALL);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AdviseOptions {
    /// Comes back in every notification's [`client_token`](crate::Notification::client_token).
    pub client_token: u32,
    /// The state bits of interest; notifications come only if it overlaps
    /// `MAPIOFFLINE_STATE_OFFLINE_MASK`.
    pub state_mask: u32,
}

impl Default for AdviseOptions {
    fn default() -> Self {
        Self {
            client_token: 0,
            state_mask: sys::MAPIOFFLINE_STATE_ALL,
        }
    }
}

impl OfflineManager {
    /// Opens the offline manager of `profile` through `HrOpenOfflineObj`, found in the Outlook
    /// MAPI DLL already loaded in this process (`olmapi32.dll`, else `msmapi32.dll`). This works
    /// only inside Outlook (a COM add-in or MAPI provider): elsewhere it returns an error with
    /// `MAPI_E_NOT_FOUND` that names what it looked for. Off Windows there is no Outlook: it
    /// always returns that error (so code that calls it, an add-in's, builds and runs its tests
    /// anywhere).
    ///
    /// The example is not run: it needs Outlook's process.
    ///
    /// ```no_run
    /// # fn main() -> mapi_notify_sink::Result<()> {
    /// use mapi_notify_sink::OfflineManager;
    ///
    /// // In an add-in, the profile name comes from Outlook (`Session.CurrentProfileName`).
    /// let manager = OfflineManager::open("Outlook")?;
    /// println!("Outlook is {:?}", manager.state()?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn open(profile: &str) -> Result<OfflineManager> {
        #[cfg(windows)]
        return super::open::open(profile);
        #[cfg(not(windows))]
        Err(Error::new(
            sys::MAPI_E_NOT_FOUND,
            format!("HrOpenOfflineObj(profile {profile:?}): no Outlook MAPI off Windows"),
        ))
    }

    /// Takes over one reference to an `IMAPIOfflineMgr`.
    ///
    /// # Safety
    /// `raw` is a non-null `IMAPIOfflineMgr*` whose reference the caller gives up.
    pub unsafe fn from_raw(raw: *mut c_void) -> OfflineManager {
        assert!(!raw.is_null(), "OfflineManager::from_raw: null pointer");
        // SAFETY: the caller's promise.
        OfflineManager {
            manager: unsafe { IMAPIOfflineMgr::from_raw(raw) },
        }
    }

    /// The `IMAPIOfflineMgr*`, borrowed.
    pub fn as_raw(&self) -> *mut c_void {
        self.manager.as_raw()
    }

    /// What the offline object can do.
    pub fn capabilities(&self) -> Result<Capabilities> {
        let mut bits = 0;
        // SAFETY: `bits` is a valid out pointer.
        Error::check(
            unsafe { self.manager.GetCapabilities(&mut bits) },
            "IMAPIOffline::GetCapabilities",
        )?;
        Ok(Capabilities(bits))
    }

    /// Online or offline now.
    pub fn state(&self) -> Result<ConnectionState> {
        let mut bits = 0;
        // SAFETY: `bits` is a valid out pointer.
        Error::check(
            unsafe { self.manager.GetCurrentState(&mut bits) },
            "IMAPIOffline::GetCurrentState",
        )?;
        Ok(ConnectionState::from_bits(bits))
    }

    /// Asks Outlook to go online or offline. A change already under way gives `E_PENDING`.
    pub fn set_state(&self, state: ConnectionState, mode: SetStateMode) -> Result<()> {
        let flags = match mode {
            SetStateMode::Async => sys::MAPIOFFLINE_FLAG_DEFAULT,
            SetStateMode::Block => sys::MAPIOFFLINE_FLAG_BLOCK,
        };
        // SAFETY: the reserved argument is null, as the API requires.
        let code = unsafe {
            self.manager.SetCurrentState(
                flags,
                sys::MAPIOFFLINE_STATE_OFFLINE_MASK,
                state.bits(),
                core::ptr::null_mut(),
            )
        };
        Error::check(code, "IMAPIOffline::SetCurrentState")
    }

    /// Registers `sink` for connection state changes. The manager holds its own reference to
    /// the sink until the returned [`Advise`] is unadvised or dropped.
    pub fn advise<T: NotifySink>(&self, sink: &Sink<T>, options: AdviseOptions) -> Result<Advise> {
        let mut info = sys::MAPIOFFLINE_ADVISEINFO {
            ulSize: size_of::<sys::MAPIOFFLINE_ADVISEINFO>() as u32,
            ulClientToken: options.client_token,
            CallbackType: sys::MAPIOFFLINE_CALLBACK_TYPE_NOTIFY,
            pCallback: sink.as_raw(),
            ulAdviseTypes: sys::MAPIOFFLINE_ADVISE_TYPE_STATECHANGE,
            ulStateMask: options.state_mask,
        };
        let mut token = 0;
        // SAFETY: `info` is a complete MAPIOFFLINE_ADVISEINFO whose callback lives (we borrow
        // `sink`; the manager AddRefs what it keeps), and `token` is a valid out pointer.
        let code = unsafe {
            self.manager
                .Advise(sys::MAPIOFFLINE_ADVISE_DEFAULT, &mut info, &mut token)
        };
        Error::check(code, "IMAPIOfflineMgr::Advise")?;
        Ok(Advise(Registration::new(OfflineConnection {
            manager: self.manager.clone(),
            token,
        })))
    }
}

/// A sink's registration with an offline manager. Dropping it unadvises (an error there is
/// logged); [`Advise::unadvise`] does the same and reports the error.
///
/// ```
/// # #[cfg(feature = "simulator")] {
/// use mapi_notify_sink::simulator::SimulatedOutlook;
/// use mapi_notify_sink::{mapi_notify_sink, AdviseOptions, Notification, Sink};
///
/// struct Quiet;
///
/// #[mapi_notify_sink]
/// impl Quiet {
///     fn notify(&self, _info: &Notification<'_>) {}
/// }
///
/// let outlook = SimulatedOutlook::new();
/// let sink = Sink::new(Quiet);
/// {
///     let _advise = outlook.manager().advise(&sink, AdviseOptions::default()).unwrap();
///     assert_eq!(outlook.advised(), 1);
/// } // dropped: unadvised
/// assert_eq!(outlook.advised(), 0);
/// # }
/// ```
#[must_use = "dropping the `Advise` unadvises the sink at once, so it is never called: keep the \
              guard as long as the sink must be called (a field of your add-in, or `let _advise \
              = ...` for a scope), not `let _ = ...`"]
#[derive(Debug)]
pub struct Advise(Registration<OfflineConnection>);

impl Advise {
    /// The advise token the manager gave.
    pub fn token(&self) -> u32 {
        self.0.connection().token
    }

    /// Unadvises now, reporting a failure.
    pub fn unadvise(mut self) -> Result<()> {
        self.0.unadvise()
    }
}

/// A sink's registration with the offline manager: what `Advise`'s guard unadvises.
#[derive(Debug)]
pub(crate) struct OfflineConnection {
    manager: IMAPIOfflineMgr,
    token: u32,
}

impl Connection for OfflineConnection {
    const UNADVISE: &'static str = "IMAPIOfflineMgr::Unadvise";

    fn unadvise(&self) -> HRESULT {
        // SAFETY: a raw call through the manager's vtable with plain integers.
        unsafe {
            self.manager
                .Unadvise(sys::MAPIOFFLINE_UNADVISE_DEFAULT, self.token)
        }
    }

    fn describe(&self) -> String {
        format!("token {}", self.token)
    }
}
