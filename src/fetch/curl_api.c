/* curl_api.c - see curl_api.h. */
#define SW_CURL_API_IMPL 1
#include "curl_api.h"
#include "../core/lazylib.h"

static const char *const files[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", NULL};
static const char *const symbols[] = {
#define SW_NAME_(s) #s,
    SW_CURL_SYMBOLS(SW_NAME_)
#undef SW_NAME_
    NULL};
static void *slots[SWL_CURL_COUNT];
static LazyLib lib = {"libcurl", files, symbols, slots, 0};

void *sw_curl_sym(int i)
{
    return lazylib_sym(&lib, i);
}
