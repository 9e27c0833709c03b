//! The macro's unit tests, run outside a compiler: `proc_macro2` falls back to its own token
//! types there, with real source positions (the `span-locations` dev feature), so a test can
//! ask which input tokens an error points at.
//!
//! - `stages`: each stage on small inputs (options, checks, the expansion's shape).
//! - `property`: thousands of generated, mutated and arbitrary inputs; the macro never panics,
//!   and each input gives either a correct expansion or compile errors that point into the input.

mod generate;
mod property;
mod stages;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::str::FromStr;

/// Lexes `source` the way the compiler hands tokens to the macro.
fn tokens(source: &str) -> TokenStream {
    TokenStream::from_str(source).unwrap_or_else(|error| panic!("cannot lex {source:?}: {error}"))
}

/// Runs the attribute on `args` and `item`.
fn expand(args: &str, item: &str) -> TokenStream {
    crate::expand::sink(&crate::kind::OFFLINE, tokens(args), tokens(item))
}

/// One `::core::compile_error! { "message" }` in the output.
#[derive(Debug)]
struct CompileError {
    message: String,
    /// The span of `compile_error` (syn gives the path the error's first span)...
    start: Span,
    /// ...and of the braces (its last span).
    end: Span,
}

impl CompileError {
    /// The input text the error covers, from its first to its last token.
    fn source_text(&self) -> Option<String> {
        self.start.join(self.end)?.source_text()
    }
}

/// Every `compile_error!` invocation in `output`, at any depth.
fn compile_errors(output: &TokenStream) -> Vec<CompileError> {
    let mut found = Vec::new();
    collect_compile_errors(output, &mut found);
    found
}

fn collect_compile_errors(stream: &TokenStream, found: &mut Vec<CompileError>) {
    let trees: Vec<TokenTree> = stream.clone().into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                if let (Some(TokenTree::Punct(bang)), Some(TokenTree::Group(group))) =
                    (trees.get(index + 1), trees.get(index + 2))
                {
                    if bang.as_char() == '!' {
                        found.push(CompileError {
                            message: string_literal(group.stream()).unwrap_or_default(),
                            start: ident.span(),
                            end: group.span(),
                        });
                    }
                }
            }
            TokenTree::Group(group) => collect_compile_errors(&group.stream(), found),
            _ => {}
        }
    }
}

/// The value of the one string literal in `stream`, as `compile_error!` takes it.
fn string_literal(stream: TokenStream) -> Option<String> {
    let literal = match stream.into_iter().next()? {
        TokenTree::Literal(literal) => literal,
        _ => return None,
    };
    let lit: syn::LitStr = syn::parse2(TokenTree::Literal(literal).into()).ok()?;
    Some(lit.value())
}

/// `output` without its `::core::compile_error! { .. }` invocations (top level only, where the
/// macro puts them).
fn without_compile_errors(output: &TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = output.clone().into_iter().collect();
    let mut kept: Vec<TokenTree> = Vec::new();
    let mut index = 0;
    while index < trees.len() {
        let is_error = matches!(&trees[index], TokenTree::Ident(ident) if ident == "compile_error")
            && matches!(trees.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!')
            && matches!(trees.get(index + 2), Some(TokenTree::Group(g)) if g.delimiter() != Delimiter::None);
        if is_error {
            // Drop the `::core::` already kept (five tokens: `:` `:` `core` `:` `:`).
            let path_start = kept.len().saturating_sub(5);
            let path: String = kept[path_start..].iter().map(ToString::to_string).collect();
            if path == "::core::" {
                kept.truncate(path_start);
            }
            index += 3;
        } else {
            kept.push(trees[index].clone());
            index += 1;
        }
    }
    kept.into_iter().collect()
}
