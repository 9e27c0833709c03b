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
            let lit: LitStr = meta.value()?.parse()?;
            if std::mem::replace(&mut seen_on_panic, true) {
                Err(meta.error("`on_panic` is given twice; keep one"))
            } else {
                match lit.value().as_str() {
                    "log" => Ok(options.on_panic = OnPanic::Log),
                    "abort" => Ok(options.on_panic = OnPanic::Abort),
                    _ => Err(syn::Error::new_spanned(
                        &lit,
                        "`on_panic` is \"log\" (the default) or \"abort\"",
                    )),
                }
            }
        } else if meta.path.is_ident("crate") {
            let lit: LitStr = meta.value()?.parse()?;
            if std::mem::replace(&mut seen_crate, true) {
                Err(meta.error("`crate` is given twice; keep one"))
            } else {
                match lit.parse::<Path>() {
                    Ok(path) => Ok(options.krate = path),
                    Err(_) => Err(syn::Error::new_spanned(
                        &lit,
                        "`crate` takes the path of the renamed runtime crate, such as `crate = \"my_sink_rt\"`",
                    )),
                }
            }
        } else {
            // Skip the value, if any, so the options after it are still read.
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
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
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        combine(&mut errors, error);
    }
    (options, errors)
}

pub fn combine(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(existing) => existing.combine(error),
        None => *errors = Some(error),
    }
}
