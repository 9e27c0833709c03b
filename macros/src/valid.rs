//! Checks that the impl block can become a sink. Every mistake is reported, each at the tokens
//! that are wrong, with what to write instead.

use crate::ast::SinkImpl;
use crate::attr::combine;
use crate::kind::Kind;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::fmt::Display;
use syn::{FnArg, GenericParam, ReturnType, Signature, Type};

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
                format!(
                    "a sink cannot borrow: it is a COM object that lives as long as {} holds it, \
                     so its type must be 'static; own the data (String, Arc<T>) instead of borrowing it",
                    sink.kind.caller
                ),
            ),
        );
    }
    match sink.method {
        None => combine(
            &mut errors,
            at(
                &sink.item.self_ty,
                format!(
                    "this impl block has no `fn {}`; add `{} {{ ... }}`{}",
                    sink.kind.method,
                    sink.kind.signature(),
                    other_kind_hint(sink)
                ),
            ),
        ),
        Some(method) => {
            for error in check_signature(sink.kind, &method.sig) {
                combine(&mut errors, error);
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

/// When the block has the other kind's method instead (`fn notify` under
/// `#[mapi_advise_sink]`), says which attribute that method belongs to.
fn other_kind_hint(sink: &SinkImpl<'_>) -> String {
    let other = (sink.kind.other)();
    let has_other = sink.item.items.iter().any(
        |item| matches!(item, syn::ImplItem::Fn(function) if function.sig.ident == other.method),
    );
    if has_other {
        format!(
            " (`fn {}` is what #[{}] looks for, to make an {} sink)",
            other.method, other.attribute, other.interface
        )
    } else {
        String::new()
    }
}

fn check_signature(kind: &Kind, sig: &Signature) -> Vec<syn::Error> {
    let Kind {
        caller,
        method,
        param_noun,
        ..
    } = kind;
    let signature = kind.signature();
    let mut errors = Vec::new();
    if let Some(token) = &sig.constness {
        errors.push(at(
            token,
            format!("`{method}` cannot be `const`: remove `const`"),
        ));
    }
    if let Some(token) = &sig.asyncness {
        errors.push(at(
            token,
            format!(
                "`{method}` cannot be `async`: {caller} calls it synchronously; remove `async` \
                 and hand long work to a thread or channel from inside `{method}`"
            ),
        ));
    }
    if let Some(token) = &sig.unsafety {
        errors.push(at(
            token,
            format!(
                "`{method}` cannot be `unsafe`: the runtime calls it with {}; remove `unsafe`",
                kind.checked
            ),
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(at(
            abi,
            format!("`{method}` is a plain Rust method: remove the ABI; the runtime provides the `extern \"system\"` entry point"),
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
            format!("`{method}` cannot be generic: {caller} calls one concrete function; write `{signature}`"),
        ));
    }

    let parens = sig.paren_token.span.join();
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    match inputs.first() {
        None => errors.push(at_span(
            parens,
            format!("`{method}` takes `&self` and the {param_noun}: write `{signature}`"),
        )),
        Some(FnArg::Typed(first)) => errors.push(at(
            first,
            format!("`{method}` is a method that takes `&self` first: write `{signature}`"),
        )),
        Some(FnArg::Receiver(receiver)) => {
            let shared = matches!(&*receiver.ty, Type::Reference(r) if r.mutability.is_none());
            if !shared || receiver.mutability.is_some() {
                errors.push(at(
                    receiver,
                    format!(
                        "`{method}` takes `&self`: {caller} may call it from several threads at once; \
                         keep changing state in atomics or a Mutex"
                    ),
                ));
            }
            match inputs.get(1) {
                None => errors.push(at_span(
                    parens,
                    format!("`{method}` takes the {param_noun} after `&self`: write `{signature}`"),
                )),
                Some(FnArg::Typed(param)) if !is_shared_ref_to(&param.ty, kind.param_type) => {
                    errors.push(at(
                        &param.ty,
                        format!(
                            "the {param_noun} parameter's type is `&{}<'_>` ({})",
                            kind.param_type, kind.param_path
                        ),
                    ))
                }
                _ => {}
            }
            if inputs.len() > 2 {
                let extra: TokenStream = inputs[2..]
                    .iter()
                    .flat_map(|arg| arg.to_token_stream())
                    .collect();
                errors.push(at(
                    extra,
                    format!("`{method}` takes only `&self` and the {param_noun}; remove these parameters: `{signature}`"),
                ));
            }
        }
    }

    if let ReturnType::Type(_, ty) = &sig.output {
        if !matches!(&**ty, Type::Tuple(tuple) if tuple.elems.is_empty()) {
            errors.push(at(
                ty,
                format!(
                    "`{method}` returns nothing ({}): remove the return type, \
                     and log or store errors instead of returning them",
                    kind.returns
                ),
            ));
        }
    }
    errors
}

/// `&Name<..>` or `&path::to::Name<..>`, shared: how a handler's parameter must be written
/// (`&Notification<'_>`, `&Events<'_>`, the add-in's `&Outlook`).
pub fn is_shared_ref_to(ty: &Type, name: &str) -> bool {
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
            .is_some_and(|last| last.ident == name)
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
