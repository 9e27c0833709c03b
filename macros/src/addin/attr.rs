//! `#[outlook_addin]`'s options: `clsid`, `progid`, `name`, `description` (all required),
//! `load_behavior`, `shutdown_notification`, `log_level`, `log` and `crate`.

use crate::attr::{combine, has_value, krate, once, skip_to_comma};
use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::{LitInt, LitStr, Path};

/// The options, as far as they were read.
pub struct Options {
    /// The CLSID as one number (`GUID::from_u128`).
    pub clsid: Option<u128>,
    pub progid: Option<LitStr>,
    pub name: Option<LitStr>,
    pub description: Option<LitStr>,
    pub load_behavior: u32,
    /// Ask Outlook for `OnBeginShutdown` and `OnDisconnection` at its exit.
    pub shutdown_notification: bool,
    /// The log file's level.
    pub log_level: String,
    /// Whether the library logs to its file.
    pub log: bool,
    /// The runtime crate, `::mapi_notify_sink` unless renamed.
    pub krate: Path,
}

const EXAMPLE: &str = "#[outlook_addin(clsid = \"F8B51E39-75C3-43EF-BAE8-D60096161F06\", \
    progid = \"Contoso.OfflineLog\", name = \"Offline log\", description = \"What it does\")]";

/// The `LoadBehavior` values Office documents: bit 0 connected, bit 1 load at start-up, 8 load
/// on demand, 16 connect once then 9.
const LOAD_BEHAVIORS: [u32; 7] = [0, 1, 2, 3, 8, 9, 16];

