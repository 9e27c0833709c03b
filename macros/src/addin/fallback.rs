//! What `#[outlook_addin]` emits when checking fails: the author's item unchanged and the
//! errors, and the once-per-crate marker (so a second add-in is still reported). No exports and
//! no trait impl: they would only add errors about what is already wrong.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Item;

pub fn expand(item: &Item, attribute: Span, errors: syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    let only_one = super::expand::once_per_crate(attribute);
    quote! {
        #item
        #errors
        #only_one
    }
}
