//! The macro never panics, whatever it is given, and every input gives one of two answers:
//!
//! - an expansion: it parses as items, the first is the user's item unchanged, the second the
//!   `NotifySink` impl for the same self type; or
//! - compile errors, each pointing at tokens of the input (the arguments or the item), with the
//!   input itself still in the output (so one mistake does not cascade), and, when the input is
//!   an item, the output without the errors still parses.
//!
//! For the generated impl blocks, whose parts are each known right or wrong, the answer must
//! also be the expected one. Every input goes through both attributes: as written to
//! `#[mapi_notify_sink]`, and to `#[mapi_advise_sink]` with `notify` and `Notification` renamed
//! `on_notify` and `Events` (spans kept), so the same answer is expected of both. Fixed seed;
//! `MACRO_PROPERTY_SEED=<n>` tries another.

use super::generate::{self, Input, Rng};
use super::{compile_errors, without_compile_errors, CompileError};
use crate::kind::{self, Kind};
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use std::panic::{catch_unwind, AssertUnwindSafe};

const GENERATED: usize = 4000;
const MUTATED: usize = 4000;
const ARBITRARY: usize = 2000;

type Generator = fn(&mut Rng) -> Input;

#[derive(Default)]
struct Tally {
    inputs: usize,
    expanded: usize,
    rejected: usize,
    errors: usize,
    at_end_of_input: usize,
    panics: usize,
    failures: Vec<String>,
}

