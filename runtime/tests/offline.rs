//! `Notify` (slot 3) as Outlook calls it: a `MAPIOFFLINE_NOTIFY` in the caller's memory, of the
//! size the caller says, decoded into the `Notification` the user's `notify` sees. (What every
//! sink kind shares, panics included, is `com.rs`'s.)

mod support;

use core::ptr;
use mapi_notify_sink::{ConnectionState, NotifyKind, StateChange};
use support::*;

/// Sends `fields` as a `size`-byte notification (in a block of exactly that size) through the
/// vtable of a fresh recording sink; returns what its `notify` saw and what was logged.
fn deliver(fields: MapiOfflineNotify, size: u32) -> (Vec<Seen>, Logged) {
    let (sink, drops) = Recorder::sink();
    let sent = NotifyBuffer::new(fields, size);
    // SAFETY: `sink` holds a reference; `sent` covers `size` bytes (at least 4).
    let ((), logged) = capture_logs(|| unsafe { notify(sink.as_raw(), sent.as_ptr()) });
    let seen = sink.take();
    if let [one] = seen.as_slice() {
        assert_eq!(one.raw, sent.as_received(), "raw() for ulSize {size}");
    }
    drop(sink);
    drops.assert_once();
    (seen, logged)
}

/// Delivers a complete notification and returns the one call it must produce.
fn deliver_one(fields: MapiOfflineNotify) -> Seen {
    let (seen, _) = deliver(fields, 24);
    assert_eq!(seen.len(), 1, "{fields:?}");
    seen[0]
}

const ONLINE_TO_OFFLINE: Option<StateChange> = Some(StateChange {
    old: ConnectionState::Online,
    new: ConnectionState::Offline,
});

#[test]
fn notify_kind_is_decoded_from_notify_type() {
    for (notify_type, kind) in [
        (STATECHANGE_START, NotifyKind::StateChangeStart),
        (STATECHANGE, NotifyKind::StateChange),
        (STATECHANGE_DONE, NotifyKind::StateChangeDone),
        (7, NotifyKind::Other(7)),
        (0, NotifyKind::Other(0)),
    ] {
        let seen = deliver_one(MapiOfflineNotify::state_change(
            notify_type,
            1,
            ONLINE,
            OFFLINE,
        ));
        assert_eq!(seen.kind, kind, "NotifyType {notify_type}");
    }
}

#[test]
fn notify_passes_the_client_token_through() {
    for token in [0, 0x5eed, u32::MAX] {
        let seen = deliver_one(MapiOfflineNotify::state_change(
            STATECHANGE,
            token,
            ONLINE,
            OFFLINE,
        ));
        assert_eq!(seen.client_token, token);
    }
}

#[test]
fn state_change_is_reported_for_each_state_change_kind() {
    for notify_type in [STATECHANGE_START, STATECHANGE, STATECHANGE_DONE] {
        let seen = deliver_one(MapiOfflineNotify::state_change(
            notify_type,
            1,
            ONLINE,
            OFFLINE,
        ));
        assert_eq!(
            seen.state_change, ONLINE_TO_OFFLINE,
            "NotifyType {notify_type}"
        );
    }
}

// The header says Info is only meaningful for the state-change kinds.
#[test]
fn state_change_is_none_for_other_kinds() {
    for notify_type in [0, 4, 7] {
        let seen = deliver_one(MapiOfflineNotify::state_change(
            notify_type,
            1,
            ONLINE,
            OFFLINE,
        ));
        assert_eq!(seen.state_change, None, "NotifyType {notify_type}");
    }
}

// Other masks report other state bits, whose ulStateOld/ulStateNew are not online/offline.
#[test]
fn state_change_requires_ul_mask_to_be_exactly_the_offline_mask() {
    for (mask, expected) in [
        (OFFLINE_MASK, ONLINE_TO_OFFLINE),
        (0x100, None),
        (0x7, None),
        (0x1, None),
        (0x0, None),
    ] {
        let seen = deliver_one(MapiOfflineNotify {
            ulMask: mask,
            ..MapiOfflineNotify::state_change(STATECHANGE, 1, ONLINE, OFFLINE)
        });
        assert_eq!(seen.state_change, expected, "ulMask {mask:#x}");
    }
}

#[test]
fn connection_state_reads_only_the_offline_bits() {
    for (state, expected) in [
        (0x1, ConnectionState::Offline),
        (0x2, ConnectionState::Online),
        (0x0, ConnectionState::Other(0)),
        (0x3, ConnectionState::Other(3)),
        (0x102, ConnectionState::Online),
        (0x0030_0001, ConnectionState::Offline),
        (0xffff_fffc, ConnectionState::Other(0)),
    ] {
        // The other field always holds the complement, so reading the wrong field would show.
        let change = |old, new| {
            deliver_one(MapiOfflineNotify::state_change(STATECHANGE, 1, old, new))
                .state_change
                .expect("a state change")
        };
        assert_eq!(change(state, !state).old, expected, "ulStateOld {state:#x}");
        assert_eq!(change(!state, state).new, expected, "ulStateNew {state:#x}");
    }
}

