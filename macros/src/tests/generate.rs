//! Inputs for the property test, from a fixed seed: impl blocks built from a menu of right and
//! wrong parts (each input knows whether the attribute should accept it), token-level
//! mutations of them, and arbitrary token streams.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// splitmix64: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.below(choices.len())]
    }
}

/// A part of an input and whether the attribute accepts it.
type Part = (&'static str, bool);

const ARGS: &[Part] = &[
    ("", true),
    ("on_panic = \"log\"", true),
    ("on_panic = \"abort\"", true),
    ("crate = \"rt\"", true),
    ("crate = \"::outer::rt\"", true),
    ("on_panic = \"abort\", crate = \"rt\"", true),
    ("crate = \"rt\", on_panic = \"log\",", true),
    ("on_panic = \"sometimes\"", false),
    ("on_panic = 1", false),
    ("on_panic", false),
    ("on_panic(log)", false),
    ("colour = \"blue\"", false),
    ("colour", false),
    ("crate = \"not a path\"", false),
    ("crate = \"1st\"", false),
    ("crate = rt", false),
    ("on_panic = \"log\", on_panic = \"abort\"", false),
    ("on_panic = \"log\" crate = \"rt\"", false),
    (", on_panic = \"log\"", false),
    ("= \"log\"", false),
];

const IMPL_GENERICS: &[Part] = &[
    ("", true),
    ("<T>", true),
    ("<T: Send + Sync + 'static>", true),
    ("<T, const N: usize>", true),
    ("<'a>", true), // unused by the self type: the attribute does not mind, rustc will
];

const SELF_TYPES: &[Part] = &[
    ("Watcher", true),
    ("Watcher<T>", true),
    ("outer::Watcher", true),
    ("Holder<&'static str>", true),
    ("[Watcher; 2]", true),
    ("Watcher<'a>", false),
    ("Holder<&'a str>", false),
    ("(Watcher, &'b u8)", false),
];

const WHERE_CLAUSES: &[Part] = &[
    ("", true),
    ("where T: Send + Sync + 'static", true),
    ("where Self: Sized", true),
];

const QUALIFIERS: &[Part] = &[
    ("", true),
    ("pub", true),
    ("pub(crate)", true),
    ("const", false),
    ("async", false),
    ("unsafe", false),
    ("extern \"system\"", false),
    ("const unsafe", false),
];

const FN_GENERICS: &[Part] = &[
    ("", true),
    ("<'b>", true),
    ("<T>", false),
    ("<const N: usize>", false),
    ("<'b, U: Clone>", false),
];

const RECEIVERS: &[Part] = &[
    ("&self", true),
    ("&'b self", true),
    ("self: &Self", true),
    ("&mut self", false),
    ("self", false),
    ("mut self", false),
    ("self: Box<Self>", false),
    ("self: &mut Self", false),
];

const INFO_PARAMS: &[Part] = &[
    ("info: &Notification<'_>", true),
    ("info: &Notification", true),
    ("_: &::mapi_notify_sink::Notification<'_>", true),
    ("(a): &rt::Notification<'static>", true),
    ("info: Notification<'_>", false),
    ("info: &mut Notification<'_>", false),
    ("info: &Notice<'_>", false),
    ("info: &<X as Y>::Notification", false),
    ("info: *const Notification<'_>", false),
    ("info: u32", false),
];

const RETURNS: &[Part] = &[
    ("", true),
    ("-> ()", true),
    ("-> u32", false),
    ("-> Result<(), Error>", false),
    ("-> impl Sized", false),
];

const BODIES: &[&str] = &[
    "{}",
    "{ let _ = info; }",
    "{ println!(\"{:?}\", info.kind()); }",
];

const OTHER_ITEMS: &[&str] = &[
    "fn new() -> Self { Self }",
    "const LIMIT: u32 = 3;",
    "pub fn helper(&self, x: u8) -> u8 { x }",
    "fn notify_all(&self) {}",
    "#[inline] fn notified(&self) -> bool { true }",
    "other_macro! { fn notify() }",
];

/// Items the attribute does not go on.
const NOT_IMPLS: &[&str] = &[
    "struct Watcher;",
    "struct Watcher { count: u32 }",
    "enum Watcher { On, Off }",
    "union Watcher { a: u32 }",
    "fn notify(&self, info: &Notification<'_>) {}",
    "trait Watcher { fn notify(&self, info: &Notification<'_>); }",
    "mod watcher {}",
    "use std::sync::Mutex;",
    "impl Clone for Watcher { fn clone(&self) -> Self { Self } }",
    "impl<T> Sink for Watcher<T> { fn notify(&self, info: &Notification<'_>) {} }",
    "type Watcher = u32;",
    "static WATCHER: u32 = 0;",
];

/// One input: the attribute's arguments, the item, and whether the attribute should accept it
/// (`None` when not known: mutated and arbitrary inputs).
pub struct Input {
    pub args: TokenStream,
    pub item: TokenStream,
    pub expect_ok: Option<bool>,
    pub text: String,
}

fn lex(source: &str) -> TokenStream {
    source
        .parse()
        .unwrap_or_else(|error| panic!("generator wrote unlexable {source:?}: {error}"))
}

/// An impl block (or, one time in ten, another item) built from the menus.
pub fn generated(rng: &mut Rng) -> Input {
    let args = Picker { ok: true }.part(rng, ARGS);
    let args_ok = ARGS.iter().any(|(text, ok)| *text == args && *ok);
    let (item, item_ok) = if rng.one_in(10) {
        (rng.pick(NOT_IMPLS).to_string(), false)
    } else {
        impl_block(rng)
    };
    Input {
        text: format!("#[mapi_notify_sink({args})] {item}"),
        args: lex(args),
        item: lex(&item),
        expect_ok: Some(args_ok && item_ok),
    }
}

/// Picks parts from the menus and remembers whether every one picked was right.
struct Picker {
    ok: bool,
}

impl Picker {
    /// A right part three times in four, so that a good share of the blocks are correct.
    fn part(&mut self, rng: &mut Rng, parts: &[Part]) -> &'static str {
        let right: Vec<&Part> = parts.iter().filter(|(_, ok)| *ok).collect();
        let (text, ok) = if right.is_empty() || rng.one_in(4) {
            rng.pick(parts)
        } else {
            *rng.pick(&right)
        };
        self.ok &= ok;
        text
    }
}

