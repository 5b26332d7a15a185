/* args.h - small command-line option parsing shared by the commands.
 * Options are GNU-style long options ("--limit 5" or "--limit=5") that may
 * appear anywhere; "--" ends options. */
#ifndef SW_ARGS_H
#define SW_ARGS_H

typedef struct ArgSpec {
    const char *name;   /* without dashes: "limit" */
    int takes_value;
    const char **value; /* receives the value (or "1" for flags) */
} ArgSpec;

/* Parses argv[0..argc) (argv[0] is the first argument, not the command).
 * Fills specs' values, collects the positional arguments into pos (capacity
 * argc) and their count into *n_pos. Returns 0, or -1 after printing a
 * usage error naming the command. */
int args_parse(const char *command, int argc, char **argv, const ArgSpec *specs, char **pos, int *n_pos);

/* Parses a non-negative integer option; -1 after printing an error. */
long args_long(const char *command, const char *name, const char *value, long min, long max);

#endif