#[test]
fn notify_shorter_than_the_12_byte_header_is_ignored_with_a_warning() {
    for size in [0, 4, 8, 11] {
        let (seen, logged) = deliver(
            MapiOfflineNotify::state_change(STATECHANGE, 1, ONLINE, OFFLINE),
            size,
        );
        assert_eq!(seen, [], "notify called for ulSize {size}");
        let warnings = logged.at(log::Level::Warn);
        assert_eq!(warnings.len(), 1, "ulSize {size}: {logged:?}");
        assert!(
            warnings[0].contains(&format!("ulSize {size}")),
            "the warning should name the size: {}",
            warnings[0]
        );
    }
}

#[test]
fn null_notification_is_ignored_with_a_warning() {
    let (sink, drops) = Recorder::sink();
    // SAFETY: `sink` holds a reference; a null info pointer is the case under test.
    let ((), logged) = capture_logs(|| unsafe { notify(sink.as_raw(), ptr::null()) });
    assert_eq!(sink.take(), []);
    let warnings = logged.at(log::Level::Warn);
    assert_eq!(warnings.len(), 1, "{logged:?}");
    assert!(warnings[0].contains("null"), "{}", warnings[0]);
    drop(sink);
    drops.assert_once();
}

// A caller may send the header and part of Info: notify runs, but half an Info is not a state
// change, and what was not sent reads as zero rather than as the caller's neighbouring memory.
#[test]
fn notify_without_all_of_info_is_delivered_without_a_state_change() {
    let fields = MapiOfflineNotify::state_change(STATECHANGE_DONE, 0xc0ffee, ONLINE, OFFLINE);
    for size in [12, 16, 20, 23] {
        let (seen, logged) = deliver(fields, size);
        assert_eq!(seen.len(), 1, "notify not called for ulSize {size}");
        let seen = seen[0];
        assert_eq!(seen.kind, NotifyKind::StateChangeDone);
        assert_eq!(seen.client_token, 0xc0ffee);
        assert_eq!(seen.state_change, None, "ulSize {size}");
        assert_eq!(seen.raw_fields().ulSize, size);
        assert!(logged.at(log::Level::Warn).is_empty(), "{logged:?}");
    }

    // Spelled out for one size: ulMask was sent, the states were not.
    let (seen, _) = deliver(fields, 16);
    assert_eq!(
        seen[0].raw_fields(),
        MapiOfflineNotify {
            ulSize: 16,
            ulStateOld: 0,
            ulStateNew: 0,
            ..fields
        }
    );
}

#[test]
fn notify_with_23_bytes_copies_the_three_bytes_sent_of_ul_state_new() {
    let fields = MapiOfflineNotify::state_change(STATECHANGE, 9, ONLINE, 0x7766_5502);
    let (seen, _) = deliver(fields, 23);
    let received = seen[0].raw;
    assert_eq!(received[20..23], fields.to_bytes()[20..23]);
    assert_eq!(received[23], 0);
}

#[test]
fn notify_with_exactly_24_bytes_decodes_everything() {
    let fields = MapiOfflineNotify::state_change(STATECHANGE, 0x1234_5678, ONLINE, OFFLINE);
    let (seen, logged) = deliver(fields, 24);
    assert_eq!(
        seen,
        [Seen {
            kind: NotifyKind::StateChange,
            client_token: 0x1234_5678,
            state_change: ONLINE_TO_OFFLINE,
            raw: fields.to_bytes(),
        }]
    );
    assert!(logged.0.is_empty(), "{logged:?}");
}

// A newer Outlook may send a larger struct; what follows the known 24 bytes is not read.
#[test]
fn notify_ignores_bytes_past_24() {
    let fields = MapiOfflineNotify::state_change(STATECHANGE_START, 3, OFFLINE, ONLINE);
    let (seen, _) = deliver(fields, 64);
    assert_eq!(
        seen,
        [Seen {
            kind: NotifyKind::StateChangeStart,
            client_token: 3,
            state_change: Some(StateChange {
                old: ConnectionState::Offline,
                new: ConnectionState::Online,
            }),
            raw: MapiOfflineNotify {
                ulSize: 64,
                ..fields
            }
            .to_bytes(),
        }]
    );
}

/// `ConnectionState`'s written-out `PartialEq` is the derived equality: same variant, and for
/// `Other` the same value, over the states `from_bits` makes and values it never makes.
#[test]
fn connection_state_equality_is_same_variant_and_same_value() {
    use ConnectionState::*;
    fn derived(a: ConnectionState, b: ConnectionState) -> bool {
        match (a, b) {
            (Online, Online) | (Offline, Offline) => true,
            (Other(x), Other(y)) => x == y,
            _ => false,
        }
    }
    let mut values = vec![Online, Offline];
    for bits in [0, 1, 2, 3, 4, 5, 0x103, 0x8000_0001, u32::MAX] {
        values.push(Other(bits));
        values.push(ConnectionState::from_bits(bits));
    }
    use std::hash::BuildHasher;
    let hasher = std::hash::RandomState::new();
    for &a in &values {
        for &b in &values {
            assert_eq!(a == b, derived(a, b), "{a:?} == {b:?}");
            assert_eq!(a != b, !derived(a, b), "{a:?} != {b:?}");
            if a == b {
                assert_eq!(
                    hasher.hash_one(a),
                    hasher.hash_one(b),
                    "Hash agrees with Eq"
                );
            }
        }
    }
    // What `from_bits` makes compares by the masked bits.
    for old in 0..16 {
        for new in 0..16 {
            assert_eq!(
                ConnectionState::from_bits(old) == ConnectionState::from_bits(new),
                old & 3 == new & 3
            );
        }
    }
}