fn impl_block(rng: &mut Rng) -> (String, bool) {
    let mut block = Picker { ok: true };
    let generics = block.part(rng, IMPL_GENERICS);
    let self_ty = block.part(rng, SELF_TYPES);
    let where_clause = block.part(rng, WHERE_CLAUSES);
    let mut items: Vec<String> = Vec::new();
    // The attribute checks the first `fn notify`; a block without one is a mistake.
    let notify_count = match rng.below(10) {
        0 => 0,
        1 => 2,
        _ => 1,
    };
    if notify_count == 0 {
        block.ok = false;
    }
    for index in 0..notify_count {
        let mut notify = Picker { ok: true };
        let qualifiers = notify.part(rng, QUALIFIERS);
        let fn_generics = notify.part(rng, FN_GENERICS);
        let params = match rng.below(12) {
            0 => {
                notify.ok = false;
                String::new()
            }
            1 => {
                notify.ok = false;
                notify.part(rng, RECEIVERS).to_string()
            }
            2 => {
                notify.ok = false;
                notify.part(rng, INFO_PARAMS).to_string()
            }
            3 => {
                notify.ok = false;
                let receiver = notify.part(rng, RECEIVERS);
                let info = notify.part(rng, INFO_PARAMS);
                format!("{receiver}, {info}, extra: u8")
            }
            _ => {
                let receiver = notify.part(rng, RECEIVERS);
                let info = notify.part(rng, INFO_PARAMS);
                format!("{receiver}, {info}")
            }
        };
        let returns = notify.part(rng, RETURNS);
        let body = rng.pick(BODIES);
        if index == 0 {
            block.ok &= notify.ok;
        }
        items.push(format!(
            "{qualifiers} fn notify{fn_generics}({params}) {returns} {body}"
        ));
    }
    for _ in 0..rng.below(3) {
        let at = rng.below(items.len() + 1);
        items.insert(at, rng.pick(OTHER_ITEMS).to_string());
    }
    let text = format!(
        "impl{generics} {self_ty} {where_clause} {{ {} }}",
        items.join(" ")
    );
    (text, block.ok)
}

