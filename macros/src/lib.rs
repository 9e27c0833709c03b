//! The `#[mapi_notify_sink]` attribute. Use it through the `mapi-notify-sink` crate, which
//! re-exports it and documents it.
//!
//! parse (`ast`, `attr`) → check (`valid`) → expand (`expand`); on a checking failure
//! `fallback` emits the user's item unchanged beside the errors. Both write the trait impl's
//! header from `impl_header`, so the stages only ever import the ones before them.

mod ast;
mod attr;
mod expand;
mod fallback;
mod impl_header;
mod valid;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Makes the type of an inherent `impl` block that defines
/// `fn notify(&self, info: &Notification<'_>)` into an `IMAPIOfflineNotify` COM object.
/// See the `mapi-notify-sink` crate for the options and an example.
#[proc_macro_attribute]
pub fn mapi_notify_sink(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::mapi_notify_sink(args.into(), input.into()).into()
}
