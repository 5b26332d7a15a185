/* cmd_tune.h - `storywire tune cluster`: learn the clustering model. */
#ifndef SW_CMD_TUNE_H
#define SW_CMD_TUNE_H

#include "cli.h"

/* `tune SUBCOMMAND ...`; argv[0] is the subcommand. */
int cmd_tune(CliContext *ctx, int argc, char **argv);

#endif
