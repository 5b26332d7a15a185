/* fuzz_search_query.c - libFuzzer target for search: whatever a reader
 * types, the FTS5 expression search_parse makes of it is valid FTS5 syntax
 * (SQLite accepts it in MATCH), so no query can reach the index as syntax
 * or fail the search; and whatever bytes an article holds, the index's own
 * tokenizer ("sw": unicode61 with Han and kana split into characters)
 * indexes them, finds them and marks them without error. The input is
 * indexed as an article's text in a store's index (a database in memory,
 * made by store_open as any other) and searched for. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/article.h"
#include "store/search.h"
#include "store/store.h"
#include "store/store_internal.h"

static Store *store;
static sqlite3_stmt *find, *drop;

static int64_t put(const char *title, const char *text)
{
    Article a = {.title = title, .text = text, .source = "Fuzz"};
    int64_t id = 0;
    int added = 0;
    SwErr err = {{0}};
    if (store_put_article(store, &a, &id, &added, &err) != 0) {
        fprintf(stderr, "store_put_article: %s\n", err.msg);
        abort();
    }
    return added ? id : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store) {
        SwErr err = {{0}};
        if (store_open(":memory:", 0, &store, &err) != 0) {
            fprintf(stderr, "store_open: %s\n", err.msg);
            abort();
        }
        put("storm hits the coast", "power cut to 20,000 homes");
        put("上海港口恢复运营", "台风过后，上海港口今天恢复运营。");
        if (sqlite3_prepare_v2(store->db,
                               "SELECT rowid, highlight(articles_fts, 1, '[', ']') FROM articles_fts "
                               "WHERE articles_fts MATCH ?1",
                               -1, &find, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(store->db, "DELETE FROM articles WHERE id = ?1", -1, &drop, NULL) != SQLITE_OK) {
            fprintf(stderr, "setup: %s\n", sqlite3_errmsg(store->db));
            abort();
        }
    }
    if (size > 1 << 16)
        return 0;
    /* the input as an article's text (a C string: up to its first NUL) */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    int64_t id = put("fuzz", text);
    Buf expr = {0};
    size_t qlen = size > SEARCH_QUERY_MAX ? SEARCH_QUERY_MAX : size; /* callers refuse longer */
    if (search_parse((const char *)data, qlen, &expr) > 0) {
        sqlite3_bind_text(find, 1, expr.data, (int)expr.len, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(find)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "FTS5 refused \"%s\": %s\n", expr.data, sqlite3_errmsg(store->db));
            abort();
        }
        sqlite3_reset(find);
    }
    buf_free(&expr);
    if (id) {
        sqlite3_bind_int64(drop, 1, id);
        if (sqlite3_step(drop) != SQLITE_DONE) {
            fprintf(stderr, "removing failed: %s\n", sqlite3_errmsg(store->db));
            abort();
        }
        sqlite3_reset(drop);
    }
    free(text);
    return 0;
}
