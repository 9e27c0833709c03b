// The data half of the Outlook Offline State API header (mapioffline.h): MAPIOFFLINE_NOTIFY and
// its constants, with the layout checked against the sizes the header documents (24 bytes).
// Shared by the two C++ callers,
// tests/cpp/notify_caller.cpp (its own IUnknown, any OS) and tests/windows-capi/cpp/caller.cpp
// (mingw-w64's real Windows headers). Each declares IMAPIOfflineNotify itself, after its own
// IUnknown. Include it after ULONG is defined (<windows.h>, or a 32-bit typedef).

#ifndef MAPI_NOTIFY_SINK_TESTS_MAPIOFFLINE_H
#define MAPI_NOTIFY_SINK_TESTS_MAPIOFFLINE_H

#include <stddef.h>

typedef enum {
    MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START = 1,
    MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE = 2,
    MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE = 3
} MAPIOFFLINE_NOTIFY_TYPE;

#define MAPIOFFLINE_STATE_OFFLINE_MASK 0x00000003
#define MAPIOFFLINE_STATE_OFFLINE 0x00000001
#define MAPIOFFLINE_STATE_ONLINE 0x00000002

typedef struct {
    ULONG ulSize;
    MAPIOFFLINE_NOTIFY_TYPE NotifyType;
    ULONG ulClientToken;
    union {
        struct {
            ULONG ulMask;
            ULONG ulStateOld;
            ULONG ulStateNew;
        } StateChange;
    } Info;
} MAPIOFFLINE_NOTIFY;

static_assert(sizeof(ULONG) == 4, "ULONG is 32-bit, as on Windows (LLP64)");
static_assert(sizeof(MAPIOFFLINE_NOTIFY_TYPE) == 4, "C enums are 4 bytes");
static_assert(sizeof(MAPIOFFLINE_NOTIFY) == 24, "MAPIOFFLINE_NOTIFY is 24 bytes");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, ulSize) == 0, "ulSize at 0");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, NotifyType) == 4, "NotifyType at 4");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, ulClientToken) == 8, "ulClientToken at 8");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, Info) == 12, "Info at 12");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, Info.StateChange.ulMask) == 12, "ulMask at 12");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, Info.StateChange.ulStateOld) == 16, "ulStateOld at 16");
static_assert(offsetof(MAPIOFFLINE_NOTIFY, Info.StateChange.ulStateNew) == 20, "ulStateNew at 20");

#endif
