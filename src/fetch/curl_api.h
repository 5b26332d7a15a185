/* curl_api.h - libcurl, loaded on first use (see core/lazylib.h).
 * Include this instead of the library's header: every call below goes
 * through sw_curl_sym(), which loads the library the first time. */
#ifndef SW_CURL_API_H
#define SW_CURL_API_H

/* the checked macros of curl.h call the functions by name: replaced below */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#undef curl_share_setopt

#define SW_CURL_SYMBOLS(X) \
    X(curl_global_init) \
    X(curl_easy_init) \
    X(curl_easy_cleanup) \
    X(curl_easy_setopt) \
    X(curl_easy_getinfo) \
    X(curl_easy_strerror) \
    X(curl_free) \
    X(curl_multi_add_handle) \
    X(curl_multi_cleanup) \
    X(curl_multi_info_read) \
    X(curl_multi_init) \
    X(curl_multi_perform) \
    X(curl_multi_poll) \
    X(curl_multi_remove_handle) \
    X(curl_multi_setopt) \
    X(curl_multi_strerror) \
    X(curl_slist_append) \
    X(curl_slist_free_all) \
    X(curl_url) \
    X(curl_url_cleanup) \
    X(curl_url_get) \
    X(curl_url_set)

enum {
#define SW_ENUM_(s) SWL_##s,
    SW_CURL_SYMBOLS(SW_ENUM_)
#undef SW_ENUM_
    SWL_CURL_COUNT
};

/* The address of symbol i (SWL_name), the library loaded if need be. */
void *sw_curl_sym(int i);

#ifndef SW_CURL_API_IMPL
#define curl_global_init ((__typeof__(&curl_global_init))sw_curl_sym(SWL_curl_global_init))
#define curl_easy_init ((__typeof__(&curl_easy_init))sw_curl_sym(SWL_curl_easy_init))
#define curl_easy_cleanup ((__typeof__(&curl_easy_cleanup))sw_curl_sym(SWL_curl_easy_cleanup))
#define curl_easy_setopt ((__typeof__(&curl_easy_setopt))sw_curl_sym(SWL_curl_easy_setopt))
#define curl_easy_getinfo ((__typeof__(&curl_easy_getinfo))sw_curl_sym(SWL_curl_easy_getinfo))
#define curl_easy_strerror ((__typeof__(&curl_easy_strerror))sw_curl_sym(SWL_curl_easy_strerror))
#define curl_free ((__typeof__(&curl_free))sw_curl_sym(SWL_curl_free))
#define curl_multi_add_handle ((__typeof__(&curl_multi_add_handle))sw_curl_sym(SWL_curl_multi_add_handle))
#define curl_multi_cleanup ((__typeof__(&curl_multi_cleanup))sw_curl_sym(SWL_curl_multi_cleanup))
#define curl_multi_info_read ((__typeof__(&curl_multi_info_read))sw_curl_sym(SWL_curl_multi_info_read))
#define curl_multi_init ((__typeof__(&curl_multi_init))sw_curl_sym(SWL_curl_multi_init))
#define curl_multi_perform ((__typeof__(&curl_multi_perform))sw_curl_sym(SWL_curl_multi_perform))
#define curl_multi_poll ((__typeof__(&curl_multi_poll))sw_curl_sym(SWL_curl_multi_poll))
#define curl_multi_remove_handle ((__typeof__(&curl_multi_remove_handle))sw_curl_sym(SWL_curl_multi_remove_handle))
#define curl_multi_setopt ((__typeof__(&curl_multi_setopt))sw_curl_sym(SWL_curl_multi_setopt))
#define curl_multi_strerror ((__typeof__(&curl_multi_strerror))sw_curl_sym(SWL_curl_multi_strerror))
#define curl_slist_append ((__typeof__(&curl_slist_append))sw_curl_sym(SWL_curl_slist_append))
#define curl_slist_free_all ((__typeof__(&curl_slist_free_all))sw_curl_sym(SWL_curl_slist_free_all))
#define curl_url ((__typeof__(&curl_url))sw_curl_sym(SWL_curl_url))
#define curl_url_cleanup ((__typeof__(&curl_url_cleanup))sw_curl_sym(SWL_curl_url_cleanup))
#define curl_url_get ((__typeof__(&curl_url_get))sw_curl_sym(SWL_curl_url_get))
#define curl_url_set ((__typeof__(&curl_url_set))sw_curl_sym(SWL_curl_url_set))
#endif

#endif
