//! An Outlook COM add-in built on mapi-notify-sink (Windows only).
