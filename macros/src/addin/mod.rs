//! `#[outlook_addin]`: parse (`ast`, `attr`) → check (`valid`) → expand (`expand`), as the
//! sink attributes are built; `try_expand`'s error goes to `fallback`.

mod ast;
mod attr;
mod expand;
mod fallback;
mod valid;

pub(crate) use valid::distance;

use crate::attr::combine;
use ast::AddInImpl;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Item;

pub fn outlook_addin(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#input #error);
        }
    };
    // The attribute's own tokens are not given to the macro; its arguments stand for it.
    let attribute = args
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span());
    match try_expand(args, &item, attribute) {
        Ok(expanded) => expanded,
        Err(errors) => fallback::expand(&item, attribute, errors),
    }
}

fn try_expand(args: TokenStream, item: &Item, attribute: Span) -> syn::Result<TokenStream> {
    let (options, mut errors) = attr::parse(args);
    match AddInImpl::from_item(item) {
        Ok(addin) => {
            if let Err(error) = valid::check(&addin) {
                combine(&mut errors, error);
            }
            match errors {
                Some(errors) => Err(errors),
                None => Ok(expand::expand(&addin, &options, attribute)),
            }
        }
        Err(error) => {
            combine(&mut errors, error);
            Err(errors.expect("an error was just combined in"))
        }
    }
}
