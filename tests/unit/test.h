/* test.h - a minimal test harness. Each tests/unit/test_*.c is one binary:
 * its main() calls RUN(test_fn) for each test and ends with
 * `return test_summary("name");`, which prints "name: N passed, M failed"
 * and returns non-zero when anything failed. A test function reads as one
 * statement of behaviour: input, expected output. */
#ifndef SW_TEST_H
#define SW_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_checks, test_passed, test_failed;
static const char *test_current;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "  FAIL %s (%s:%d): %s\n", test_current, __FILE__, __LINE__, #cond); \
            test_failed_checks++;                                                     \
        }                                                                             \
    } while (0)

#define CHECK_STR(got, want)                                                          \
    do {                                                                              \
        const char *g_ = (got), *w_ = (want);                                         \
        if (!g_ || !w_ || strcmp(g_, w_) != 0) {                                      \
            fprintf(stderr, "  FAIL %s (%s:%d): %s\n    got:  \"%s\"\n    want: \"%s\"\n", \
                    test_current, __FILE__, __LINE__, #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
            test_failed_checks++;                                                     \
        }                                                                             \
    } while (0)

#define CHECK_INT(got, want)                                                          \
    do {                                                                              \
        long long g_ = (long long)(got), w_ = (long long)(want);                      \
        if (g_ != w_) {                                                               \
            fprintf(stderr, "  FAIL %s (%s:%d): %s = %lld, want %lld\n", test_current, \
                    __FILE__, __LINE__, #got, g_, w_);                                \
            test_failed_checks++;                                                     \
        }                                                                             \
    } while (0)

#define RUN(fn)                                                                       \
    do {                                                                              \
        int before_ = test_failed_checks;                                             \
        test_current = #fn;                                                           \
        fn();                                                                         \
        if (test_failed_checks == before_)                                            \
            test_passed++;                                                            \
        else                                                                          \
            test_failed++;                                                            \
    } while (0)

static inline int test_summary(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
