/* lazylib.h - shared libraries loaded on first use (dlopen).
 *
 * libcurl, libxml2 and libmicrohttpd pull in some forty libraries (TLS,
 * Kerberos, LDAP, ICU, libstdc++ ...) whose loading and relocation cost
 * about 17 ms of CPU at every start, more than the whole work of a small
 * command (`storywire parse feed.xml`, `stories`). The modules that use
 * them include an *_api.h header (src/fetch/curl_api.h,
 * src/extract/xml_api.h, src/web/mhd_api.h) which turns each library call
 * into a call through a table filled here the first time one of its
 * functions is called, so only the commands that need a library load it.
 * The library stays a hard dependency: when it cannot be loaded the
 * process stops with a message naming it (exit 1). */
#ifndef SW_LAZYLIB_H
#define SW_LAZYLIB_H

#include <stddef.h>

/* A library loaded on demand: the file names to try in order (NULL-ended),
 * the symbols to resolve (NULL-ended), where to store their addresses
 * (one void * per symbol, in order), and whether that is done. */
typedef struct LazyLib {
    const char *what;           /* for messages: "libcurl" */
    const char *const *files;   /* sonames to try */
    const char *const *symbols;
    void **slots;
    int loaded;                 /* set once the slots are filled (atomic) */
} LazyLib;

/* The address of symbol i of lib, loading the library and resolving every
 * symbol on the first call (thread-safe); when it cannot be loaded, prints
 * "storywire: cannot load ..." on stderr and exits 1. */
void *lazylib_sym(LazyLib *lib, int i);

#endif
