//! `#[outlook_events]` and `#[outlook_events(items)]`: an inherent impl whose methods are named
//! after the events of `ApplicationEvents_11` (or `ItemsEvents`) becomes an event sink's
//! handler. parse (the option, the impl) → check (each method an event, its receiver and
//! parameters of the event's shape) → expand (the `EventHandler` impl, one handler constructor
//! per method, whose type check shows the right signature for a parameter of another type).
//! On errors the author's item is emitted unchanged beside them.
//!
//! The event names here are the runtime's (`mapi_notify_sink::addin::events`), for the errors
//! that list them; the runtime has the DISPIDs and decodes the arguments. A name in one list and
//! not the other fails to build `tests/windows-capi/src/events.rs` (every `ApplicationEvents_11`
//! event) or `tests/tests/events.rs` (every `ItemsEvents` event).

use crate::addin::distance;
use crate::attr::combine;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::{FnArg, ImplItem, Item, ItemImpl, ReturnType, Type};

/// One event as the author writes it: the method, and its parameters after `&self`.
struct Shape {
    method: &'static str,
    params: &'static [(&'static str, &'static str)],
}

const ITEM: &[(&str, &str)] = &[("item", "&Dispatch")];

const APPLICATION: &[Shape] = &[
    Shape {
        method: "item_send",
        params: &[("item", "&Dispatch"), ("cancel", "&mut bool")],
    },
    Shape {
        method: "new_mail",
        params: &[],
    },
    Shape {
        method: "reminder",
        params: ITEM,
    },
    Shape {
        method: "options_pages_add",
        params: &[("pages", "&Dispatch")],
    },
    Shape {
        method: "startup",
        params: &[],
    },
    Shape {
        method: "quit",
        params: &[],
    },
    Shape {
        method: "advanced_search_complete",
        params: &[("search", "&Dispatch")],
    },
    Shape {
        method: "advanced_search_stopped",
        params: &[("search", "&Dispatch")],
    },
    Shape {
        method: "mapi_logon_complete",
        params: &[],
    },
    Shape {
        method: "new_mail_ex",
        params: &[("entry_ids", "&str")],
    },
    Shape {
        method: "item_load",
        params: ITEM,
    },
];

const ITEMS: &[Shape] = &[
    Shape {
        method: "item_add",
        params: ITEM,
    },
    Shape {
        method: "item_change",
        params: ITEM,
    },
    Shape {
        method: "item_remove",
        params: &[],
    },
];

/// Which dispinterface: the attribute's option.
struct Interface {
    /// `ApplicationEvents_11`.
    name: &'static str,
    /// The runtime's marker type and handler module.
    marker: &'static str,
    module: &'static str,
    events: &'static [Shape],
    /// The attribute as written, for the errors.
    attribute: &'static str,
}

const APPLICATION_EVENTS: Interface = Interface {
    name: "ApplicationEvents_11",
    marker: "ApplicationEvents",
    module: "application",
    events: APPLICATION,
    attribute: "#[outlook_events]",
};

const ITEMS_EVENTS: Interface = Interface {
    name: "ItemsEvents",
    marker: "ItemsEvents",
    module: "items",
    events: ITEMS,
    attribute: "#[outlook_events(items)]",
};

impl Shape {
    /// `fn item_send(&self, item: &Dispatch, cancel: &mut bool)`.
    fn signature(&self) -> String {
        let params: String = self
            .params
            .iter()
            .map(|(name, ty)| format!(", {name}: {ty}"))
            .collect();
        format!("fn {}(&self{params})", self.method)
    }
}

pub fn outlook_events(args: TokenStream, input: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(input.clone()) {
        Ok(item) => item,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#input #error);
        }
    };
    match try_expand(args.clone(), &item) {
        Ok(expanded) => expanded,
        Err(errors) => {
            let errors = errors.to_compile_error();
            let fallback = fallback(args, &item);
            quote!(#item #errors #fallback)
        }
    }
}

/// When checking failed: the `EventHandler` impl with no handlers, for a block it can be
/// written for, so that the author's `EventSink::new(...)` adds no error of its own.
fn fallback(args: TokenStream, item: &Item) -> TokenStream {
    let Item::Impl(block) = item else {
        return TokenStream::new();
    };
    if block.trait_.is_some() || !block.generics.params.is_empty() {
        return TokenStream::new();
    }
    let interface = interface(args).unwrap_or(APPLICATION_EVENTS);
    let self_ty = &block.self_ty;
    let name = self_ty.to_token_stream().to_string();
    let marker = format_ident!("{}", interface.marker);
    quote! {
        #[automatically_derived]
        impl ::mapi_notify_sink::addin::EventHandler for #self_ty {
            type Interface = ::mapi_notify_sink::addin::#marker;
            const NAME: &'static str = #name;
            const HANDLERS: &'static [::mapi_notify_sink::addin::__private::Handler<Self>] = &[];
        }
    }
}

