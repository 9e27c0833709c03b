// An Outlook-like event source written in C++ against mingw-w64's real <ocidl.h>: a minimal
// IConnectionPointContainer with an IConnectionPoint for ApplicationEvents_11 and one for
// ItemsEvents. The Rust side
// (`capi_events_connect`, the library's `EventSink::connect`) advises a `#[outlook_events]`
// sink on it; this side fires every event of the interface through the sink's IDispatch::Invoke
// (arguments reversed, Cancel as VT_BOOL | VT_BYREF, DISPATCH_METHOD), then checks what reached
// each method (as the Rust side recorded it), that a cancel came back, that bad calls are
// refused without reaching a method, and that the sink is unadvised and released at the end.
#include <objbase.h>
#include <ocidl.h>
#include <olectl.h>
#include <oleauto.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void check(bool ok, const char* what);
void check_eq(const char* what, unsigned long long got, unsigned long long want);
void check_hr(const char* what, HRESULT got, HRESULT want);

extern "C" {
void* capi_events_connect(void* source);
void* capi_items_connect(void* source);
int32_t capi_events_seen(void* handle, uint32_t index, char* out, uint32_t size);
int32_t capi_events_disconnect(void* handle);
}

namespace {

// {0006302C-0000-0000-C000-000000000046}
const IID DIID_ApplicationEvents_11 = {
    0x0006302C, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
// {00063077-0000-0000-C000-000000000046}
const IID DIID_ItemsEvents = {
    0x00063077, 0x0000, 0x0000, {0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};

class Point;

class Source final : public IDispatch, public IConnectionPointContainer {
  public:
    Source(Point* point, Point* items) : point_(point), items_(items) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (out == nullptr) return E_POINTER;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IDispatch)) {
            *out = static_cast<IDispatch*>(this);
        } else if (IsEqualIID(riid, IID_IConnectionPointContainer)) {
            *out = static_cast<IConnectionPointContainer*>(this);
        } else {
            *out = nullptr;
            return E_NOINTERFACE;
        }
        AddRef();
        return S_OK;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG left = --refs_;
        if (left == 0) delete this;
        return left;
    }
    HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT* count) override {
        *count = 0;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo**) override { return E_NOTIMPL; }
    HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT, LCID, DISPID*) override {
        return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*,
                                     EXCEPINFO*, UINT*) override {
        return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE EnumConnectionPoints(IEnumConnectionPoints**) override {
        return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE FindConnectionPoint(REFIID riid, IConnectionPoint** out) override;

  private:
    ULONG refs_ = 1;
    Point* point_;
    Point* items_;
};

class Point final : public IConnectionPoint {
  public:
    explicit Point(const IID& iid) : iid_(iid) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** out) override {
        if (out == nullptr) return E_POINTER;
        if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IConnectionPoint)) {
            *out = static_cast<IConnectionPoint*>(this);
            AddRef();
            return S_OK;
        }
        *out = nullptr;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG left = --refs_;
        if (left == 0) delete this;
        return left;
    }
    HRESULT STDMETHODCALLTYPE GetConnectionInterface(IID* iid) override {
        *iid = iid_;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetConnectionPointContainer(IConnectionPointContainer**) override {
        return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE Advise(IUnknown* sink, DWORD* cookie) override {
        if (sink == nullptr || cookie == nullptr) return E_POINTER;
        if (sink_ != nullptr) return CONNECT_E_ADVISELIMIT;
        // As Outlook: the sink must answer the dispinterface itself.
        HRESULT hr = sink->QueryInterface(iid_, (void**)&sink_);
        if (FAILED(hr)) return CONNECT_E_CANNOTCONNECT;
        *cookie = 7;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE Unadvise(DWORD cookie) override {
        if (cookie != 7 || sink_ == nullptr) return CONNECT_E_NOCONNECTION;
        sink_->Release();
        sink_ = nullptr;
        ++unadvised;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE EnumConnections(IEnumConnections**) override { return E_NOTIMPL; }

    // Fires one event; `args` in the event's order (reversed here, as DISPPARAMS holds them).
    HRESULT fire(DISPID id, VARIANT* args, UINT count, WORD flags = DISPATCH_METHOD) {
        if (sink_ == nullptr) return E_UNEXPECTED;
        VARIANT reversed[4];
        for (UINT i = 0; i < count; ++i) reversed[i] = args[count - 1 - i];
        DISPPARAMS params = {count ? reversed : nullptr, nullptr, count, 0};
        return sink_->Invoke(id, IID_NULL, 0, flags, &params, nullptr, nullptr, nullptr);
    }

    IDispatch* sink_ = nullptr;
    unsigned unadvised = 0;

  private:
    ULONG refs_ = 1;
    IID iid_;
};

HRESULT Source::FindConnectionPoint(REFIID riid, IConnectionPoint** out) {
    if (out == nullptr) return E_POINTER;
    Point* point = IsEqualIID(riid, DIID_ApplicationEvents_11) ? point_
                   : IsEqualIID(riid, DIID_ItemsEvents)        ? items_
                                                               : nullptr;
    if (point == nullptr) {
        *out = nullptr;
        return CONNECT_E_NOCONNECTION;
    }
    point->AddRef();
    *out = point;
    return S_OK;
}

VARIANT object(IDispatch* object) {
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_DISPATCH;
    V_DISPATCH(&v) = object;
    return v;
}

} // namespace

void run_event_checks() {
    Point* point = new Point(DIID_ApplicationEvents_11);
    Point* items = new Point(DIID_ItemsEvents);
    Source* source = new Source(point, items);
    void* handle = capi_events_connect(static_cast<IDispatch*>(source));
    check(handle != nullptr, "events: EventSink::connect advised the sink on the C++ source");
    check(point->sink_ != nullptr, "events: the source holds the sink, asked for ApplicationEvents_11");
    if (handle == nullptr || point->sink_ == nullptr) {
        source->Release();
        point->Release();
        items->Release();
        return;
    }
    IDispatch* item = static_cast<IDispatch*>(source); // any IDispatch stands for an item

    // Every event of ApplicationEvents_11, with its arguments.
    VARIANT_BOOL cancel = VARIANT_FALSE;
    VARIANT send[2] = {object(item), {}};
    VariantInit(&send[1]);
    V_VT(&send[1]) = VT_BOOL | VT_BYREF;
    V_BOOLREF(&send[1]) = &cancel;
    check_hr("events: ItemSend", point->fire(0xF002, send, 2), S_OK);
    check(cancel == VARIANT_TRUE, "events: ItemSend's Cancel came back VARIANT_TRUE");
    check_hr("events: NewMail", point->fire(0xF003, nullptr, 0), S_OK);
    VARIANT one = object(item);
    check_hr("events: Reminder", point->fire(0xF004, &one, 1), S_OK);
    check_hr("events: OptionsPagesAdd", point->fire(0xF005, &one, 1), S_OK);
    check_hr("events: Startup", point->fire(0xF006, nullptr, 0), S_OK);
    check_hr("events: Quit", point->fire(0xF007, nullptr, 0), S_OK);
    check_hr("events: AdvancedSearchComplete", point->fire(0xFA6A, &one, 1), S_OK);
    check_hr("events: AdvancedSearchStopped", point->fire(0xFA6B, &one, 1), S_OK);
    check_hr("events: MAPILogonComplete", point->fire(0xFA90, nullptr, 0), S_OK);
    VARIANT ids;
    VariantInit(&ids);
    V_VT(&ids) = VT_BSTR;
    V_BSTR(&ids) = SysAllocString(L"00000000C0FFEE");
    check_hr("events: NewMailEx", point->fire(0xFAB5, &ids, 1), S_OK);
    VariantClear(&ids);
    check_hr("events: ItemLoad", point->fire(0xFBA7, &one, 1), S_OK);

    // Bad calls: refused, no method reached.
    check_hr("events: ItemSend with one argument", point->fire(0xF002, &one, 1),
             DISP_E_BADPARAMCOUNT);
    VARIANT null_cancel[2] = {object(item), {}};
    VariantInit(&null_cancel[1]);
    V_VT(&null_cancel[1]) = VT_BOOL | VT_BYREF;
    V_BOOLREF(&null_cancel[1]) = nullptr;
    check_hr("events: ItemSend with a null Cancel", point->fire(0xF002, null_cancel, 2),
             DISP_E_TYPEMISMATCH);
    VARIANT number;
    VariantInit(&number);
    V_VT(&number) = VT_I4;
    V_I4(&number) = 5;
    check_hr("events: NewMailEx with a number", point->fire(0xFAB5, &number, 1),
             DISP_E_TYPEMISMATCH);
    check_hr("events: an unknown DISPID", point->fire(0x1234, nullptr, 0), DISP_E_MEMBERNOTFOUND);
    check_hr("events: Startup as a property get",
             point->fire(0xF006, nullptr, 0, DISPATCH_PROPERTYGET), DISP_E_MEMBERNOTFOUND);

    const char* want[] = {
        "item_send (cancel was false)",
        "new_mail",
        "reminder",
        "options_pages_add",
        "startup",
        "quit",
        "advanced_search_complete",
        "advanced_search_stopped",
        "mapi_logon_complete",
        "new_mail_ex 00000000C0FFEE",
        "item_load",
    };
    char seen[128];
    uint32_t index = 0;
    for (const char* expected : want) {
        char what[200];
        int32_t got = capi_events_seen(handle, index++, seen, sizeof seen);
        snprintf(what, sizeof what, "events: method %u got \"%s\" (want \"%s\")", index,
                 got == 1 ? seen : "(nothing)", expected);
        check(got == 1 && strcmp(seen, expected) == 0, what);
    }
    check(capi_events_seen(handle, index, seen, sizeof seen) == 0,
          "events: nothing else reached a method (the bad calls did not)");

    // ItemsEvents, on the same source: each reaches its method.
    void* added = capi_items_connect(static_cast<IDispatch*>(source));
    check(added != nullptr && items->sink_ != nullptr,
          "events: an #[outlook_events(items)] sink connected to ItemsEvents");
    if (added != nullptr) {
        check_hr("events: ItemAdd", items->fire(0xF001, &one, 1), S_OK);
        check_hr("events: ItemChange", items->fire(0xF002, &one, 1), S_OK);
        check_hr("events: ItemRemove", items->fire(0xF003, nullptr, 0), S_OK);
        const char* items_want[] = {"item_add", "item_change", "item_remove"};
        uint32_t at = 0;
        for (const char* expected : items_want) {
            char what[200];
            int32_t got = capi_events_seen(added, at++, seen, sizeof seen);
            snprintf(what, sizeof what, "events: items method %u got \"%s\" (want \"%s\")", at,
                     got == 1 ? seen : "(nothing)", expected);
            check(got == 1 && strcmp(seen, expected) == 0, what);
        }
        check_hr("events: dropping the items Connection unadvises",
                 capi_events_disconnect(added), S_OK);
        check(items->sink_ == nullptr, "events: ItemsEvents let go of its sink");
    }

    check_hr("events: dropping the Connection unadvises", capi_events_disconnect(handle), S_OK);
    check_eq("events: the source was unadvised once", point->unadvised, 1);
    check(point->sink_ == nullptr, "events: the source let go of the sink");
    check_eq("events: the source's references after the Rust side: only ours", source->AddRef() - 1,
             1);
    source->Release();
    source->Release();
    point->Release();
    items->Release();
}
