/* xml_api.c - see xml_api.h. */
#define SW_XML_API_IMPL 1
#include "xml_api.h"
#include "../core/lazylib.h"

static const char *const files[] = {"libxml2.so.2", "libxml2.so.16", "libxml2.so", NULL};
static const char *const symbols[] = {
#define SW_NAME_(s) #s,
    SW_XML_SYMBOLS(SW_NAME_)
#undef SW_NAME_
    NULL};
static void *slots[SWL_XML_COUNT];
static LazyLib lib = {"libxml2", files, symbols, slots, 0};

void *sw_xml_sym(int i)
{
    return lazylib_sym(&lib, i);
}
