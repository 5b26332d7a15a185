/* mhd_api.c - see mhd_api.h. */
#define SW_MHD_API_IMPL 1
#include "mhd_api.h"
#include "../core/lazylib.h"

static const char *const files[] = {"libmicrohttpd.so.12", "libmicrohttpd.so", NULL};
static const char *const symbols[] = {
#define SW_NAME_(s) #s,
    SW_MHD_SYMBOLS(SW_NAME_)
#undef SW_NAME_
    NULL};
static void *slots[SWL_MHD_COUNT];
static LazyLib lib = {"libmicrohttpd", files, symbols, slots, 0};

void *sw_mhd_sym(int i)
{
    return lazylib_sym(&lib, i);
}