/// Reads every option, reporting every mistake (a missing option at the attribute).
pub fn parse(args: TokenStream) -> (Options, Option<syn::Error>) {
    let mut options = Options {
        clsid: None,
        progid: None,
        name: None,
        description: None,
        load_behavior: 3,
        shutdown_notification: false,
        log_level: "info".into(),
        log: true,
        krate: syn::parse_quote!(::mapi_notify_sink),
    };
    let mut errors = None;
    let mut seen = [false; 9];
    let parser = syn::meta::parser(|meta| {
        let name = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        let index = [
            "clsid",
            "progid",
            "name",
            "description",
            "load_behavior",
            "crate",
            "shutdown_notification",
            "log_level",
            "log",
        ]
        .iter()
        .position(|option| *option == name);
        let result = match index {
            Some(index) => once(&mut seen[index], &meta)
                .and_then(|()| has_value(&meta, &format!("{name} = ...")))
                .and_then(|()| read(&mut options, index, &meta)),
            None => {
                skip_to_comma(meta.input)?;
                Err(meta.error(format!(
                    "unknown option `{name}`; the options are `clsid`, `progid`, `name`, \
                     `description`, and optionally `load_behavior`, `shutdown_notification`, \
                     `log_level`, `log` and `crate`: {EXAMPLE}"
                )))
            }
        };
        if let Err(error) = result {
            combine(&mut errors, error);
            skip_to_comma(meta.input)?;
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        combine(&mut errors, error);
    }
    for (given, option, what) in [
        (
            options.clsid.is_some() || seen[0],
            "clsid",
            "the add-in's own GUID, `clsid = \"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\"`",
        ),
        (
            options.progid.is_some() || seen[1],
            "progid",
            "how Outlook finds it, `progid = \"Company.AddIn\"`",
        ),
        (
            options.name.is_some() || seen[2],
            "name",
            "its name in Outlook's add-in list, `name = \"...\"`",
        ),
        (
            options.description.is_some() || seen[3],
            "description",
            "its description there, `description = \"...\"`",
        ),
    ] {
        if !given {
            combine(
                &mut errors,
                syn::Error::new(
                    Span::call_site(),
                    format!("#[outlook_addin] needs `{option}`: {what}"),
                ),
            );
        }
    }
    (options, errors)
}

fn read(
    options: &mut Options,
    index: usize,
    meta: &syn::meta::ParseNestedMeta<'_>,
) -> syn::Result<()> {
    match index {
        0 => options.clsid = Some(clsid(meta.value()?.parse()?)?),
        1 => options.progid = Some(progid(meta.value()?.parse()?)?),
        2 => options.name = Some(text(meta.value()?.parse()?, "name")?),
        3 => options.description = Some(text(meta.value()?.parse()?, "description")?),
        4 => {
            let value: LitInt = meta.value()?.parse()?;
            options.load_behavior = value
                .base10_parse()
                .ok()
                .filter(|behavior| LOAD_BEHAVIORS.contains(behavior))
                .ok_or_else(|| {
                    syn::Error::new_spanned(
                        &value,
                        "`load_behavior` is one of Office's values: 3 loads the add-in at \
                         start-up (the usual one); 8 and 9 load it on demand, 16 at the first \
                         start and then on demand; 0, 1 and 2 do not load it at start-up (2 is \
                         what Office writes when it has disabled an add-in)",
                    )
                })?;
        }
        5 => options.krate = krate(meta.value()?.parse()?)?,
        6 => {
            options.shutdown_notification = boolean(
                meta,
                "`shutdown_notification` is `true` (Outlook calls OnBeginShutdown and \
                 OnDisconnection at its exit) or `false` (the default: it does not)",
            )?
        }
        7 => {
            let value: LitStr = meta.value()?.parse()?;
            let level = value.value().to_ascii_lowercase();
            if !LOG_LEVELS.contains(&level.as_str()) {
                return Err(syn::Error::new_spanned(
                    &value,
                    "`log_level` is one of \"off\", \"error\", \"warn\", \"info\" (the \
                     default), \"debug\" or \"trace\" (the environment variable \
                     MAPI_NOTIFY_SINK_LOG overrides it when the add-in runs)",
                ));
            }
            options.log_level = level;
        }
        _ => {
            options.log = boolean(
                meta,
                "`log` is `true` (the default: the library logs to its file unless a logger is \
                 installed already) or `false` (every record goes to a logger of your own)",
            )?
        }
    }
    Ok(())
}

/// The levels `log_level` takes.
const LOG_LEVELS: [&str; 6] = ["off", "error", "warn", "info", "debug", "trace"];

/// `true` or `false`, else `message` at the value.
fn boolean(meta: &syn::meta::ParseNestedMeta<'_>, message: &str) -> syn::Result<bool> {
    let value: syn::LitBool = meta
        .value()?
        .parse()
        .map_err(|error| syn::Error::new(error.span(), message))?;
    Ok(value.value)
}

/// `"F8B51E39-75C3-43EF-BAE8-D60096161F06"` (braces allowed) as one number.
fn clsid(value: LitStr) -> syn::Result<u128> {
    let text = value.value();
    let trimmed = text.trim_start_matches('{').trim_end_matches('}');
    let groups: Vec<&str> = trimmed.split('-').collect();
    let well_formed = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()));
    if !well_formed {
        return Err(syn::Error::new_spanned(
            &value,
            "`clsid` is a GUID written \"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\" (32 hex digits in \
             groups of 8-4-4-4-12); make a new one for each add-in (`uuidgen`, or \
             `[guid]::NewGuid()` in PowerShell)",
        ));
    }
    Ok(u128::from_str_radix(&groups.concat(), 16).expect("32 hex digits"))
}

/// A ProgID: `Company.Component`, at most 39 characters, no spaces or backslashes, not
/// starting with a digit (what the registry and Outlook accept).
fn progid(value: LitStr) -> syn::Result<LitStr> {
    let text = value.value();
    let valid = !text.is_empty()
        && text.len() <= 39
        && text.contains('.')
        && !text.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    if !valid {
        return Err(syn::Error::new_spanned(
            &value,
            "`progid` is how Outlook finds the add-in: `Company.AddIn` (letters, digits, `_` and \
             at least one `.`, at most 39 characters, not starting with a digit)",
        ));
    }
    Ok(value)
}

fn text(value: LitStr, option: &str) -> syn::Result<LitStr> {
    if value.value().trim().is_empty() {
        return Err(syn::Error::new_spanned(
            &value,
            format!("`{option}` is shown in Outlook's add-in list: give it some text"),
        ));
    }
    Ok(value)
}
