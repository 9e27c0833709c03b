//! Writes the expansion: the user's impl block unchanged, plus one small trait impl that
//! instantiates the runtime's generic COM object for the user's type.

use crate::ast::SinkImpl;
use crate::attr::{self, combine, OnPanic, Options};
use crate::impl_header::sink_impl_header;
use crate::{fallback, valid};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Item};

pub fn mapi_notify_sink(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#input #error);
        }
    };
    let (options, mut errors) = attr::parse(args);
    let sink = match SinkImpl::from_item(&item) {
        Ok(sink) => sink,
        Err(error) => {
            combine(&mut errors, error);
            return fallback::expand(&item, None, &Options::default(), errors.unwrap());
        }
    };
    if let Err(error) = valid::check(&sink) {
        combine(&mut errors, error);
    }
    match errors {
        Some(errors) => fallback::expand(&item, Some(&sink), &options, errors),
        None => expand(&sink, &options),
    }
}

fn expand(sink: &SinkImpl<'_>, options: &Options) -> TokenStream {
    let item = sink.item;
    let krate = &options.krate;
    let on_panic = (options.on_panic == OnPanic::Abort).then(|| {
        quote!(const __ON_PANIC: #krate::__private::OnPanic = #krate::__private::OnPanic::Abort;)
    });
    // Spanned at the user's parameter type, so a `Notification` that is some other type is
    // reported there, not at the attribute.
    let info_ty = sink
        .notify
        .and_then(|notify| match notify.sig.inputs.iter().nth(1) {
            Some(FnArg::Typed(info)) => Some(info.ty.span()),
            _ => None,
        });
    let call = quote_spanned!(info_ty.unwrap_or_else(proc_macro2::Span::call_site)=> Self::notify(self, info));
    let header = sink_impl_header(sink, krate);
    quote! {
        #item
        #header {
            #on_panic
            #[inline]
            fn __notify(&self, info: &#krate::__private::Notification<'_>) {
                #call
            }
        }
    }
}
