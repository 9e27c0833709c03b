//! The macro's model of its input: the impl block and the sink's method (`fn notify`,
//! `fn on_notify`) in it.

use crate::kind::Kind;
use syn::{ImplItem, ImplItemFn, Item, ItemImpl};

pub struct SinkImpl<'a> {
    pub kind: &'static Kind,
    pub item: &'a ItemImpl,
    /// The sink's method (`kind.method`), if the block has one.
    pub method: Option<&'a ImplItemFn>,
}

impl<'a> SinkImpl<'a> {
    /// The impl block the attribute is on, or an error saying where the attribute goes.
    pub fn from_item(kind: &'static Kind, item: &'a Item) -> syn::Result<Self> {
        let (attribute, method, signature) = (kind.attribute, kind.method, kind.signature());
        let item = match item {
            Item::Impl(item) => item,
            Item::Struct(syn::ItemStruct { ident, .. })
            | Item::Enum(syn::ItemEnum { ident, .. })
            | Item::Union(syn::ItemUnion { ident, .. }) => {
                return Err(syn::Error::new_spanned(
                    ident,
                    format!(
                        "#[{attribute}] goes on the impl block that defines `{method}`, not on the type: \
                         move it to `impl {ident} {{ {signature} {{ ... }} }}`"
                    ),
                ));
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    format!(
                        "#[{attribute}] goes on an inherent impl block: \
                         `impl MySink {{ {signature} {{ ... }} }}`"
                    ),
                ));
            }
        };
        if let Some((_, trait_path, for_token)) = &item.trait_ {
            let trait_path = quote::quote!(#trait_path #for_token);
            return Err(syn::Error::new_spanned(
                trait_path,
                format!(
                    "#[{attribute}] goes on an inherent impl block, not a trait impl: \
                     write `impl MySink {{ {signature} {{ ... }} }}`"
                ),
            ));
        }
        let method = item.items.iter().find_map(|item| match item {
            ImplItem::Fn(function) if function.sig.ident == kind.method => Some(function),
            _ => None,
        });
        Ok(Self { kind, item, method })
    }
}