fn try_expand(args: TokenStream, item: &Item) -> syn::Result<TokenStream> {
    let interface = interface(args)?;
    let block = match item {
        Item::Impl(block) if block.trait_.is_none() => block,
        Item::Impl(block) => {
            let (_, path, for_token) = block.trait_.as_ref().expect("a trait impl");
            return Err(syn::Error::new_spanned(
                quote!(#path #for_token),
                format!(
                    "{} goes on an inherent impl block, not a trait impl: `impl MyEvents {{ fn \
                     startup(&self) {{ ... }} }}`",
                    interface.attribute
                ),
            ));
        }
        Item::Struct(syn::ItemStruct { ident, .. }) | Item::Enum(syn::ItemEnum { ident, .. }) => {
            return Err(syn::Error::new_spanned(
                ident,
                format!(
                    "{} goes on the impl block whose methods handle the events, not on the \
                     type: `impl {ident} {{ fn startup(&self) {{ ... }} }}`",
                    interface.attribute
                ),
            ));
        }
        other => {
            return Err(syn::Error::new_spanned(
                other,
                format!(
                    "{} goes on an inherent impl block: `impl MyEvents {{ fn startup(&self) {{ \
                     ... }} }}`",
                    interface.attribute
                ),
            ))
        }
    };
    let handled = check(block, &interface)?;
    Ok(expand(block, &interface, &handled))
}

/// `items` or nothing.
fn interface(args: TokenStream) -> syn::Result<Interface> {
    if args.is_empty() {
        return Ok(APPLICATION_EVENTS);
    }
    let ident: syn::Ident = syn::parse2(args.clone()).map_err(|_| {
        syn::Error::new_spanned(
            &args,
            "#[outlook_events] takes nothing (Application's events) or `items` (a folder's \
             Items' events: ItemAdd, ItemChange, ItemRemove)",
        )
    })?;
    if ident == "items" {
        Ok(ITEMS_EVENTS)
    } else {
        Err(syn::Error::new_spanned(
            ident,
            "unknown event interface: write #[outlook_events] for Application's events or \
             #[outlook_events(items)] for a folder's Items' events",
        ))
    }
}

/// Each method with its event, or every mistake at the tokens that are wrong.
fn check<'a>(
    block: &'a ItemImpl,
    interface: &Interface,
) -> syn::Result<Vec<(&'a syn::ImplItemFn, &'static Shape)>> {
    let mut errors = None;
    let mut error = |tokens: &dyn ToTokens, message: String| {
        combine(
            &mut errors,
            syn::Error::new_spanned(tokens.to_token_stream(), message),
        );
    };
    if !block.generics.params.is_empty() {
        error(
            &block.generics,
            "an event sink's type cannot be generic: Outlook calls one concrete type; name it, \
             `impl MyEvents { ... }`"
                .into(),
        );
    }
    let names: Vec<&str> = interface.events.iter().map(|shape| shape.method).collect();
    let mut handled = Vec::new();
    for item in &block.items {
        let ImplItem::Fn(method) = item else {
            continue;
        };
        let sig = &method.sig;
        let name = sig.ident.to_string();
        let Some(shape) = interface.events.iter().find(|shape| shape.method == name) else {
            let other = if interface.name == APPLICATION_EVENTS.name {
                &ITEMS_EVENTS
            } else {
                &APPLICATION_EVENTS
            };
            if other.events.iter().any(|shape| shape.method == name) {
                error(
                    &sig.ident,
                    format!(
                        "`{name}` is an event of {}, not of {}: handle it in an impl block of \
                         another type, with {} (one type per event interface)",
                        other.name, interface.name, other.attribute
                    ),
                );
                continue;
            }
            let near = names
                .iter()
                .filter(|event| distance(&name, event) <= 3)
                .min_by_key(|event| distance(&name, event))
                .map(|event| format!("did you mean `{event}`? "))
                .unwrap_or_default();
            error(
                &sig.ident,
                format!(
                    "`{name}` is not an event of {}, so nothing would call it: {near}its events \
                     are {} (a helper of your own goes in another impl block)",
                    interface.name,
                    names
                        .iter()
                        .map(|event| format!("`{event}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        };
        let right = shape.signature();
        if let Some(token) = sig
            .constness
            .as_ref()
            .map(|t| t.to_token_stream())
            .or(sig.asyncness.as_ref().map(|t| t.to_token_stream()))
            .or(sig.unsafety.as_ref().map(|t| t.to_token_stream()))
            .or(sig.abi.as_ref().map(|t| t.to_token_stream()))
        {
            error(
                &token,
                format!("an event's method is a plain method: `{right}`"),
            );
        }
        if !sig.generics.params.is_empty() {
            error(
                &sig.generics,
                format!("an event's method cannot be generic: `{right}`"),
            );
        }
        match sig.inputs.first() {
            Some(FnArg::Receiver(receiver))
                if receiver.reference.is_some() && receiver.mutability.is_none() => {}
            Some(FnArg::Receiver(receiver)) if receiver.mutability.is_some() => error(
                receiver,
                format!(
                    "events are delivered through a shared reference (Outlook may call one \
                     event inside another): `{right}`; keep changing state in a `Cell` or \
                     `RefCell`"
                ),
            ),
            _ => error(
                &sig.ident,
                format!("an event's method takes `&self`: `{right}`"),
            ),
        }
        let params: Vec<&syn::PatType> = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(param) => Some(param),
                FnArg::Receiver(_) => None,
            })
            .collect();
        if params.len() != shape.params.len() {
            let missing = shape
                .params
                .get(params.len())
                .filter(|_| params.len() < shape.params.len());
            let what = match missing {
                Some(("cancel", _)) => {
                    " (`cancel: &mut bool`: set `*cancel = true` to stop it)".to_string()
                }
                Some((name, ty)) => format!(" (`{name}: {ty}` is missing)"),
                None => String::new(),
            };
            error(
                &sig.inputs,
                format!(
                    "{}.{} sends {} argument(s): `{right}`{what}",
                    interface.name,
                    name,
                    shape.params.len()
                ),
            );
        } else {
            for (param, (param_name, ty)) in params.iter().zip(shape.params) {
                let by_mut = ty.starts_with("&mut");
                let ok = match &*param.ty {
                    Type::Reference(reference) => reference.mutability.is_some() == by_mut,
                    _ => false,
                };
                if !ok {
                    let advice = if by_mut {
                        " (set `*cancel = true` to stop it)"
                    } else {
                        " (borrowed for the call)"
                    };
                    error(
                        &param.ty,
                        format!("`{param_name}` is `{ty}`{advice}: `{right}`"),
                    );
                }
            }
        }
        if let ReturnType::Type(_, ty) = &sig.output {
            error(
                ty,
                format!("an event's method returns nothing (Outlook ignores what an event returns): `{right}`"),
            );
        }
        handled.push((method, shape));
    }
    errors.map_or(Ok(handled), Err)
}

fn expand(
    block: &ItemImpl,
    interface: &Interface,
    handled: &[(&syn::ImplItemFn, &'static Shape)],
) -> TokenStream {
    let self_ty = &block.self_ty;
    let name = self_ty.to_token_stream().to_string();
    let marker = format_ident!("{}", interface.marker);
    let module = format_ident!("{}", interface.module);
    let handlers = handled.iter().map(|(method, shape)| {
        let ident = &method.sig.ident;
        let constructor = format_ident!("{}", shape.method);
        // Spanned at the method: a parameter of another type is reported there, with the
        // expected fn pointer type, which is the right signature.
        quote_spanned! {ident.span()=>
            ::mapi_notify_sink::addin::__private::#module::#constructor::<Self>(Self::#ident)
        }
    });
    let once = syn::Ident::new(
        "one_outlook_events_impl_per_type__put_every_event_in_one_impl__one_type_per_interface",
        Span::call_site(),
    );
    quote! {
        #block

        #[automatically_derived]
        impl ::mapi_notify_sink::addin::EventHandler for #self_ty {
            type Interface = ::mapi_notify_sink::addin::#marker;
            const NAME: &'static str = #name;
            const HANDLERS: &'static [::mapi_notify_sink::addin::__private::Handler<Self>] = &[
                #(#handlers,)*
            ];
        }

        #[doc(hidden)]
        #[allow(non_upper_case_globals, dead_code)]
        impl #self_ty {
            const #once: () = ();
        }
    }
}
