// A Windows C++ caller of a `#[mapi_notify_sink]` sink, written the way an Outlook-side C++
// programmer would: mingw-w64's real <unknwn.h>/<objbase.h> for IUnknown, IMarshal, GUIDs and
// COM, and IMAPIOfflineNotify / MAPIOFFLINE_NOTIFY declared as the Windows headers declare
// interfaces (MIDL_INTERFACE, STDMETHODCALLTYPE). The sink comes from the Rust static library
// of tests/windows-capi (its C API only creates the sink and reports what `notify` recorded);
// every COM call below is an ordinary C++ virtual call through the Rust vtable.
//
// Built and run under Wine by scripts/windows/cpp-caller.sh. Prints one line per check and a
// final `cpp-caller: N passed, M failed`; exits 1 if any check failed.

#include <objbase.h>
#include <unknwn.h>

#include <fcntl.h>
#include <io.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

// --- The Outlook Offline State API, as its C/C++ header declares it -------------------------

// MAPIOFFLINE_NOTIFY, shared with the other C++ caller.
#include "../../cpp/mapioffline.h"

MIDL_INTERFACE("0317bde5-fc29-44cd-8dcd-36125a3be9ec")
IMAPIOfflineNotify : public IUnknown {
public:
    virtual void STDMETHODCALLTYPE Notify(const MAPIOFFLINE_NOTIFY* pNotifyInfo) = 0;
};
// mingw's MIDL_INTERFACE drops the uuid; this is what makes __uuidof(IMAPIOfflineNotify) work.
__CRT_UUID_DECL(IMAPIOfflineNotify, 0x0317bde5, 0xfc29, 0x44cd, 0x8d, 0xcd, 0x36, 0x12, 0x5a,
                0x3b, 0xe9, 0xec)

// Defined here, after every system header, so only these GUIDs are emitted in this file.
#include <initguid.h>
DEFINE_GUID(IID_IMAPIOfflineNotify, 0x0317bde5, 0xfc29, 0x44cd, 0x8d, 0xcd, 0x36, 0x12, 0x5a,
            0x3b, 0xe9, 0xec);
// An interface no sink implements.
DEFINE_GUID(IID_INotImplemented, 0x5ca1ab1e, 0xdead, 0x4bee, 0xa0, 0x01, 0x02, 0x03, 0x04, 0x05,
            0x06, 0x07);
// What the free-threaded marshaler's GetUnmarshalClass answers for an in-process destination.
DEFINE_GUID(CLSID_FreeThreadedMarshalerUnmarshal, 0x0000033a, 0x0000, 0x0000, 0xc0, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x46);

// --- The Rust static library's C API (tests/windows-capi/src/lib.rs) -------------------------

struct CapiSeen {
    uint32_t kind;             // NotifyType as the sink's NotifyKind saw it
    uint32_t client_token;     // client_token()
    uint32_t has_state_change; // 1 if state_change() was Some
    uint32_t old_state;        // its old state's bits (0 when None)
    uint32_t new_state;        // its new state's bits (0 when None)
    uint32_t size;             // raw().ulSize
};
static_assert(sizeof(CapiSeen) == 24, "CapiSeen mirrors the Rust #[repr(C)] struct");

extern "C" {
void* capi_sink_new(void);
int32_t capi_sink_seen(void* sink, uint32_t index, CapiSeen* out);
uint32_t capi_sink_count(void* sink);
uint32_t capi_sink_drops(void);
}

// --- Reporting ---------------------------------------------------------------------------------

// Also dispatch_object.cpp's.
void check(bool ok, const char* what);
void check_eq(const char* what, unsigned long long got, unsigned long long want);
void check_hr(const char* what, HRESULT got, HRESULT want);
void run_dispatch_checks();
void run_event_checks();

static unsigned passed = 0;
static unsigned failed = 0;

void check(bool ok, const char* what) {
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    (ok ? passed : failed)++;
}

void check_eq(const char* what, unsigned long long got, unsigned long long want) {
    bool ok = got == want;
    printf("%s %s: got %llu, want %llu\n", ok ? "ok  " : "FAIL", what, got, want);
    (ok ? passed : failed)++;
}

