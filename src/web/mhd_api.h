/* mhd_api.h - libmicrohttpd, loaded on first use (see core/lazylib.h).
 * Include this instead of the library's header: every call below goes
 * through sw_mhd_sym(), which loads the library the first time. */
#ifndef SW_MHD_API_H
#define SW_MHD_API_H

#include <microhttpd.h>

#define SW_MHD_SYMBOLS(X) \
    X(MHD_add_response_header) \
    X(MHD_create_response_from_buffer) \
    X(MHD_destroy_response) \
    X(MHD_get_connection_values) \
    X(MHD_lookup_connection_value) \
    X(MHD_queue_response) \
    X(MHD_start_daemon) \
    X(MHD_stop_daemon)

enum {
#define SW_ENUM_(s) SWL_##s,
    SW_MHD_SYMBOLS(SW_ENUM_)
#undef SW_ENUM_
    SWL_MHD_COUNT
};

/* The address of symbol i (SWL_name), the library loaded if need be. */
void *sw_mhd_sym(int i);

#ifndef SW_MHD_API_IMPL
#define MHD_add_response_header ((__typeof__(&MHD_add_response_header))sw_mhd_sym(SWL_MHD_add_response_header))
#define MHD_create_response_from_buffer ((__typeof__(&MHD_create_response_from_buffer))sw_mhd_sym(SWL_MHD_create_response_from_buffer))
#define MHD_destroy_response ((__typeof__(&MHD_destroy_response))sw_mhd_sym(SWL_MHD_destroy_response))
#define MHD_get_connection_values ((__typeof__(&MHD_get_connection_values))sw_mhd_sym(SWL_MHD_get_connection_values))
#define MHD_lookup_connection_value ((__typeof__(&MHD_lookup_connection_value))sw_mhd_sym(SWL_MHD_lookup_connection_value))
#define MHD_queue_response ((__typeof__(&MHD_queue_response))sw_mhd_sym(SWL_MHD_queue_response))
#define MHD_start_daemon ((__typeof__(&MHD_start_daemon))sw_mhd_sym(SWL_MHD_start_daemon))
#define MHD_stop_daemon ((__typeof__(&MHD_stop_daemon))sw_mhd_sym(SWL_MHD_stop_daemon))
#endif

#endif
