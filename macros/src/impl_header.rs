//! The header of the trait impl that makes the user's type a sink: the one piece of output that
//! both the expansion (`expand`) and the stand-in after an error (`fallback`) write.

use crate::ast::SinkImpl;
use crate::kind::Kind;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{ItemImpl, Path};

/// `impl<..> NotifySink for SelfTy where ..` (the sink kind's trait: `NotifySink` or
/// `AdviseHandler`).
pub fn sink_impl_header(sink: &SinkImpl<'_>, krate: &Path) -> TokenStream {
    let handler = Kind::ident(sink.kind.handler);
    trait_impl_header(sink.item, quote!(#krate::__private::#handler))
}

/// `impl<..> Trait for SelfTy where ..`, with the user's generics and where clause, so a
/// requirement of the trait (`Send + Sync + 'static`) is reported at the user's type.
fn trait_impl_header(item: &ItemImpl, trait_path: TokenStream) -> TokenStream {
    let (impl_generics, _, where_clause) = item.generics.split_for_impl();
    let self_ty = &item.self_ty;
    quote! {
        #[automatically_derived]
        impl #impl_generics #trait_path for #self_ty #where_clause
    }
}