void check_hr(const char* what, HRESULT got, HRESULT want) {
    bool ok = got == want;
    printf("%s %s: got 0x%08lx, want 0x%08lx\n", ok ? "ok  " : "FAIL", what, (ULONG)got,
           (ULONG)want);
    (ok ? passed : failed)++;
}

// --- The caller's side of the conversation ---------------------------------------------------

// A NotifyType outside the enum's enumerators (a newer Outlook's, say) is stored as bytes:
// converting 9 to this enum, whose values span 0..3, is undefined in C++.
static MAPIOFFLINE_NOTIFY make_notify(uint32_t type, ULONG token, ULONG size) {
    MAPIOFFLINE_NOTIFY n;
    memset(&n, 0, sizeof n);
    n.ulSize = size;
    memcpy(&n.NotifyType, &type, sizeof type);
    n.ulClientToken = token;
    n.Info.StateChange.ulMask = MAPIOFFLINE_STATE_OFFLINE_MASK;
    n.Info.StateChange.ulStateOld = MAPIOFFLINE_STATE_ONLINE;
    n.Info.StateChange.ulStateNew = MAPIOFFLINE_STATE_OFFLINE;
    return n;
}

struct WorkerArgs {
    IStream* stream;          // IMAPIOfflineNotify marshaled by the STA main thread
    void* expected;           // the sink's identity pointer
    HRESULT unmarshal_hr;
    bool same_pointer;        // the free-threaded marshaler hands over the object itself
};

// Another apartment (the MTA) unmarshals the sink and notifies it, as Outlook may from any
// thread: with the free-threaded marshaler it gets the Rust object itself, not a proxy.
static DWORD WINAPI worker(void* param) {
    WorkerArgs* args = static_cast<WorkerArgs*>(param);
    CoInitializeEx(nullptr, COINIT_MULTITHREADED);
    IMAPIOfflineNotify* sink = nullptr;
    args->unmarshal_hr =
        CoGetInterfaceAndReleaseStream(args->stream, IID_IMAPIOfflineNotify, (void**)&sink);
    args->same_pointer = sink == args->expected;
    if (SUCCEEDED(args->unmarshal_hr) && sink != nullptr) {
        MAPIOFFLINE_NOTIFY n = make_notify(MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE, 0xC0DE0020u,
                                           sizeof(MAPIOFFLINE_NOTIFY));
        sink->Notify(&n);
        sink->Release();
    }
    CoUninitialize();
    return 0;
}

