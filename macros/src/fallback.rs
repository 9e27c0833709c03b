//! What the attribute emits when checking fails: the user's item unchanged, the errors, and,
//! when the item is a usable impl block, a stand-in impl of the kind's trait (`NotifySink`,
//! `AdviseHandler`), so code that uses the sink compiles and the user sees the real mistake,
//! not a cascade.

use crate::ast::SinkImpl;
use crate::attr;
use crate::expand::sink_impl_header;
use crate::kind::Kind;
use crate::valid;
use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::Item;

pub fn expand(
    kind: &'static Kind,
    args: TokenStream,
    item: &Item,
    errors: syn::Error,
) -> TokenStream {
    let errors = errors.to_compile_error();
    // What can be read of the input despite its mistakes (already reported in `errors`).
    let (options, _) = attr::parse(args);
    let sink = SinkImpl::from_item(kind, item).ok();
    // A borrowed self type would only add a second error about `'static`.
    let stand_in = sink
        .as_ref()
        .filter(|sink| valid::first_lifetime(sink.item.self_ty.to_token_stream()).is_none())
        .map(|sink| {
            let header = sink_impl_header(sink, &options.krate);
            let krate = &options.krate;
            let handler_method = Kind::ident(kind.handler_method);
            let param_type = Kind::ident(kind.param_type);
            quote! {
                #header {
                    fn #handler_method(&self, _: &#krate::__private::#param_type<'_>) {}
                }
            }
        });
    quote! {
        #item
        #errors
        #stand_in
    }
}
