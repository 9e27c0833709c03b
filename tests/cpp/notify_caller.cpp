// A C++ caller of a `#[mapi_notify_sink]` object, written the way Outlook's own C++ is:
// the interfaces are abstract classes laid out as the Windows SDK / Outlook MAPI headers lay
// them out, and every call below is an ordinary C++ virtual call. If the Rust vtable, calling
// convention, struct layout or COM rules disagree with what a C++ compiler produces, the test
// `tests/tests/cpp_caller.rs` sees it in the report this file fills in.
//
// No C++ standard library (only the compiler's <stddef.h>/<stdint.h>), no exceptions, no RTTI:
// the C++ objects are never created here, so no vtable or `__cxa_pure_virtual` is emitted and
// nothing but the compiler is needed to build and link this file.

#include "com.h"

// The Outlook Offline State API header: MAPIOFFLINE_NOTIFY here, IMAPIOfflineNotify below.
#include "mapioffline.h"

struct IMAPIOfflineNotify : public IUnknown {
    virtual void STDMETHODCALLTYPE Notify(const MAPIOFFLINE_NOTIFY* pNotifyInfo) = 0;
};

// What this caller saw. Mirrored field for field by `#[repr(C)]` structs in
// tests/tests/cpp_caller.rs; `report_size` lets the Rust side check the mirror.
struct CppQueryReport {
    HRESULT hr;                // what QueryInterface returned
    uint32_t same_as_identity; // 1 if *ppv was the IUnknown* given to cpp_drive_sink
    ULONG addref;              // AddRef on the returned pointer, right after the QI
    ULONG release;             // the matching Release
};

struct CppReport {
    uint32_t report_size; // sizeof(CppReport)
    uint32_t notify_size; // sizeof(MAPIOFFLINE_NOTIFY), as ulSize in every notification
    CppQueryReport notify;  // QI(IID_IMAPIOfflineNotify) on the given pointer
    CppQueryReport unknown; // QI(IID_IUnknown) through the IMAPIOfflineNotify*
    CppQueryReport agile;   // QI(IID_IAgileObject) through the IMAPIOfflineNotify*
    HRESULT unknown_iid_hr;          // QI for an interface the sink does not implement
    uint32_t unknown_iid_ppv_nulled; // 1 if that QI set *ppv (preset non-null) to null
    HRESULT null_ppv_hr;             // QI(IID_IUnknown, nullptr)
    ULONG addref_after_failures;  // AddRef after the two failed QIs (they must not AddRef)
    ULONG release_after_failures; // the matching Release
    uint32_t notifications_sent;
    uint32_t types_sent[4];  // NotifyType of each Notify call, in order
    uint32_t tokens_sent[4]; // ulClientToken of each Notify call, in order
    ULONG final_release[3];  // Release of the IAgileObject, IUnknown, IMAPIOfflineNotify refs
};

static void query(IUnknown* identity, IUnknown* through, REFIID iid, IUnknown** out,
                  CppQueryReport* report) {
    void* pv = nullptr;
    report->hr = through->QueryInterface(iid, &pv);
    report->same_as_identity = pv == static_cast<void*>(identity) ? 1 : 0;
    *out = nullptr;
    if (report->hr >= 0 && pv != nullptr) {
        IUnknown* got = static_cast<IUnknown*>(pv);
        report->addref = got->AddRef();
        report->release = got->Release();
        *out = got;
    }
}

// Stores a raw NotifyType. Assigning 9 to the C enum (whose enumerators are 1..3) would be
// outside the enum's range of values, which C++ leaves undefined; copying the bytes is defined,
// and is what a newer Outlook sending a type this caller's header does not know looks like.
static void set_notify_type(MAPIOFFLINE_NOTIFY* n, uint32_t raw) {
    const unsigned char* from = reinterpret_cast<const unsigned char*>(&raw);
    unsigned char* to = reinterpret_cast<unsigned char*>(&n->NotifyType);
    for (size_t i = 0; i < sizeof(raw); ++i) {
        to[i] = from[i];
    }
}

static void send(IMAPIOfflineNotify* sink, CppReport* report, uint32_t type, ULONG token,
                 ULONG mask, ULONG old_state, ULONG new_state) {
    MAPIOFFLINE_NOTIFY n;
    n.ulSize = sizeof(MAPIOFFLINE_NOTIFY);
    set_notify_type(&n, type);
    n.ulClientToken = token;
    n.Info.StateChange.ulMask = mask;
    n.Info.StateChange.ulStateOld = old_state;
    n.Info.StateChange.ulStateNew = new_state;
    sink->Notify(&n);
    uint32_t i = report->notifications_sent++;
    report->types_sent[i] = type;
    report->tokens_sent[i] = token;
}

// Drives the sink whose identity IUnknown* is `unknown` through C++ virtual calls only, and
// fills in `report`. Takes no reference of its own beyond the ones it releases before returning.
// Returns S_OK, or the HRESULT of a QueryInterface without which it could not go on.
extern "C" HRESULT cpp_drive_sink(IUnknown* unknown, CppReport* report) {
    if (unknown == nullptr || report == nullptr) {
        return E_POINTER;
    }
    *report = CppReport();
    report->report_size = sizeof(CppReport);
    report->notify_size = sizeof(MAPIOFFLINE_NOTIFY);

    // What Outlook does on Advise: QI the callback for IMAPIOfflineNotify and keep that ref.
    IUnknown* got = nullptr;
    query(unknown, unknown, IID_IMAPIOfflineNotify, &got, &report->notify);
    if (got == nullptr) {
        return report->notify.hr < 0 ? report->notify.hr : E_NOINTERFACE;
    }
    IMAPIOfflineNotify* notify = static_cast<IMAPIOfflineNotify*>(got);

    IUnknown* identity = nullptr;
    query(unknown, notify, IID_IUnknown, &identity, &report->unknown);
    IUnknown* agile = nullptr;
    query(unknown, notify, IID_IAgileObject, &agile, &report->agile);

    int sentinel = 0;
    void* pv = &sentinel;
    report->unknown_iid_hr = notify->QueryInterface(IID_INotImplemented, &pv);
    report->unknown_iid_ppv_nulled = pv == nullptr ? 1 : 0;
    report->null_ppv_hr = notify->QueryInterface(IID_IUnknown, nullptr);
    report->addref_after_failures = notify->AddRef();
    report->release_after_failures = notify->Release();

    // One offline transition, as Outlook sends it, then a type this header does not know.
    // Every notification carries a state-change Info with the offline mask: the sink must
    // read it for the three state-change types only.
    send(notify, report, MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_START, 0xC0DE0001u,
         MAPIOFFLINE_STATE_OFFLINE_MASK, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE);
    send(notify, report, MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE, 0xC0DE0002u,
         MAPIOFFLINE_STATE_OFFLINE_MASK, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE);
    send(notify, report, MAPIOFFLINE_NOTIFY_TYPE_STATECHANGE_DONE, 0xC0DE0003u,
         MAPIOFFLINE_STATE_OFFLINE_MASK, MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE);
    send(notify, report, 9, 0xC0DE0009u, MAPIOFFLINE_STATE_OFFLINE_MASK,
         MAPIOFFLINE_STATE_ONLINE, MAPIOFFLINE_STATE_OFFLINE);

    if (agile != nullptr) {
        report->final_release[0] = agile->Release();
    }
    if (identity != nullptr) {
        report->final_release[1] = identity->Release();
    }
    report->final_release[2] = notify->Release();
    return S_OK;
}
