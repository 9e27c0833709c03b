//! Checks that the impl block can become the DLL's add-in. Every mistake is reported at the
//! tokens that are wrong, with what to write instead.

use super::ast::{AddInImpl, HOOKS};
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
    for method in &addin.others {
        if let Some(advice) = near_hook(&method.sig.ident.to_string()) {
            combine(
                &mut errors,
                syn::Error::new_spanned(&method.sig.ident, advice),
            );
        }
    }
    errors.map_or(Ok(()), Err)
}

/// For a method whose name is a hook's, misspelt (`on_startup_completed`), or one of
/// `IDTExtensibility2`'s other names: what to write. Other methods are the author's own.
fn near_hook(name: &str) -> Option<String> {
    let hooks = "the hooks are `on_connection`, `on_startup_complete` and `on_disconnection`";
    let special = match name {
        "on_begin_shutdown" => Some(
            "Outlook's OnBeginShutdown reaches the add-in as `on_disconnection` (once, whichever \
             of the two comes first); at Outlook's exit neither comes (fast shutdown): clean up \
             in `Drop`",
        ),
        "on_add_ins_update" => Some("the library answers OnAddInsUpdate itself; no hook is called"),
        "on_shutdown" | "on_exit" | "on_quit" | "on_unload" => Some(
            "Outlook's exit calls no hook (fast shutdown): the library drops the add-in, so \
             clean up in its `Drop`; `on_disconnection` runs when the user turns it off",
        ),
        _ => None,
    };
    if let Some(special) = special {
        return Some(format!(
            "`{name}` is not a hook of #[outlook_addin], so nothing would call it: {special}; \
             {hooks} (rename a helper of your own so it does not look like one)"
        ));
    }
    if !name.starts_with("on_") || HOOKS.contains(&name) {
        return None;
    }
    // A misspelling: a few letters off (`on_connection_lost`, a helper, is not one).
    let hook = HOOKS.iter().find(|hook| distance(name, hook) <= 3)?;
    Some(format!(
        "`{name}` is not a hook of #[outlook_addin], so nothing would call it: write \
         `{hook}`; {hooks} (rename a helper of your own so it does not look like one)"
    ))
}

/// The edit distance between two short names (insertions, deletions, substitutions).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
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
    if let (ReturnType::Type(_, ty), true) = (&sig.output, with_outlook) {
        if let Some(foreign) = foreign_error(ty) {
            errors.push(at(
                ty,
                format!(
                    "`{name}` returns `mapi_notify_sink::Result<()>`, not `{foreign}`: the library \
                     logs the error and keeps the add-in loaded, which needs its own error type. \
                     Turn another error into it where it arises: \
                     `.map_err(|error| mapi_notify_sink::Error::new(mapi_notify_sink::sys::E_FAIL, \
                     error.to_string()))?`; write `{shape}`"
                ),
            ));
            return errors;
        }
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

/// A return type that is plainly a `Result` of another error type (`std::io::Result<()>`,
/// `anyhow::Result<()>`, `Result<(), Box<dyn Error>>`): its text. A bare `Result<()>` (the
/// library's, imported), `mapi_notify_sink::Result<()>` and `Result<(), Error>` are not; an
/// alias of the author's is left to the type checker.
fn foreign_error(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else {
        return None;
    };
    let segments: Vec<_> = path.path.segments.iter().collect();
    let last = segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let text = || {
        let mut text = ty.to_token_stream().to_string();
        for (spaced, tight) in [
            (" :: ", "::"),
            (" <", "<"),
            ("< ", "<"),
            (" >", ">"),
            (" ,", ","),
            ("( )", "()"),
        ] {
            text = text.replace(spaced, tight);
        }
        text
    };
    let ours = |ident: &syn::Ident| ident == "mapi_notify_sink" || ident == "crate";
    let prefix: Vec<String> = segments[..segments.len() - 1]
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect();
    // `std::result::Result<(), E>` is checked by its E, as a bare `Result<(), E>`.
    let standard = matches!(prefix.as_slice(),
        [root, result] if (root == "std" || root == "core") && result == "result");
    if !prefix.is_empty() && !standard && !segments.iter().any(|s| ours(&s.ident)) {
        return Some(text());
    }
    // `Result<(), E>`: E must be `Error` or `mapi_notify_sink::Error`.
    if let syn::PathArguments::AngleBracketed(arguments) = &last.arguments {
        if let Some(syn::GenericArgument::Type(error)) = arguments.args.iter().nth(1) {
            let named_error = matches!(error, Type::Path(error)
                if error.path.segments.last().is_some_and(|last| last.ident == "Error")
                    && (error.path.segments.len() == 1
                        || error.path.segments.iter().any(|s| ours(&s.ident))));
            if !named_error {
                return Some(text());
            }
        }
    }
    None
}
