/* cmd_kb.c - `kb`: look names up in the knowledge base the pages use, to
 * check a user file or see why a name gets no background line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/log.h"
#include "args.h"
#include "cli.h"

static const char kb_help[] =
    "Usage: storywire [--kb FILE] kb [--context NAMES] [--candidates] [--stats] NAME...\n\n"
    "Looks each NAME up in the knowledge base that story pages take their\n"
    "background lines from (--kb files, $STORYWIRE_KB, WordNet and the GNOME\n"
    "locations list; see docs/knowledge-base.md) and prints the line a page\n"
    "would show, or why there is none. Warnings about the --kb files (with\n"
    "file and line) are printed first.\n\n"
    "Options:\n"
    "  --context NAMES   names the story mentions, separated by commas: the\n"
    "                    countries among them (and regions such as a US state)\n"
    "                    decide between homonyms, as on a page\n"
    "  --candidates      also list every entry the name matches\n"
    "  --stats           print the number of entries and the load time\n"
    "  -h, --help        this help\n\n"
    "Example:\n"
    "  storywire kb --context Ukraine Kiev Lviv \"Vladimir Putin\"\n"
    "  storywire --kb wiki.jsonl kb --candidates Paris\n";

static const char *kind_word(KbKind k)
{
    return k == KB_PERSON ? "person" : k == KB_PLACE ? "place" : k == KB_ORG ? "organisation" : "other";
}

int cmd_kb(CliContext *ctx, int argc, char **argv)
{
    (void)ctx;
    if (cli_wants_help(argc, argv)) {
        fputs(kb_help, stdout);
        return EXIT_OK;
    }
    const char *context = NULL, *candidates = NULL, *stats = NULL;
    ArgSpec specs[] = {{"context", 1, &context}, {"candidates", 0, &candidates}, {"stats", 0, &stats}, {0}};
    char **pos = xmalloc(((size_t)argc + 1) * sizeof *pos);
    int n_pos;
    if (args_parse("kb", argc, argv, specs, pos, &n_pos) != 0) {
        free(pos);
        return EXIT_USAGE;
    }
    if (n_pos == 0 && !stats) {
        fputs("storywire kb: give a NAME to look up, or --stats (see 'storywire kb --help')\n", stderr);
        free(pos);
        return EXIT_USAGE;
    }
    double t0 = clock_seconds();
    const Kb *kb = cli_kb();
    double load_ms = (clock_seconds() - t0) * 1000;
    if (stats)
        printf("%zu entries, loaded in %.0f ms, %zu warnings\n", kb_count(kb), load_ms, kb_warning_count(kb));

    /* the context, as background.c builds it from a story's names */
    const char *names[64], *countries[64];
    size_t n_names = 0, n_countries = 0;
    char *ctx_copy = context ? xstrdup(context) : NULL, *save = NULL;
    for (char *t = ctx_copy ? strtok_r(ctx_copy, ",", &save) : NULL; t && n_names < 64; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (!*t)
            continue;
        names[n_names++] = t;
        const KbEntry *found[16];
        size_t n = kb_find(kb, t, strlen(t), found, 16);
        for (size_t i = 0; i < n && i < 16; i++)
            if ((found[i]->flags & KB_COUNTRY) && found[i]->country) {
                countries[n_countries++] = found[i]->country;
                break;
            }
    }
    KbContext kctx = {countries, n_countries, names, n_names, 0};
    Arena a = {0};
    int missing = 0;
    for (int i = 0; i < n_pos; i++) {
        const KbEntry *e = kb_link(kb, pos[i], &kctx);
        if (e) {
            printf("According to %s, %s%s%s%s\n", e->source, kb_sentence(&a, e, pos[i]), e->url ? " <" : "",
                   e->url ? e->url : "", e->url ? ">" : "");
        } else {
            const KbEntry *found[1];
            size_t n = kb_find(kb, pos[i], strlen(pos[i]), found, 1);
            printf("%s: no line (%s)\n", pos[i],
                   n ? "ambiguous or not safe to state in this context" : "not in the knowledge base");
            missing++;
        }
        if (candidates) {
            const KbEntry *found[32];
            size_t n = kb_find(kb, pos[i], strlen(pos[i]), found, 32);
            for (size_t k = 0; k < n && k < 32; k++)
                printf("  candidate: [%s, %s%s%s] %s (%s)\n", found[k]->source, kind_word(found[k]->kind),
                       found[k]->country ? ", in " : "", found[k]->country ? found[k]->country : "",
                       found[k]->description, found[k]->is_sentence ? "sentence" : "predicate");
        }
    }
    arena_free(&a);
    free(ctx_copy);
    free(pos);
    return missing && missing == n_pos ? EXIT_FAIL : EXIT_OK;
}
