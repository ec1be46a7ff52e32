// Typed, logic-free wrappers for the parts of libcurl Swift cannot call directly:
// `curl_easy_setopt` / `curl_easy_getinfo` are variadic, and a few constants are macros.
// Every function here forwards its arguments unchanged; no behaviour lives in this file.
#ifndef MEMCONSOLE_CCURL_SHIM_H
#define MEMCONSOLE_CCURL_SHIM_H

#include <curl/curl.h>

/// The write and header callbacks share libcurl's `curl_write_callback` shape.
typedef size_t (*ccurl_write_callback)(char *buffer, size_t size, size_t count, void *userdata);
/// Progress callback; returning non-zero aborts the transfer (used for task cancellation).
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_write_function(CURL *handle, CURLoption option, ccurl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_xferinfo_function(CURL *handle, ccurl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// `CURL_GLOBAL_ALL` is a macro expression Swift does not import.
static inline long ccurl_global_all(void) { return CURL_GLOBAL_ALL; }

#endif
