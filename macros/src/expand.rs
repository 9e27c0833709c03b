//! Writes the expansion: the user's impl block unchanged, plus one small trait impl that
//! instantiates the runtime's generic COM object for the user's type.

use crate::ast::SinkImpl;
use crate::attr::{self, combine, OnPanic, Options};
use crate::impl_header::sink_impl_header;
use crate::kind::Kind;
use crate::{fallback, valid};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Item};

/// The attribute of either kind: `#[mapi_notify_sink]` or `#[mapi_advise_sink]`.
pub fn sink(kind: &'static Kind, args: TokenStream, input: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#input #error);
        }
    };
    let (options, mut errors) = attr::parse(args);
    let sink = match SinkImpl::from_item(kind, &item) {
        Ok(sink) => sink,
        Err(error) => {
            combine(&mut errors, error);
            return fallback::expand(kind, &item, None, &Options::default(), errors.unwrap());
        }
    };
    if let Err(error) = valid::check(&sink) {
        combine(&mut errors, error);
    }
    match errors {
        Some(errors) => fallback::expand(kind, &item, Some(&sink), &options, errors),
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
    let param_ty = sink
        .method
        .and_then(|method| match method.sig.inputs.iter().nth(1) {
            Some(FnArg::Typed(param)) => Some(param.ty.span()),
            _ => None,
        });
    let kind = sink.kind;
    let (method, handler_method, param_type) = (
        Kind::ident(kind.method),
        Kind::ident(kind.handler_method),
        Kind::ident(kind.param_type),
    );
    let call = quote_spanned!(param_ty.unwrap_or_else(proc_macro2::Span::call_site)=> Self::#method(self, arg));
    let header = sink_impl_header(sink, krate);
    quote! {
        #item
        #header {
            #on_panic
            #[inline]
            fn #handler_method(&self, arg: &#krate::__private::#param_type<'_>) {
                #call
            }
        }
    }
}
