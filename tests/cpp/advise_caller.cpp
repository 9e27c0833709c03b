// A C++ caller of a `#[mapi_advise_sink]` object, written the way MAPI's own C++ is: the
// interfaces are abstract classes laid out as the Windows and MAPI headers lay them out
// (com.h, mapidefs.h), and every call is an ordinary virtual call. It sends one array of three
// notifications as a store provider fills it in, then the degenerate calls MAPI must not make
// but a buggy provider might, and reports what it saw for tests/tests/cpp_caller.rs.

#include "com.h"
#include "mapidefs.h"

struct CppAdviseReport {
    uint32_t report_size;       // sizeof(CppAdviseReport)
    uint32_t notification_size; // sizeof(NOTIFICATION)
    HRESULT advise_hr;          // QI(IID_IMAPIAdviseSink)
    uint32_t advise_is_identity;
    HRESULT offline_hr;      // QI(IID_IMAPIOfflineNotify): the other sink kind's, refused
    ULONG on_notify_three;   // OnNotify(3, array)
    ULONG on_notify_empty;   // OnNotify(0, array)
    ULONG on_notify_null;    // OnNotify(2, nullptr)
    ULONG final_release;     // Release of the IMAPIAdviseSink reference
};

static void zero(void* p, size_t n) {
    unsigned char* bytes = static_cast<unsigned char*>(p);
    for (size_t i = 0; i < n; ++i) {
        bytes[i] = 0;
    }
}

extern "C" HRESULT cpp_drive_advise_sink(IUnknown* unknown, CppAdviseReport* report) {
    if (unknown == nullptr || report == nullptr) {
        return E_POINTER;
    }
    *report = CppAdviseReport();
    report->report_size = sizeof(CppAdviseReport);
    report->notification_size = sizeof(NOTIFICATION);

    void* pv = nullptr;
    report->advise_hr = unknown->QueryInterface(IID_IMAPIAdviseSink, &pv);
    if (report->advise_hr < 0 || pv == nullptr) {
        return report->advise_hr < 0 ? report->advise_hr : E_NOINTERFACE;
    }
    report->advise_is_identity = pv == static_cast<void*>(unknown) ? 1 : 0;
    IMAPIAdviseSink* sink = static_cast<IMAPIAdviseSink*>(pv);
    void* other = &pv;
    report->offline_hr = sink->QueryInterface(IID_IMAPIOfflineNotify, &other);

    // What a store provider allocates: the array, then what it points to.
    unsigned char message[] = {0, 0, 0, 0, 'm', 's', 'g', '-', '1'};
    unsigned char inbox[] = {0, 0, 0, 0, 'i', 'n', 'b', 'o', 'x'};
    unsigned char archive[] = {0, 0, 0, 0, 'a', 'r', 'c', 'h'};
    char message_class[] = "IPM.Note";
    char16_t subject[] = u"Quarterly figures";
    unsigned char key[] = {'r', 'o', 'w', '-', '2'};
    struct {
        ULONG cValues;
        ULONG aulPropTag[2];
    } changed = {2, {PROP_TAG(PT_LONG, 0x0e08), PROP_TAG(PT_UNICODE, 0x0037)}};
    alignas(8) SPropValue row[3]; // 8-aligned, as MAPI's are (see below)
    zero(row, sizeof(row));
    row[0].ulPropTag = PROP_TAG(PT_UNICODE, 0x0037);
    row[0].Value.lpszW = subject;
    row[1].ulPropTag = PROP_TAG(PT_LONG, 0x0e08);
    row[1].Value.l = 4096;
    row[2].ulPropTag = PROP_TAG(PT_BINARY, 0x0ff9);
    row[2].Value.bin.cb = sizeof(key);
    row[2].Value.bin.lpb = key;

    // 8-aligned, as MAPI's are (MAPIAllocateBuffer): NOTIFICATION holds 8-byte members, and a
    // 32-bit compiler may place a local array at a 4-aligned address, which the sink refuses
    // (with a warning) rather than read a misaligned array as one.
    alignas(8) NOTIFICATION notifications[3];
    zero(notifications, sizeof(notifications));
    notifications[0].ulEventType = fnevNewMail;
    NEWMAIL_NOTIFICATION& mail = notifications[0].info.newmail;
    mail.cbEntryID = sizeof(message);
    mail.lpEntryID = reinterpret_cast<LPENTRYID>(message);
    mail.cbParentID = sizeof(inbox);
    mail.lpParentID = reinterpret_cast<LPENTRYID>(inbox);
    mail.lpszMessageClass = message_class;
    mail.ulMessageFlags = 0x1;

    notifications[1].ulEventType = fnevTableModified;
    TABLE_NOTIFICATION& table = notifications[1].info.tab;
    table.ulTableEvent = TABLE_ROW_ADDED;
    table.propIndex.ulPropTag = PROP_TAG(PT_BINARY, 0x0ff6);
    table.propIndex.Value.bin.cb = sizeof(key);
    table.propIndex.Value.bin.lpb = key;
    table.propPrior.ulPropTag = PROP_TAG(PT_NULL, 0);
    table.row.cValues = 3;
    table.row.lpProps = row;

    notifications[2].ulEventType = fnevObjectMoved;
    OBJECT_NOTIFICATION& moved = notifications[2].info.obj;
    moved.cbEntryID = sizeof(message);
    moved.lpEntryID = reinterpret_cast<LPENTRYID>(message);
    moved.ulObjType = MAPI_MESSAGE;
    moved.cbParentID = sizeof(archive);
    moved.lpParentID = reinterpret_cast<LPENTRYID>(archive);
    moved.cbOldParentID = sizeof(inbox);
    moved.lpOldParentID = reinterpret_cast<LPENTRYID>(inbox);
    moved.lpPropTagArray = reinterpret_cast<LPSPropTagArray>(&changed);

    report->on_notify_three = sink->OnNotify(3, notifications);
    report->on_notify_empty = sink->OnNotify(0, notifications);
    report->on_notify_null = sink->OnNotify(2, nullptr);
    report->final_release = sink->Release();
    return S_OK;
}