#[test]
fn the_macro_never_panics_and_answers_every_input_correctly() {
    let seed = std::env::var("MACRO_PROPERTY_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or(0x6d61_7069_5f73_696e); // "mapi_sin"
    let mut rng = Rng::new(seed);
    let mut tally = Tally::default();
    let kinds: [(&str, usize, Generator); 3] = [
        ("generated", GENERATED, generate::generated),
        ("mutated", MUTATED, generate::mutated),
        ("arbitrary", ARBITRARY, generate::arbitrary),
    ];
    for (kind, count, make) in kinds {
        for case in 0..count {
            let input = make(&mut rng);
            for (sink_kind, input) in [
                (&kind::OFFLINE, same(&input)),
                (&kind::ADVISE, as_advise(&input)),
            ] {
                tally.inputs += 1;
                if let Err(why) = check(sink_kind, &input, &mut tally) {
                    tally.failures.push(format!(
                        "{kind} #{case} ({}): {why}\n    input: {}",
                        sink_kind.attribute, input.text
                    ));
                }
            }
        }
    }
    println!(
        "macro property test (seed {seed:#x}): {} inputs ({GENERATED} generated, {MUTATED} mutated, \
         {ARBITRARY} arbitrary, each through both attributes): {} expanded, {} rejected with {} compile errors ({} at the end \
         of an item that does not parse), {} panics, {} wrong answers",
        tally.inputs,
        tally.expanded,
        tally.rejected,
        tally.errors,
        tally.at_end_of_input,
        tally.panics,
        tally.failures.len(),
    );
    let shown: Vec<&String> = tally.failures.iter().take(10).collect();
    assert!(
        tally.failures.is_empty(),
        "wrong answers (first 10):\n{shown:#?}"
    );
    assert_eq!(tally.panics, 0);
    // The inputs must reach both answers often, or the test proves little.
    assert!(
        tally.expanded > GENERATED / 10,
        "only {} expanded",
        tally.expanded
    );
    assert!(
        tally.rejected > GENERATED / 10,
        "only {} rejected",
        tally.rejected
    );
}

fn same(input: &Input) -> Input {
    Input {
        args: input.args.clone(),
        item: input.item.clone(),
        expect_ok: input.expect_ok,
        text: input.text.clone(),
    }
}

/// `input` for `#[mapi_advise_sink]`: the offline sink's method and parameter type renamed to
/// the advise sink's, every span kept.
fn as_advise(input: &Input) -> Input {
    fn rename(stream: &TokenStream) -> TokenStream {
        stream
            .clone()
            .into_iter()
            .map(|tree| match tree {
                TokenTree::Ident(ident) if ident == "notify" => {
                    Ident::new("on_notify", ident.span()).into()
                }
                TokenTree::Ident(ident) if ident == "Notification" => {
                    Ident::new("Events", ident.span()).into()
                }
                TokenTree::Group(group) => {
                    let mut renamed = Group::new(group.delimiter(), rename(&group.stream()));
                    renamed.set_span(group.span());
                    renamed.into()
                }
                other => other,
            })
            .collect()
    }
    Input {
        args: input.args.clone(),
        item: rename(&input.item),
        expect_ok: input.expect_ok,
        text: input
            .text
            .replace("mapi_notify_sink(", "mapi_advise_sink(")
            .replace("notify", "on_notify")
            .replace("Notification", "Events"),
    }
}

fn check(sink_kind: &'static Kind, input: &Input, tally: &mut Tally) -> Result<(), String> {
    let (args, item) = (input.args.clone(), input.item.clone());
    // A panic is counted and reported with the input, not printed by the default hook.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = catch_unwind(AssertUnwindSafe(|| {
        crate::expand::sink(sink_kind, args, item)
    }));
    std::panic::set_hook(hook);
    let output = match result {
        Ok(output) => output,
        Err(payload) => {
            tally.panics += 1;
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(format!("the macro panicked: {message}"));
        }
    };
    let errors = compile_errors(&output);
    let parsed_item = syn::parse2::<syn::Item>(input.item.clone()).ok();
    if errors.is_empty() {
        tally.expanded += 1;
        check_expansion(sink_kind, &output, parsed_item.as_ref())?;
    } else {
        tally.rejected += 1;
        tally.errors += errors.len();
        check_errors(input, &output, &errors, parsed_item.as_ref(), tally)?;
    }
    match (input.expect_ok, errors.is_empty()) {
        (Some(true), false) => Err(format!(
            "a correct sink was rejected: {:?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        )),
        (Some(false), true) => Err("a mistake was accepted".into()),
        _ => Ok(()),
    }
}

/// The user's item unchanged, then `impl .. NotifySink for <the same self type>` (the kind's
/// trait).
fn check_expansion(
    sink_kind: &Kind,
    output: &TokenStream,
    item: Option<&syn::Item>,
) -> Result<(), String> {
    let handler = Kind::ident(sink_kind.handler).to_string();
    let Some(syn::Item::Impl(item)) = item else {
        return Err("expanded something that is not an impl block".into());
    };
    let file: syn::File = syn::parse2(output.clone())
        .map_err(|error| format!("the expansion does not parse as items: {error}: {output}"))?;
    let [user, sink] = &file.items[..] else {
        return Err(format!("{} items, not 2: {output}", file.items.len()));
    };
    if user.to_token_stream().to_string() != item.to_token_stream().to_string() {
        return Err(format!(
            "the user's item changed: {}",
            user.to_token_stream()
        ));
    }
    let syn::Item::Impl(sink) = sink else {
        return Err(format!(
            "the second item is not an impl: {}",
            sink.to_token_stream()
        ));
    };
    let trait_name = sink
        .trait_
        .as_ref()
        .and_then(|(_, path, _)| path.segments.last())
        .map(|segment| segment.ident.to_string());
    if trait_name.as_deref() != Some(handler.as_str()) {
        return Err(format!(
            "the second impl is not {handler}'s: {}",
            sink.to_token_stream()
        ));
    }
    if sink.self_ty.to_token_stream().to_string() != item.self_ty.to_token_stream().to_string() {
        return Err(format!(
            "{handler} is implemented for another type: {}",
            sink.self_ty.to_token_stream()
        ));
    }
    Ok(())
}

fn check_errors(
    input: &Input,
    output: &TokenStream,
    errors: &[CompileError],
    item: Option<&syn::Item>,
    tally: &mut Tally,
) -> Result<(), String> {
    let in_input = |span: Span| {
        [&input.args, &input.item]
            .into_iter()
            .any(|stream| in_stream(stream, span))
    };
    for error in errors {
        if in_input(error.start) && in_input(error.end) {
            continue;
        }
        // An item that does not parse (rustc only ever hands an attribute a whole item, but
        // this test tries anything) is reported by syn at its end, which has no token to point
        // at: the compiler would show the attribute there, the call site.
        let at_end = item.is_none() && is_call_site(error.start) && is_call_site(error.end);
        if at_end {
            tally.at_end_of_input += 1;
            continue;
        }
        return Err(format!(
            "the error {:?} points outside the input ({:?}..{:?})",
            error.message, error.start, error.end
        ));
    }
    // The input comes back as it was given (re-printed by syn when it is an item).
    let expected_start = match item {
        Some(item) => item.to_token_stream().to_string(),
        None => input.item.to_string(),
    };
    if !output.to_string().starts_with(&expected_start) {
        return Err(format!(
            "the input is not at the start of the output: {output}"
        ));
    }
    // One mistake, one error: without the errors, the output is still valid items.
    if item.is_some() {
        let rest = without_compile_errors(output);
        syn::parse2::<syn::File>(rest.clone()).map_err(|error| {
            format!("the output without its errors does not parse ({error}): {rest}")
        })?;
    }
    Ok(())
}

/// Whether `span` is in the source `stream` was lexed from. proc-macro2 (outside a compiler,
/// with `span-locations`) joins two spans only when they are in the same source.
fn in_stream(stream: &TokenStream, span: Span) -> bool {
    first_span(stream).is_some_and(|first| first.join(span).is_some())
}

fn first_span(stream: &TokenStream) -> Option<Span> {
    stream.clone().into_iter().next().map(|tree| tree.span())
}

fn is_call_site(span: Span) -> bool {
    format!("{span:?}") == format!("{:?}", Span::call_site())
}