/// A generated input with one to four token-level mutations in the item or the arguments.
/// Every token it adds takes the span of an input token, so "points into the input" stays a
/// question about the macro, not about the mutation.
pub fn mutated(rng: &mut Rng) -> Input {
    let mut input = generated(rng);
    for _ in 0..1 + rng.below(4) {
        if rng.one_in(4) {
            input.args = mutate(rng, input.args.clone());
        } else {
            input.item = mutate(rng, input.item.clone());
        }
    }
    input.text = format!("#[mapi_notify_sink({})] {}", input.args, input.item);
    input.expect_ok = None;
    input
}

fn mutate(rng: &mut Rng, stream: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = stream.into_iter().collect();
    let fallback_span = trees.first().map(TokenTree::span);
    // Go into a group one time in two, to mutate deep inside the block too.
    let groups: Vec<usize> = (0..trees.len())
        .filter(|&index| matches!(trees[index], TokenTree::Group(_)))
        .collect();
    if !groups.is_empty() && rng.one_in(2) {
        let index = rng.pick(&groups);
        if let TokenTree::Group(group) = &trees[index] {
            let mut inner = Group::new(group.delimiter(), mutate(rng, group.stream()));
            inner.set_span(group.span());
            trees[index] = TokenTree::Group(inner);
        }
        return trees.into_iter().collect();
    }
    let len = trees.len();
    match rng.below(8) {
        0 if len > 0 => {
            trees.remove(rng.below(len));
        }
        1 if len > 0 => {
            let index = rng.below(len);
            trees.insert(index, trees[index].clone());
        }
        2 if len > 1 => {
            let index = rng.below(len - 1);
            trees.swap(index, index + 1);
        }
        3 if len > 0 => {
            trees.truncate(rng.below(len));
        }
        4 if len > 0 => {
            // A group's contents without the group.
            let index = rng.below(len);
            if let TokenTree::Group(group) = trees[index].clone() {
                trees.splice(index..=index, group.stream());
            }
        }
        5 if len > 0 => {
            let index = rng.below(len);
            if let TokenTree::Group(group) = &trees[index] {
                let delimiter = rng.pick(&[
                    Delimiter::Parenthesis,
                    Delimiter::Brace,
                    Delimiter::Bracket,
                    Delimiter::None,
                ]);
                let mut changed = Group::new(delimiter, group.stream());
                changed.set_span(group.span());
                trees[index] = TokenTree::Group(changed);
            }
        }
        6 if len > 0 => {
            let index = rng.below(len);
            let span = trees[index].span();
            trees.splice(index..=index, pool_tokens(rng, span));
        }
        _ => {
            let index = rng.below(len + 1);
            let span = trees
                .get(index)
                .or(trees.last())
                .map(TokenTree::span)
                .or(fallback_span);
            // Nothing to borrow a span from: an empty stream stays empty.
            if let Some(span) = span {
                trees.splice(index..index, pool_tokens(rng, span));
            }
        }
    }
    trees.into_iter().collect()
}

