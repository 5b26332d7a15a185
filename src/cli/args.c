/* args.c - long options anywhere on the command line. */
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int args_parse(const char *command, int argc, char **argv, const ArgSpec *specs, char **pos, int *n_pos)
{
    *n_pos = 0;
    int only_pos = 0;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            pos[(*n_pos)++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const ArgSpec *s = specs;
        for (; s && s->name; s++)
            if (strlen(s->name) == len && strncmp(s->name, name, len) == 0)
                break;
        if (!s || !s->name) {
            fprintf(stderr, "storywire %s: unknown option '%s' (see 'storywire %s --help')\n", command, a, command);
            return -1;
        }
        if (!s->takes_value) {
            if (eq) {
                fprintf(stderr, "storywire %s: option '--%s' takes no value\n", command, s->name);
                return -1;
            }
            *s->value = "1";
        } else if (eq) {
            *s->value = eq + 1;
        } else if (i + 1 < argc) {
            *s->value = argv[++i];
        } else {
            fprintf(stderr, "storywire %s: option '--%s' needs a value\n", command, s->name);
            return -1;
        }
    }
    return 0;
}

long args_long(const char *command, const char *name, const char *value, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || end == value || *end || v < min || v > max) {
        fprintf(stderr, "storywire %s: --%s must be a whole number from %ld to %ld, not '%s'\n", command,
                name, min, max, value);
        return -1;
    }
    return v;
}