int main() {
    // Plain "\n" and no buffering: the script's log reads the same as a Linux one, and a crash
    // still shows every line printed before it.
    _setmode(_fileno(stdout), _O_BINARY);
    setvbuf(stdout, nullptr, _IONBF, 0);

    HRESULT hr = CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
    check_hr("CoInitializeEx(COINIT_APARTMENTTHREADED)", hr, S_OK);

    // The C API hands over the identity IUnknown* with one reference, which this program owns.
    IUnknown* unknown = static_cast<IUnknown*>(capi_sink_new());
    check(unknown != nullptr, "capi_sink_new returns an IUnknown*");
    if (unknown == nullptr) {
        printf("cpp-caller: %u passed, %u failed\n", passed, failed + 1);
        return 1;
    }
    check_eq("reference count of a new sink", capi_sink_count(unknown), 1);

    // What Outlook does on Advise: QueryInterface the callback for IMAPIOfflineNotify.
    IMAPIOfflineNotify* notify = nullptr;
    hr = unknown->QueryInterface(IID_IMAPIOfflineNotify, (void**)&notify);
    check_hr("QueryInterface(IID_IMAPIOfflineNotify) hr", hr, S_OK);
    check(notify == static_cast<void*>(unknown),
          "QueryInterface(IID_IMAPIOfflineNotify) gives the identity pointer");
    check_eq("QueryInterface(IID_IMAPIOfflineNotify) adds a reference", capi_sink_count(unknown),
             2);
    if (notify == nullptr) {
        printf("cpp-caller: %u passed, %u failed\n", passed, failed + 1);
        return 1;
    }

    IUnknown* identity = nullptr;
    hr = notify->QueryInterface(IID_IUnknown, (void**)&identity);
    check_hr("QueryInterface(IID_IUnknown) hr", hr, S_OK);
    check(identity == static_cast<void*>(unknown),
          "QueryInterface(IID_IUnknown) gives the identity pointer");

    // The header's template overload: __uuidof(IAgileObject) from mingw's <objidl.h>.
    IAgileObject* agile = nullptr;
    hr = notify->QueryInterface(&agile);
    check_hr("QueryInterface(IID_IAgileObject) hr", hr, S_OK);
    check(agile == static_cast<void*>(unknown),
          "QueryInterface(IID_IAgileObject) gives the identity pointer");
    check_eq("reference count after three successful QueryInterface", capi_sink_count(unknown),
             4);

    // AddRef/Release return the new count.
    check_eq("AddRef returns the new count", notify->AddRef(), 5);
    check_eq("Release returns the new count", notify->Release(), 4);

    // Interfaces the sink does not implement: E_NOINTERFACE, *ppv nulled, no reference taken.
    const struct {
        const IID* iid;
        const char* name;
    } unknown_iids[] = {{&IID_INotImplemented, "a made-up IID"}, {&IID_IDispatch, "IID_IDispatch"}};
    for (const auto& u : unknown_iids) {
        void* pv = &passed; // non-null: the sink must clear it
        char what[96];
        hr = notify->QueryInterface(*u.iid, &pv);
        snprintf(what, sizeof what, "QueryInterface(%s) hr is E_NOINTERFACE", u.name);
        check_hr(what, hr, E_NOINTERFACE);
        snprintf(what, sizeof what, "QueryInterface(%s) sets *ppv to null", u.name);
        check(pv == nullptr, what);
    }
    check_hr("QueryInterface(IID_IUnknown, nullptr) is E_POINTER",
             notify->QueryInterface(IID_IUnknown, nullptr), E_POINTER);
    check_eq("failed QueryInterface calls took no reference", capi_sink_count(unknown), 4);

    // IMarshal: Wine's free-threaded marshaler behind a tear-off that belongs to the sink.
    IMarshal* marshal = nullptr;
    hr = notify->QueryInterface(IID_IMarshal, (void**)&marshal);
    check_hr("QueryInterface(IID_IMarshal) hr", hr, S_OK);
    if (SUCCEEDED(hr) && marshal != nullptr) {
        IUnknown* back = nullptr;
        hr = marshal->QueryInterface(IID_IUnknown, (void**)&back);
        check(SUCCEEDED(hr) && back == static_cast<void*>(unknown),
              "IMarshal's QueryInterface(IID_IUnknown) gives the sink's identity");
        if (back != nullptr) {
            back->Release();
        }
        CLSID unmarshal = {};
        hr = marshal->GetUnmarshalClass(IID_IMAPIOfflineNotify, notify, MSHCTX_INPROC, nullptr,
                                        MSHLFLAGS_NORMAL, &unmarshal);
        check(SUCCEEDED(hr) && IsEqualCLSID(unmarshal, CLSID_FreeThreadedMarshalerUnmarshal),
              "IMarshal is the free-threaded marshaler (in-process unmarshal class 0000033a)");
        marshal->Release();
    }
    check_eq("reference count after the IMarshal tear-off is released", capi_sink_count(unknown),
             4);

    // One offline transition as Outlook sends it, then a type this header does not know. Every
    // notification carries a state-change Info with the offline mask; the sink may read it for
    // the three state-change types only. Then a header-only notification (ulSize 12): Info is
    // absent, so the sink must see no state change.
    const uint32_t types[] = {MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START,
                              MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE,
                              MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE, 9};
    const ULONG tokens[] = {0xC0DE0001u, 0xC0DE0002u, 0xC0DE0003u, 0xC0DE0009u};
    for (int i = 0; i < 4; ++i) {
        MAPIOFFLINE_NOTIFY n = make_notify(types[i], tokens[i], sizeof(MAPIOFFLINE_NOTIFY));
        notify->Notify(&n);
    }
    {
        MAPIOFFLINE_NOTIFY n = make_notify(MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE, 0xC0DE0012u, 12);
        notify->Notify(&n);
    }

    // Across apartments: marshal from this STA, unmarshal and notify in an MTA thread.
    WorkerArgs args = {nullptr, unknown, E_FAIL, false};
    hr = CoMarshalInterThreadInterfaceInStream(IID_IMAPIOfflineNotify, notify, &args.stream);
    check_hr("CoMarshalInterThreadInterfaceInStream(IMAPIOfflineNotify) hr", hr, S_OK);
    if (SUCCEEDED(hr)) {
        HANDLE thread = CreateThread(nullptr, 0, worker, &args, 0, nullptr);
        check(thread != nullptr, "CreateThread for the MTA worker");
        if (thread != nullptr) {
            WaitForSingleObject(thread, INFINITE);
            CloseHandle(thread);
        }
        check_hr("CoGetInterfaceAndReleaseStream in the MTA hr", args.unmarshal_hr, S_OK);
        check(args.same_pointer, "the MTA gets the sink itself, not a proxy (free-threaded)");
    }
    check_eq("reference count after the MTA worker is done", capi_sink_count(unknown), 4);

    // What the Rust sink's notify saw, in order.
    const CapiSeen expected[] = {
        {1, 0xC0DE0001u, 1, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE, 24},
        {2, 0xC0DE0002u, 1, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE, 24},
        {3, 0xC0DE0003u, 1, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE, 24},
        {9, 0xC0DE0009u, 0, 0, 0, 24},
        {2, 0xC0DE0012u, 0, 0, 0, 12},
        {2, 0xC0DE0020u, 1, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE, 24},
    };
    const char* const sent[] = {"STATECHANGE_START", "STATECHANGE", "STATECHANGE_DONE",
                                "unknown type 9", "STATECHANGE with ulSize 12",
                                "STATECHANGE from the MTA"};
    const uint32_t count = sizeof expected / sizeof expected[0];
    for (uint32_t i = 0; i < count; ++i) {
        CapiSeen got;
        memset(&got, 0xff, sizeof got);
        int32_t found = capi_sink_seen(unknown, i, &got);
        const CapiSeen& want = expected[i];
        char change[48] = "None";
        if (got.has_state_change) {
            snprintf(change, sizeof change, "Some(old %u, new %u)", (unsigned)got.old_state,
                     (unsigned)got.new_state);
        }
        char what[192];
        snprintf(what, sizeof what,
                 "notify #%u, %s: the sink saw kind %u, token 0x%08x, state_change %s, ulSize %u",
                 (unsigned)i, sent[i], (unsigned)got.kind, (unsigned)got.client_token, change,
                 (unsigned)got.size);
        bool ok = found == 1 && memcmp(&got, &want, sizeof got) == 0;
        check(ok, what);
        if (!ok) {
            printf("       want kind %u, token 0x%08x, state_change %s (old %u, new %u), ulSize %u"
                   " (capi_sink_seen returned %d)\n",
                   (unsigned)want.kind, (unsigned)want.client_token,
                   want.has_state_change ? "Some" : "None", (unsigned)want.old_state,
                   (unsigned)want.new_state, (unsigned)want.size, (int)found);
        }
    }
    CapiSeen extra;
    check_eq("the sink saw nothing else (capi_sink_seen past the end is 0)",
             (ULONG)capi_sink_seen(unknown, count, &extra), 0);

    // Release everything: the last Release drops the Rust value exactly once.
    check_eq("Release(IAgileObject)", agile->Release(), 3);
    check_eq("Release(IUnknown from QueryInterface)", identity->Release(), 2);
    check_eq("Release(IMAPIOfflineNotify)", notify->Release(), 1);
    check_eq("no drop while a reference is held", capi_sink_drops(), 0);
    check_eq("final Release returns 0", unknown->Release(), 0);
    check_eq("tombstone: the sink was dropped exactly once", capi_sink_drops(), 1);

    // The library's late-bound client, automation::Dispatch, against an IDispatch written in
    // C++ (dispatch_object.cpp), in this single-threaded apartment.
    run_dispatch_checks();
    // A #[outlook_events] sink connected to an event source written in C++ (events_source.cpp).
    run_event_checks();

    CoUninitialize();
    printf("cpp-caller: %u passed, %u failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
