//! The attribute's options: `on_panic = "log" | "abort"`, `crate = "path"`.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::{LitStr, Path};

/// What to do when the user's `notify` (or `Drop`) panics.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OnPanic {
    Log,
    Abort,
}

pub struct Options {
    pub on_panic: OnPanic,
    /// The path to the runtime crate, `::mapi_notify_sink` unless renamed.
    pub krate: Path,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            on_panic: OnPanic::Log,
            krate: syn::parse_quote!(::mapi_notify_sink),
        }
    }
}

/// Reads every option, reporting all mistakes together. On errors, the options that were
/// read correctly are still returned, so the fallback can use them.
pub fn parse(args: TokenStream) -> (Options, Option<syn::Error>) {
    let mut options = Options::default();
    let mut errors: Option<syn::Error> = None;
    let mut seen_on_panic = false;
    let mut seen_crate = false;
    let parser = syn::meta::parser(|meta| {
        let result = if meta.path.is_ident("on_panic") {
            once(&mut seen_on_panic, &meta)
                .and_then(|()| has_value(&meta, "on_panic = \"log\"` or `on_panic = \"abort\""))
                .and_then(|()| on_panic(meta.value()?.parse()?))
                .map(|value| options.on_panic = value)
        } else if meta.path.is_ident("crate") {
            once(&mut seen_crate, &meta)
                .and_then(|()| has_value(&meta, "crate = \"path::to::runtime\""))
                .and_then(|()| krate(meta.value()?.parse()?))
                .map(|path| options.krate = path)
        } else {
            // Read past the value first: the error then covers the whole option.
            skip_to_comma(meta.input)?;
            let name = meta
                .path
                .get_ident()
                .map_or_else(|| "this".to_owned(), |ident| format!("`{ident}`"));
            Err(meta.error(format!(
                "unknown option {name}; the options are `on_panic = \"log\"` or `on_panic = \"abort\"`, and `crate = \"path\"`"
            )))
        };
        if let Err(error) = result {
            combine(&mut errors, error);
            // Skip what is left of this option (a value never read, or the rest of a bad one)
            // so the options after it are still read, and only the real mistake is reported.
            skip_to_comma(meta.input)?;
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        combine(&mut errors, error);
    }
    (options, errors)
}

pub fn skip_to_comma(input: syn::parse::ParseStream<'_>) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(syn::Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// An option written without `= value` is reported at its name or its `=`, not at the end of
/// the arguments (where syn would put "expected `=`", which points at the whole attribute).
pub fn has_value(meta: &syn::meta::ParseNestedMeta<'_>, example: &str) -> syn::Result<()> {
    let after_name = meta.input.fork();
    let Ok(eq) = after_name.parse::<syn::Token![=]>() else {
        return Err(meta.error(format!("this option takes a value: `{example}`")));
    };
    if after_name.is_empty() || after_name.peek(syn::Token![,]) {
        return Err(syn::Error::new(
            eq.span,
            format!("a value goes after `=`: `{example}`"),
        ));
    }
    Ok(())
}

pub fn once(seen: &mut bool, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    if std::mem::replace(seen, true) {
        return Err(meta.error("this option is given twice; keep one"));
    }
    Ok(())
}

fn on_panic(value: LitStr) -> syn::Result<OnPanic> {
    match value.value().as_str() {
        "log" => Ok(OnPanic::Log),
        "abort" => Ok(OnPanic::Abort),
        _ => Err(syn::Error::new_spanned(
            &value,
            "`on_panic` is \"log\" (the default) or \"abort\"",
        )),
    }
}

pub fn krate(value: LitStr) -> syn::Result<Path> {
    value.parse::<Path>().map_err(|_| {
        syn::Error::new_spanned(
            &value,
            "`crate` takes the path of the renamed runtime crate, such as `crate = \"my_sink_rt\"`",
        )
    })
}

pub fn combine(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(existing) => existing.combine(error),
        None => *errors = Some(error),
    }
}
