//! The two sink kinds the attributes make. What differs between them is data: the method the
//! user writes, its parameter, the runtime trait the expansion implements, and the words the
//! errors use. Everything else (parse → check → expand) is shared.

pub struct Kind {
    /// The attribute's name.
    pub attribute: &'static str,
    /// The COM interface the sink implements.
    pub interface: &'static str,
    /// Who calls the sink, as the errors say it.
    pub caller: &'static str,
    /// The method the user writes.
    pub method: &'static str,
    /// Its parameter's usual name, and what it holds.
    pub param: &'static str,
    pub param_noun: &'static str,
    /// The parameter's type, as the user writes it and in full.
    pub param_type: &'static str,
    pub param_path: &'static str,
    /// What `unsafe` would wrongly suggest the parameter is.
    pub checked: &'static str,
    /// Why the method returns nothing.
    pub returns: &'static str,
    /// The runtime trait (`__private::<handler>`) and its method.
    pub handler: &'static str,
    pub handler_method: &'static str,
    /// The other kind's attribute, for a block that has the other kind's method instead.
    pub other: fn() -> &'static Kind,
}

/// `#[mapi_notify_sink]`: Outlook's `IMAPIOfflineNotify`.
pub const OFFLINE: Kind = Kind {
    attribute: "mapi_notify_sink",
    interface: "IMAPIOfflineNotify",
    caller: "Outlook",
    method: "notify",
    param: "info",
    param_noun: "notification",
    param_type: "Notification",
    param_path: "mapi_notify_sink::Notification",
    checked: "an already checked notification",
    returns: "Outlook's Notify returns void",
    handler: "NotifySink",
    handler_method: "__notify",
    other: || &ADVISE,
};

/// `#[mapi_advise_sink]`: MAPI's `IMAPIAdviseSink`.
pub const ADVISE: Kind = Kind {
    attribute: "mapi_advise_sink",
    interface: "IMAPIAdviseSink",
    caller: "MAPI",
    method: "on_notify",
    param: "events",
    param_noun: "events",
    param_type: "Events",
    param_path: "mapi_notify_sink::advise_sink::Events",
    checked: "notifications it reads safely for you",
    returns: "the runtime returns 0 to MAPI's OnNotify, as MAPI asks",
    handler: "AdviseHandler",
    handler_method: "__on_notify",
    other: || &OFFLINE,
};

impl Kind {
    /// `fn notify(&self, info: &Notification<'_>)`: what the user should write.
    pub fn signature(&self) -> String {
        format!(
            "fn {}(&self, {}: &{}<'_>)",
            self.method, self.param, self.param_type
        )
    }

    /// The identifier `name` at the call site.
    pub fn ident(name: &str) -> syn::Ident {
        syn::Ident::new(name, proc_macro2::Span::call_site())
    }
}
