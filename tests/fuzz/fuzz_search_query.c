/* fuzz_search_query.c - libFuzzer target: whatever a reader types, the
 * FTS5 expression search_parse makes of it is valid FTS5 syntax (SQLite
 * accepts it in MATCH), so no query can reach the index as syntax or fail
 * the search. */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/search.h"

static sqlite3 *db;
static sqlite3_stmt *st;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db) {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
            sqlite3_exec(db,
                         "CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize='unicode61 remove_diacritics 2');"
                         "INSERT INTO t VALUES ('storm hits the coast', 'power cut to 20,000 homes');",
                         NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1", -1, &st, NULL) != SQLITE_OK)
            abort();
    }
    if (size > SEARCH_QUERY_MAX)
        return 0; /* callers refuse longer queries */
    Buf expr = {0};
    if (search_parse((const char *)data, size, &expr) > 0) {
        sqlite3_bind_text(st, 1, expr.data, (int)expr.len, SQLITE_STATIC);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            fprintf(stderr, "FTS5 refused \"%s\": %s\n", expr.data, sqlite3_errmsg(db));
            abort();
        }
        sqlite3_reset(st);
    }
    buf_free(&expr);
    return 0;
}
