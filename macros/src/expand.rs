//! Writes the expansion: the user's impl block unchanged, plus one small trait impl that
//! instantiates the runtime's generic COM object for the user's type.

use crate::ast::SinkImpl;
use crate::attr::{self, combine, OnPanic, Options};
use crate::kind::Kind;
use crate::{fallback, valid};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, Item, ItemImpl, Path};

/// The attribute of either kind: `#[mapi_notify_sink]` or `#[mapi_advise_sink]`.
pub fn sink(kind: &'static Kind, args: TokenStream, input: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#input #error);
        }
    };
    match try_expand(kind, args.clone(), &item) {
        Ok(expanded) => expanded,
        // The user's item still compiles, beside a stand-in impl of the kind's trait, so one
        // mistake gives one error instead of a cascade in the code that uses the sink.
        Err(errors) => fallback::expand(kind, args, &item, errors),
    }
}

/// Parses and checks everything, reporting every mistake at once (`combine`), then expands.
fn try_expand(kind: &'static Kind, args: TokenStream, item: &Item) -> syn::Result<TokenStream> {
    let (options, mut errors) = attr::parse(args);
    match SinkImpl::from_item(kind, item) {
        Ok(sink) => {
            if let Err(error) = valid::check(&sink) {
                combine(&mut errors, error);
            }
            match errors {
                Some(errors) => Err(errors),
                None => Ok(expand(&sink, &options)),
            }
        }
        Err(error) => {
            combine(&mut errors, error);
            Err(errors.expect("an error was just combined in"))
        }
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

/// `impl<..> NotifySink for SelfTy where ..` (the sink kind's trait: `NotifySink` or
/// `AdviseHandler`), with the user's generics and where clause, so a requirement of the trait
/// (`Send + Sync + 'static`) is reported at the user's type. The fallback's stand-in has it too.
pub fn sink_impl_header(sink: &SinkImpl<'_>, krate: &Path) -> TokenStream {
    let handler = Kind::ident(sink.kind.handler);
    let item: &ItemImpl = sink.item;
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let self_ty = &item.self_ty;
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::__private::#handler for #self_ty #where_clause
    }
}
