//! The `#[mapi_notify_sink]`, `#[mapi_advise_sink]`, `#[outlook_addin]` and `#[outlook_events]`
//! attributes. Use
//! them through the `mapi-notify-sink` crate, which re-exports and documents them.
//!
//! parse (`ast`, `attr`) → check (`valid`) → expand (`expand`), as thiserror is built:
//! `expand::try_expand` returns `syn::Result`, and its error goes to `fallback`, which emits the
//! user's item unchanged beside the errors. The two attributes share that pipeline; what
//! differs between the sink kinds is data (`kind`).

mod addin;
mod ast;
mod attr;
mod events;
mod expand;
mod fallback;
mod kind;
mod valid;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Makes the type of an inherent `impl` block that defines
/// `fn notify(&self, info: &Notification<'_>)` into an `IMAPIOfflineNotify` COM object.
/// See the `mapi-notify-sink` crate for the options and an example.
#[proc_macro_attribute]
pub fn mapi_notify_sink(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::sink(&kind::OFFLINE, args.into(), input.into()).into()
}

/// Makes the type of an inherent `impl` block that defines
/// `fn on_notify(&self, events: &Events<'_>)` into an `IMAPIAdviseSink` COM object.
/// See `mapi_notify_sink::advise_sink` for the options and an example.
#[proc_macro_attribute]
pub fn mapi_advise_sink(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::sink(&kind::ADVISE, args.into(), input.into()).into()
}

/// Makes the crate's DLL an Outlook COM add-in around the type of an inherent `impl` block
/// that defines `fn on_connection(&self, outlook: &Outlook) -> Result<()>`. See
/// `mapi_notify_sink::addin` for the options and an example.
#[proc_macro_attribute]
pub fn outlook_addin(args: TokenStream, input: TokenStream) -> TokenStream {
    addin::outlook_addin(args.into(), input.into()).into()
}

/// Makes the type of an inherent `impl` block whose methods are named after Outlook's events
/// (`startup`, `item_send`, `new_mail_ex`, ...; with `items`, `item_add`, `item_change`,
/// `item_remove`) an event sink's handler. See `mapi_notify_sink::addin::EventSink`.
#[proc_macro_attribute]
pub fn outlook_events(args: TokenStream, input: TokenStream) -> TokenStream {
    events::outlook_events(args.into(), input.into()).into()
}
