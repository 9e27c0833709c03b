//! Each stage on small inputs: what the options read, what the checks report and where, and the
//! shape of the expansion.

use super::{compile_errors, expand, tokens, without_compile_errors};
use crate::attr::{self, OnPanic};
use crate::valid::first_lifetime;
use quote::ToTokens;

const SINK: &str = "impl Watcher { fn notify(&self, info: &Notification<'_>) {} }";

/// `(message, the input text it points at)` for every error the attribute reports.
fn errors(args: &str, item: &str) -> Vec<(String, String)> {
    compile_errors(&expand(args, item))
        .into_iter()
        .map(|error| {
            let at = error
                .source_text()
                .unwrap_or_else(|| "<not in the input>".into());
            (error.message, at)
        })
        .collect()
}

/// The one error's message and the text it points at.
fn only_error(args: &str, item: &str) -> (String, String) {
    let mut all = errors(args, item);
    assert_eq!(
        all.len(),
        1,
        "expected one error for {args:?} / {item:?}: {all:?}"
    );
    all.remove(0)
}

#[test]
fn options_default_to_log_and_the_runtime_crate() {
    let (options, errors) = attr::parse(tokens(""));
    assert!(errors.is_none());
    assert!(options.on_panic == OnPanic::Log);
    assert_eq!(
        options.krate.to_token_stream().to_string(),
        ":: mapi_notify_sink"
    );
}

