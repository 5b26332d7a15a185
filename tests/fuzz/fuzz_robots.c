/* fuzz_robots.c - libFuzzer target: a robots.txt body through the group
 * and rule parser, then a few paths (including a long one) through the
 * matcher, whose '*' backtracking must stay fast on hostile patterns. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fetch/robots.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Robots r;
    robots_parse(&r, (const char *)data, size, "storywire");
    static const char *const paths[] = {"/", "/news/2026/a.html?x=1", "/private/", "/a*b$"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
        (void)robots_allowed(&r, paths[i]);
    char long_path[2048];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = '\0';
    (void)robots_allowed(&r, long_path);
    robots_free(&r);
    return 0;
}
