//! The macro's model of its input: the impl block and its `fn notify`.

use syn::{ImplItem, ImplItemFn, Item, ItemImpl};

pub struct SinkImpl<'a> {
    pub item: &'a ItemImpl,
    pub notify: Option<&'a ImplItemFn>,
}

impl<'a> SinkImpl<'a> {
    /// The impl block the attribute is on, or an error saying where the attribute goes.
    pub fn from_item(item: &'a Item) -> syn::Result<Self> {
        let item = match item {
            Item::Impl(item) => item,
            Item::Struct(syn::ItemStruct { ident, .. })
            | Item::Enum(syn::ItemEnum { ident, .. })
            | Item::Union(syn::ItemUnion { ident, .. }) => {
                return Err(syn::Error::new_spanned(
                    ident,
                    format!(
                        "#[mapi_notify_sink] goes on the impl block that defines `notify`, not on the type: \
                         move it to `impl {ident} {{ fn notify(&self, info: &Notification<'_>) {{ ... }} }}`"
                    ),
                ));
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "#[mapi_notify_sink] goes on an inherent impl block: \
                     `impl MySink { fn notify(&self, info: &Notification<'_>) { ... } }`",
                ));
            }
        };
        if let Some((_, trait_path, for_token)) = &item.trait_ {
            let trait_path = quote::quote!(#trait_path #for_token);
            return Err(syn::Error::new_spanned(
                trait_path,
                "#[mapi_notify_sink] goes on an inherent impl block, not a trait impl: \
                 write `impl MySink { fn notify(&self, info: &Notification<'_>) { ... } }`",
            ));
        }
        let notify = item.items.iter().find_map(|item| match item {
            ImplItem::Fn(function) if function.sig.ident == "notify" => Some(function),
            _ => None,
        });
        Ok(Self { item, notify })
    }
}
