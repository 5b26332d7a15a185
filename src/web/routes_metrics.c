/* routes_metrics.c - /metrics in the Prometheus text exposition format
 * (version 0.0.4).
 *
 * Reads the counters server.c keeps per request (HttpMetrics: requests by
 * route group and status, a latency histogram per route group) and the
 * store's row counts. Only series that have seen a request are written,
 * so the output stays short; the label values come from a fixed set, so a
 * scan of random URLs cannot grow it. */
#include <stdatomic.h>
#include <string.h>

#include "../core/log.h"
#include "web_internal.h"

static const double bounds[MB_N - 1] = METRIC_BOUNDS;

static void write_requests(const HttpMetrics *m, Buf *b)
{
    buf_puts(b, "# HELP storywire_http_requests_total HTTP requests answered, by route group and status.\n"
                "# TYPE storywire_http_requests_total counter\n");
    for (int g = 0; g < RG_N; g++)
        for (int i = 0; i < MS_N; i++) {
            uint64_t n = atomic_load_explicit(&m->requests[g][i], memory_order_relaxed);
            if (!n)
                continue;
            int status = metrics_status_of(i);
            buf_printf(b, "storywire_http_requests_total{route=\"%s\",status=\"", metrics_route_name(g));
            if (status)
                buf_printf(b, "%d", status);
            else
                buf_puts(b, "other");
            buf_printf(b, "\"} %llu\n", (unsigned long long)n);
        }
}

static void write_latency(const HttpMetrics *m, Buf *b)
{
    buf_puts(b, "# HELP storywire_http_request_duration_seconds Time to answer a request, from routing to the "
                "queued response.\n"
                "# TYPE storywire_http_request_duration_seconds histogram\n");
    for (int g = 0; g < RG_N; g++) {
        uint64_t counts[MB_N], total = 0;
        for (int i = 0; i < MB_N; i++) {
            counts[i] = atomic_load_explicit(&m->buckets[g][i], memory_order_relaxed);
            total += counts[i];
        }
        if (!total)
            continue;
        const char *route = metrics_route_name(g);
        uint64_t cum = 0;
        for (int i = 0; i < MB_N; i++) {
            cum += counts[i];
            if (i < MB_N - 1)
                buf_printf(b, "storywire_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                           route, bounds[i], (unsigned long long)cum);
            else
                buf_printf(b, "storywire_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
                           route, (unsigned long long)cum);
        }
        uint64_t ns = atomic_load_explicit(&m->sum_ns[g], memory_order_relaxed);
        buf_printf(b, "storywire_http_request_duration_seconds_sum{route=\"%s\"} %.9f\n", route, (double)ns / 1e9);
        buf_printf(b, "storywire_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route,
                   (unsigned long long)total);
    }
}

int routes_metrics(Server *sv, struct MHD_Connection *c, const char *url, Reply *r)
{
    if (strcmp(url, "/metrics") != 0)
        return 0;
    SwErr err;
    StoreCounts counts;
    Store *s = server_store(sv, &err);
    if (!s || store_counts(s, &counts, &err) < 0) {
        log_warn("serve: metrics: %s", err.msg);
        r->status = 503;
        r->content_type = "text/plain; charset=utf-8";
        r->cache = "no-store";
        buf_puts(&r->body, "the database cannot be read\n");
        return 1;
    }
    Buf *b = &r->body;
    write_requests(&sv->metrics, b);
    write_latency(&sv->metrics, b);
    buf_printf(b, "# HELP storywire_articles Articles stored.\n# TYPE storywire_articles gauge\n"
                  "storywire_articles %lld\n",
               (long long)counts.articles);
    buf_printf(b, "# HELP storywire_stories Stories found.\n# TYPE storywire_stories gauge\n"
                  "storywire_stories %lld\n",
               (long long)counts.stories);
    buf_printf(b, "# HELP storywire_sources Outlets seen.\n# TYPE storywire_sources gauge\n"
                  "storywire_sources %lld\n",
               (long long)counts.sources);
    PageCacheStats cs;
    page_cache_stats(&sv->cache, &cs);
    buf_printf(b, "# HELP storywire_page_cache_entries Rendered pages held in memory.\n"
                  "# TYPE storywire_page_cache_entries gauge\nstorywire_page_cache_entries %zu\n",
               cs.entries);
    buf_printf(b, "# HELP storywire_page_cache_bytes Bytes the page cache holds.\n"
                  "# TYPE storywire_page_cache_bytes gauge\nstorywire_page_cache_bytes %zu\n",
               cs.bytes);
    buf_printf(b, "# HELP storywire_page_cache_limit_bytes The page cache's cap (--cache-size).\n"
                  "# TYPE storywire_page_cache_limit_bytes gauge\nstorywire_page_cache_limit_bytes %zu\n",
               cs.cap);
    buf_printf(b, "# HELP storywire_page_cache_lookups_total Page cache lookups by result: hit (fresh), "
                  "stale (checked against the database), miss.\n"
                  "# TYPE storywire_page_cache_lookups_total counter\n"
                  "storywire_page_cache_lookups_total{result=\"hit\"} %llu\n"
                  "storywire_page_cache_lookups_total{result=\"stale\"} %llu\n"
                  "storywire_page_cache_lookups_total{result=\"miss\"} %llu\n",
               (unsigned long long)cs.hits, (unsigned long long)cs.stale, (unsigned long long)cs.misses);
    buf_printf(b, "# HELP storywire_page_cache_evictions_total Pages dropped to stay under the cap.\n"
                  "# TYPE storywire_page_cache_evictions_total counter\nstorywire_page_cache_evictions_total %llu\n",
               (unsigned long long)cs.evictions);
    /* storywire does not fetch feeds yet; the series exists so that
     * dashboards and alerts can be written against it now */
    buf_puts(b, "# HELP storywire_fetch_errors_total Failed fetches of outlet feeds.\n"
                "# TYPE storywire_fetch_errors_total counter\nstorywire_fetch_errors_total 0\n");
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4; charset=utf-8";
    r->cache = "no-store";
    return 1;
}
