//! What every advise guard shares ([`Advise`](crate::Advise) of the offline manager,
//! [`StoreAdvise`](crate::advise_sink::StoreAdvise) of a message store): one `Unadvise`, at most,
//! now and reported, or at the drop and logged.

use crate::{Error, Result};
use windows_core::HRESULT;

/// A live connection: what to call to end it.
pub(crate) trait Connection {
    /// The call, for the error: `IMsgStore::Unadvise`.
    const UNADVISE: &'static str;

    /// Ends the connection: the source's `Unadvise`.
    fn unadvise(&self) -> HRESULT;

    /// The connection, for the log: `token 3`.
    fn describe(&self) -> String;
}

/// A connection, unadvised once: by [`unadvise`](Self::unadvise) or on drop.
#[derive(Debug)]
pub(crate) struct Registration<C: Connection> {
    connection: C,
    live: bool,
}

impl<C: Connection> Registration<C> {
    pub(crate) fn new(connection: C) -> Self {
        Self {
            connection,
            live: true,
        }
    }

    pub(crate) fn connection(&self) -> &C {
        &self.connection
    }

    /// Unadvises, once; later calls (and the drop) do nothing.
    pub(crate) fn unadvise(&mut self) -> Result<()> {
        if !std::mem::replace(&mut self.live, false) {
            return Ok(());
        }
        Error::check(self.connection.unadvise(), C::UNADVISE)
    }
}

impl<C: Connection> Drop for Registration<C> {
    fn drop(&mut self) {
        if let Err(error) = self.unadvise() {
            log::error!(
                "unadvising {} when its registration was dropped: {error}",
                self.connection.describe()
            );
        }
    }
}