/// A token (or two, for a lifetime or a `::`) that often matters to the macro, with `span`.
fn pool_tokens(rng: &mut Rng, span: Span) -> Vec<TokenTree> {
    const IDENTS: &[&str] = &[
        "notify",
        "self",
        "Self",
        "impl",
        "fn",
        "async",
        "const",
        "unsafe",
        "extern",
        "where",
        "for",
        "dyn",
        "mut",
        "crate",
        "T",
        "Notification",
        "u32",
        "_",
        "on_panic",
        "struct",
    ];
    const PUNCTS: &[char] = &[
        '&', ':', ',', '<', '>', '=', '#', '!', ';', '+', '?', '*', '-',
    ];
    let ident = |name: &str| TokenTree::Ident(Ident::new(name, span));
    match rng.below(6) {
        0 | 1 => vec![ident(rng.pick(IDENTS))],
        2 => vec![TokenTree::Punct(with_span(
            Punct::new(rng.pick(PUNCTS), Spacing::Alone),
            span,
        ))],
        3 => {
            let name = rng.pick(&["a", "_", "static"]);
            let quote = TokenTree::Punct(with_span(Punct::new('\'', Spacing::Joint), span));
            vec![quote, TokenTree::Ident(Ident::new(name, span))]
        }
        4 => {
            let mut literal = match rng.below(3) {
                0 => Literal::string(rng.pick(&["log", "abort", "a b", "rt"])),
                1 => Literal::u32_unsuffixed(7),
                _ => Literal::character('x'),
            };
            literal.set_span(span);
            vec![TokenTree::Literal(literal)]
        }
        _ => {
            let delimiter =
                rng.pick(&[Delimiter::Parenthesis, Delimiter::Brace, Delimiter::Bracket]);
            let mut group = Group::new(delimiter, TokenStream::new());
            group.set_span(span);
            vec![TokenTree::Group(group)]
        }
    }
}

fn with_span(mut punct: Punct, span: Span) -> Punct {
    punct.set_span(span);
    punct
}

/// Arbitrary token streams, as text and lexed (so every token has its place in the input):
/// anything from nothing to nested groups of keywords, punctuation, literals and lifetimes.
pub fn arbitrary(rng: &mut Rng) -> Input {
    let args = if rng.one_in(2) {
        String::new()
    } else {
        random_text(rng, 0)
    };
    let item = random_text(rng, 0);
    Input {
        text: format!("#[mapi_notify_sink({args})] {item}"),
        args: lex(&args),
        item: lex(&item),
        expect_ok: None,
    }
}

fn random_text(rng: &mut Rng, depth: usize) -> String {
    const WORDS: &[&str] = &[
        "impl",
        "fn",
        "notify",
        "self",
        "&self",
        "&",
        "mut",
        "Watcher",
        "Notification",
        "<",
        ">",
        "'_",
        "'a",
        "'static",
        "::",
        ":",
        ",",
        ";",
        "->",
        "=",
        "\"log\"",
        "\"abort\"",
        "crate",
        "on_panic",
        "struct",
        "enum",
        "trait",
        "for",
        "where",
        "T",
        "u32",
        "()",
        "#",
        "!",
        "async",
        "const",
        "unsafe",
        "extern",
        "\"C\"",
        "pub",
        "dyn",
        "?",
        "+",
        "0",
        "1.5",
        "'x'",
        "b\"\"",
        "r#raw",
        "..",
        "..=",
        "=>",
        "@",
        "$",
        "|",
        "*",
    ];
    let mut text = String::new();
    for _ in 0..rng.below(if depth == 0 { 24 } else { 8 }) {
        if depth < 4 && rng.one_in(5) {
            let (open, close) = rng.pick(&[("(", ")"), ("{", "}"), ("[", "]")]);
            text.push_str(open);
            text.push_str(&random_text(rng, depth + 1));
            text.push_str(close);
        } else {
            text.push_str(rng.pick(WORDS));
        }
        text.push(' ');
    }
    text
}
