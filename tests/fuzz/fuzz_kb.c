/* fuzz_kb.c - libFuzzer target: the knowledge base's file parsers and the
 * timeline's date phrases on arbitrary bytes. The bytes are written to a
 * scratch file and loaded as a user file (TSV or JSONL, by content) and as
 * WordNet's data.noun; then every line is read for a date and linked. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/kb.h"
#include "story/timeline.h"

static char path[64];

static void remove_scratch(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof path, "%.40s/fuzz_kb_%d.txt", tmp && *tmp ? tmp : "/tmp", (int)getpid());
        atexit(remove_scratch);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    SwErr err;
    Kb *kb = kb_new();
    kb_load_user(kb, path, &err);
    kb_load_wordnet(kb, path, &err);
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    Arena a = {0};
    const char *countries[1] = {"Ukraine"};
    KbContext ctx = {countries, 1, countries, 1, 2026};
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        EventDate d;
        if (timeline_find_date(line, 1767096000LL, &d))
            timeline_date_string(&a, &d);
        const KbEntry *e = kb_link(kb, line, &ctx);
        if (e)
            kb_sentence(&a, e, line);
    }
    arena_free(&a);
    free(text);
    kb_free(kb);
    return 0;
}
