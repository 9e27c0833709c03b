//! The model of `#[outlook_addin]`'s input: the impl block and its three methods.

use syn::{ImplItem, ImplItemFn, Item, ItemImpl};

pub struct AddInImpl<'a> {
    pub item: &'a ItemImpl,
    pub on_connection: Option<&'a ImplItemFn>,
    pub on_disconnection: Option<&'a ImplItemFn>,
    pub on_startup_complete: Option<&'a ImplItemFn>,
    /// The impl block's other methods (the author's own, or a hook misspelt).
    pub others: Vec<&'a ImplItemFn>,
}

/// The hooks the attribute calls.
pub const HOOKS: [&str; 3] = ["on_connection", "on_startup_complete", "on_disconnection"];

const SHAPE: &str =
    "`impl MyAddIn { fn on_connection(&self, outlook: &Outlook) -> Result<()> { ... } }`";

impl<'a> AddInImpl<'a> {
    /// The inherent impl block the attribute is on, or an error saying where it goes.
    pub fn from_item(item: &'a Item) -> syn::Result<Self> {
        let item = match item {
            Item::Impl(item) => item,
            Item::Struct(syn::ItemStruct { ident, .. })
            | Item::Enum(syn::ItemEnum { ident, .. }) => {
                return Err(syn::Error::new_spanned(
                    ident,
                    format!("#[outlook_addin] goes on the impl block that defines `on_connection`, not on the type: {SHAPE}"),
                ));
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    format!("#[outlook_addin] goes on an inherent impl block: {SHAPE}"),
                ));
            }
        };
        if let Some((_, trait_path, for_token)) = &item.trait_ {
            return Err(syn::Error::new_spanned(
                quote::quote!(#trait_path #for_token),
                format!(
                    "#[outlook_addin] goes on an inherent impl block, not a trait impl: {SHAPE}"
                ),
            ));
        }
        let method = |name: &str| {
            item.items.iter().find_map(|item| match item {
                ImplItem::Fn(function) if function.sig.ident == name => Some(function),
                _ => None,
            })
        };
        Ok(Self {
            item,
            on_connection: method("on_connection"),
            on_disconnection: method("on_disconnection"),
            on_startup_complete: method("on_startup_complete"),
            others: item
                .items
                .iter()
                .filter_map(|item| match item {
                    ImplItem::Fn(function)
                        if !HOOKS.iter().any(|hook| function.sig.ident == hook) =>
                    {
                        Some(function)
                    }
                    _ => None,
                })
                .collect(),
        })
    }
}