#[test]
fn options_are_read_in_any_order() {
    let (options, errors) = attr::parse(tokens(r#"crate = "rt::inner", on_panic = "abort","#));
    assert!(errors.is_none());
    assert!(options.on_panic == OnPanic::Abort);
    assert_eq!(options.krate.to_token_stream().to_string(), "rt :: inner");
}

#[test]
fn every_bad_option_is_reported_and_the_good_ones_are_kept() {
    let (options, errors) = attr::parse(tokens(
        r#"on_panic = "sometimes", crate = "ok_rt", colour = "blue", crate = "again""#,
    ));
    let messages: Vec<String> = errors.unwrap().into_iter().map(|e| e.to_string()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("`on_panic` is \"log\""));
    assert!(messages[1].contains("unknown option `colour`"));
    assert!(messages[2].contains("given twice"));
    assert_eq!(options.krate.to_token_stream().to_string(), "ok_rt");
}

#[test]
fn an_option_without_a_value_is_reported_at_the_option() {
    let (message, at) = only_error("on_panic", SINK);
    assert!(message.contains("takes a value"), "{message}");
    assert_eq!(at, "on_panic");
    let (message, at) = only_error("crate =, on_panic = \"log\"", SINK);
    assert!(message.contains("a value goes after `=`"), "{message}");
    assert_eq!(at, "=");
}

#[test]
fn an_unknown_option_is_reported_whole() {
    let (message, at) = only_error("threading = \"apartment\", on_panic = \"abort\"", SINK);
    assert!(message.contains("unknown option `threading`"), "{message}");
    assert_eq!(at, "threading = \"apartment\"");
}

#[test]
fn first_lifetime_skips_static_and_looks_inside_groups() {
    let found = |ty: &str| first_lifetime(tokens(ty)).map(|lt| lt.to_string());
    assert_eq!(found("Watcher"), None);
    assert_eq!(found("Holder<&'static str>"), None);
    assert_eq!(found("Holder<(u8, &'a str)>").as_deref(), Some("'a"));
    assert_eq!(found("Watcher<'static, 'b>").as_deref(), Some("'b"));
}

#[test]
fn a_sink_expands_to_its_item_and_one_small_impl() {
    let output = expand("", SINK);
    assert!(compile_errors(&output).is_empty());
    let file: syn::File = syn::parse2(output).unwrap();
    assert_eq!(file.items.len(), 2);
    let item: syn::Item = syn::parse_str(SINK).unwrap();
    assert_eq!(
        file.items[0].to_token_stream().to_string(),
        item.to_token_stream().to_string()
    );
    let syn::Item::Impl(sink_impl) = &file.items[1] else {
        panic!(
            "not an impl: {:?}",
            file.items[1].to_token_stream().to_string()
        )
    };
    let trait_path = sink_impl
        .trait_
        .as_ref()
        .unwrap()
        .1
        .to_token_stream()
        .to_string();
    assert_eq!(trait_path, ":: mapi_notify_sink :: __private :: NotifySink");
    // `on_panic = "log"` is the trait's default: nothing to write.
    assert_eq!(sink_impl.items.len(), 1);
}

#[test]
fn options_reach_the_expansion() {
    let output = expand(r#"on_panic = "abort", crate = "rt""#, SINK).to_string();
    assert!(
        output.contains(
            "const __ON_PANIC : rt :: __private :: OnPanic = rt :: __private :: OnPanic :: Abort"
        ),
        "{output}"
    );
    assert!(
        output.contains("impl rt :: __private :: NotifySink for Watcher"),
        "{output}"
    );
}

#[test]
fn generics_and_where_clauses_carry_over() {
    let output = expand("", "impl<T> Watcher<T> where T: Send + Sync + 'static { fn notify(&self, info: &Notification<'_>) {} }").to_string();
    assert!(output.contains("impl < T > :: mapi_notify_sink :: __private :: NotifySink for Watcher < T > where T : Send + Sync + 'static"), "{output}");
}

#[test]
fn each_mistake_is_reported_at_its_tokens() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "impl Watcher { fn notify(&mut self, info: &Notification<'_>) {} }",
            "takes `&self`",
            "&mut self",
        ),
        (
            "impl Watcher { fn notify(self, info: &Notification<'_>) {} }",
            "takes `&self`",
            "self",
        ),
        (
            "impl Watcher { fn notify(&self, info: Notification) {} }",
            "`&Notification<'_>`",
            "Notification",
        ),
        (
            "impl Watcher { fn notify(&self, info: &Notification<'_>) -> u32 { 0 } }",
            "returns nothing",
            "u32",
        ),
        (
            "impl Watcher { async fn notify(&self, info: &Notification<'_>) {} }",
            "cannot be `async`",
            "async",
        ),
        (
            "impl Watcher { fn notify<T>(&self, info: &Notification<'_>) {} }",
            "cannot be generic",
            "<T>",
        ),
        (
            "impl Watcher { fn notify(&self) {} }",
            "takes the notification",
            "(&self)",
        ),
        (
            "impl Watcher { fn helper(&self) {} }",
            "no `fn notify`",
            "Watcher",
        ),
        (
            "impl<'a> Watcher<'a> { fn notify(&self, info: &Notification<'_>) {} }",
            "cannot borrow",
            "'a",
        ),
        (
            "impl Clone for Watcher { fn notify(&self, info: &Notification<'_>) {} }",
            "not a trait impl",
            "Clone for",
        ),
        ("struct Watcher;", "not on the type", "Watcher"),
    ];
    for (item, message, at) in cases {
        let (got_message, got_at) = only_error("", item);
        assert!(got_message.contains(message), "{item}: {got_message}");
        assert_eq!(&got_at, at, "{item}: {got_message}");
    }
}

#[test]
fn every_mistake_in_one_block_is_reported_in_one_go() {
    let all = errors(
        r#"on_panic = "never""#,
        "impl Watcher { const unsafe fn notify(&mut self, info: u8, extra: u8) -> bool { true } }",
    );
    let at: Vec<&str> = all.iter().map(|(_, at)| at.as_str()).collect();
    assert_eq!(
        at,
        [
            "\"never\"",
            "const",
            "unsafe",
            "&mut self",
            "u8",
            "extra: u8",
            "bool"
        ]
    );
}

#[test]
fn after_a_mistake_the_item_is_kept_and_a_stand_in_impl_added() {
    let output = expand(
        "",
        "impl Watcher { fn notify(&mut self, info: &Notification<'_>) {} }",
    );
    let rest: syn::File = syn::parse2(without_compile_errors(&output)).unwrap();
    assert_eq!(rest.items.len(), 2, "the user's impl and the stand-in");
}

#[test]
fn tokens_that_are_not_an_item_come_back_with_an_error() {
    let output = expand("", "fn () 42");
    assert!(output.to_string().starts_with("fn () 42"), "{output}");
    assert_eq!(compile_errors(&output).len(), 1);
}
