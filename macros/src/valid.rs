//! Checks that the impl block can become a sink. Every mistake is reported, each at the tokens
//! that are wrong, with what to write instead.

use crate::ast::SinkImpl;
use crate::attr::combine;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::fmt::Display;
use syn::{FnArg, GenericParam, ReturnType, Signature, Type};

const SIGNATURE: &str = "fn notify(&self, info: &Notification<'_>)";

fn at(tokens: impl ToTokens, message: impl Display) -> syn::Error {
    syn::Error::new_spanned(tokens, message)
}

fn at_span(span: Span, message: impl Display) -> syn::Error {
    syn::Error::new(span, message)
}

pub fn check(sink: &SinkImpl<'_>) -> syn::Result<()> {
    let mut errors = None;
    if let Some(lifetime) = first_lifetime(sink.item.self_ty.to_token_stream()) {
        combine(
            &mut errors,
            at(
                lifetime,
                "a sink cannot borrow: it is a COM object that lives as long as Outlook holds it, \
                 so its type must be 'static; own the data (String, Arc<T>) instead of borrowing it",
            ),
        );
    }
    match sink.notify {
        None => combine(
            &mut errors,
            at(
                &sink.item.self_ty,
                format!("this impl block has no `fn notify`; add `{SIGNATURE} {{ ... }}`"),
            ),
        ),
        Some(notify) => {
            for error in check_signature(&notify.sig) {
                combine(&mut errors, error);
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

fn check_signature(sig: &Signature) -> Vec<syn::Error> {
    let mut errors = Vec::new();
    if let Some(token) = &sig.constness {
        errors.push(at(token, "`notify` cannot be `const`: remove `const`"));
    }
    if let Some(token) = &sig.asyncness {
        errors.push(at(
            token,
            "`notify` cannot be `async`: Outlook calls it synchronously; remove `async` \
             and hand long work to a thread or channel from inside `notify`",
        ));
    }
    if let Some(token) = &sig.unsafety {
        errors.push(at(
            token,
            "`notify` cannot be `unsafe`: the runtime calls it with an already checked notification; remove `unsafe`",
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(at(
            abi,
            "`notify` is a plain Rust method: remove the ABI; the runtime provides the `extern \"system\"` entry point",
        ));
    }
    if sig
        .generics
        .params
        .iter()
        .any(|param| !matches!(param, GenericParam::Lifetime(_)))
    {
        errors.push(at(
            &sig.generics,
            format!("`notify` cannot be generic: Outlook calls one concrete function; write `{SIGNATURE}`"),
        ));
    }

    let parens = sig.paren_token.span.join();
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    match inputs.first() {
        None => errors.push(at_span(
            parens,
            format!("`notify` takes `&self` and the notification: write `{SIGNATURE}`"),
        )),
        Some(FnArg::Typed(first)) => errors.push(at(
            first,
            format!("`notify` is a method that takes `&self` first: write `{SIGNATURE}`"),
        )),
        Some(FnArg::Receiver(receiver)) => {
            let shared = matches!(&*receiver.ty, Type::Reference(r) if r.mutability.is_none());
            if !shared || receiver.mutability.is_some() {
                errors.push(at(
                    receiver,
                    "`notify` takes `&self`: Outlook may call it from several threads at once; \
                     keep changing state in atomics or a Mutex",
                ));
            }
            match inputs.get(1) {
                None => errors.push(at_span(
                    parens,
                    format!("`notify` takes the notification after `&self`: write `{SIGNATURE}`"),
                )),
                Some(FnArg::Typed(info)) if !is_notification_ref(&info.ty) => errors.push(at(
                    &info.ty,
                    "the notification parameter's type is `&Notification<'_>` (mapi_notify_sink::Notification)",
                )),
                _ => {}
            }
            if inputs.len() > 2 {
                let extra: TokenStream = inputs[2..]
                    .iter()
                    .flat_map(|arg| arg.to_token_stream())
                    .collect();
                errors.push(at(
                    extra,
                    format!("`notify` takes only `&self` and the notification; remove these parameters: `{SIGNATURE}`"),
                ));
            }
        }
    }

    if let ReturnType::Type(_, ty) = &sig.output {
        if !matches!(&**ty, Type::Tuple(tuple) if tuple.elems.is_empty()) {
            errors.push(at(
                ty,
                "`notify` returns nothing (Outlook's Notify returns void): remove the return type, \
                 and log or store errors instead of returning them",
            ));
        }
    }
    errors
}

/// `&Notification<..>` or `&path::to::Notification<..>`, shared.
fn is_notification_ref(ty: &Type) -> bool {
    let Type::Reference(reference) = ty else {
        return false;
    };
    let Type::Path(path) = &*reference.elem else {
        return false;
    };
    reference.mutability.is_none()
        && path.qself.is_none()
        && path
            .path
            .segments
            .last()
            .is_some_and(|last| last.ident == "Notification")
}

/// The first lifetime other than `'static` in a type's tokens, as its two tokens.
pub fn first_lifetime(tokens: TokenStream) -> Option<TokenStream> {
    let mut previous: Option<TokenTree> = None;
    for token in tokens {
        if let TokenTree::Group(group) = &token {
            if let Some(found) = first_lifetime(group.stream()) {
                return Some(found);
            }
        }
        if let (Some(TokenTree::Punct(quote)), TokenTree::Ident(name)) = (&previous, &token) {
            if quote.as_char() == '\'' && name != "static" {
                return Some(
                    [TokenTree::Punct(quote.clone()), token]
                        .into_iter()
                        .collect(),
                );
            }
        }
        previous = Some(token);
    }
    None
}
