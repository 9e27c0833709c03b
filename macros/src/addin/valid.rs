//! Checks that the impl block can become the DLL's add-in. Every mistake is reported at the
//! tokens that are wrong, with what to write instead.

use super::ast::AddInImpl;
use crate::attr::combine;
use crate::valid::{first_lifetime, is_shared_ref_to};
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{FnArg, ReturnType, Signature, Type};

const ON_CONNECTION: &str = "fn on_connection(&self, outlook: &Outlook) -> Result<()>";

pub fn check(addin: &AddInImpl<'_>) -> syn::Result<()> {
    let mut errors = None;
    let mut error = |tokens: &dyn ToTokens, message: String| {
        combine(
            &mut errors,
            syn::Error::new_spanned(tokens.to_token_stream(), message),
        );
    };
    if !addin.item.generics.params.is_empty() {
        error(
            &addin.item.generics,
            "the add-in's type cannot be generic: the DLL's exports make one concrete type; \
             name it, `impl MyAddIn { ... }`"
                .into(),
        );
    }
    if let Some(lifetime) = first_lifetime(addin.item.self_ty.to_token_stream()) {
        error(
            &lifetime,
            "the add-in cannot borrow: COM owns it as long as Outlook holds it, so its type must \
             be 'static; own the data instead"
                .into(),
        );
    }
    match addin.on_connection {
        None => error(
            &addin.item.self_ty,
            format!("this impl block has no `on_connection`; add `{ON_CONNECTION} {{ ... }}`"),
        ),
        Some(method) => {
            for mistake in signature(&method.sig, "on_connection", ON_CONNECTION, true) {
                combine(&mut errors, mistake);
            }
        }
    }
    for (method, name) in [
        (addin.on_disconnection, "on_disconnection"),
        (addin.on_startup_complete, "on_startup_complete"),
    ] {
        if let Some(method) = method {
            let shape = format!("fn {name}(&self)");
            for mistake in signature(&method.sig, name, &shape, false) {
                combine(&mut errors, mistake);
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

/// The mistakes in one method's signature. `with_outlook`: the method takes `&Outlook` and
/// returns `Result<()>`; else it takes `&self` only and returns nothing.
fn signature(sig: &Signature, name: &str, shape: &str, with_outlook: bool) -> Vec<syn::Error> {
    let mut errors = Vec::new();
    let at = |tokens: &dyn ToTokens, message: String| {
        syn::Error::new_spanned(tokens.to_token_stream(), message)
    };
    let parens = sig.paren_token.span.join();
    for (token, what) in [
        (
            sig.constness.as_ref().map(ToTokens::to_token_stream),
            "const",
        ),
        (
            sig.asyncness.as_ref().map(ToTokens::to_token_stream),
            "async",
        ),
        (
            sig.unsafety.as_ref().map(ToTokens::to_token_stream),
            "unsafe",
        ),
        (sig.abi.as_ref().map(ToTokens::to_token_stream), "extern"),
    ] {
        if let Some(token) = token {
            errors.push(at(
                &token,
                format!("`{name}` cannot be `{what}`: Outlook calls it as a plain method; write `{shape}`"),
            ));
        }
    }
    if !sig.generics.params.is_empty() {
        errors.push(at(
            &sig.generics,
            format!("`{name}` cannot be generic: write `{shape}`"),
        ));
    }
    let inputs: Vec<&FnArg> = sig.inputs.iter().collect();
    match inputs.first() {
        Some(FnArg::Receiver(receiver))
            if receiver.mutability.is_none()
                && matches!(&*receiver.ty, Type::Reference(r) if r.mutability.is_none()) => {}
        Some(first) => errors.push(at(
            first,
            format!("`{name}` takes `&self` (the add-in is shared with COM): write `{shape}`"),
        )),
        None => errors.push(syn::Error::new(
            parens,
            format!("`{name}` takes `&self`: write `{shape}`"),
        )),
    }
    let params: Vec<&FnArg> = inputs.iter().skip(1).copied().collect();
    if with_outlook {
        match params.first() {
            Some(FnArg::Typed(param)) if is_shared_ref_to(&param.ty, "Outlook") => {}
            Some(FnArg::Typed(param)) => errors.push(at(
                &param.ty,
                format!("`{name}`'s parameter is `&Outlook` (mapi_notify_sink::addin::Outlook): write `{shape}`"),
            )),
            _ => errors.push(syn::Error::new(
                parens,
                format!("`{name}` takes `&self` and `&Outlook`: write `{shape}`"),
            )),
        }
    }
    let expected = usize::from(with_outlook);
    if params.len() > expected {
        let extra: TokenStream = params[expected..]
            .iter()
            .flat_map(|p| p.to_token_stream())
            .collect();
        errors.push(at(
            &extra,
            format!("`{name}` takes no more parameters; remove these: `{shape}`"),
        ));
    }
    match (&sig.output, with_outlook) {
        (ReturnType::Default, true) => errors.push(at(
            &sig.ident,
            format!(
                "`{name}` returns `Result<()>` (mapi_notify_sink::Result): an error is logged and \
                 the add-in stays loaded but inert; write `{shape}`"
            ),
        )),
        (ReturnType::Type(_, ty), false) if !matches!(&**ty, Type::Tuple(t) if t.elems.is_empty()) => {
            errors.push(at(
                ty,
                format!("`{name}` returns nothing: log what goes wrong; write `{shape}`"),
            ))
        }
        _ => {}
    }
    errors
}
