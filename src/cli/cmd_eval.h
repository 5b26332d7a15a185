/* cmd_eval.h - `eval`: score story clustering against labelled articles. */
#ifndef SW_CMD_EVAL_H
#define SW_CMD_EVAL_H

#include "cli.h"

/* `storywire eval SUBCOMMAND ...`: dispatches on argv[0] ("cluster" is
 * the one subcommand so far); argv[0] is the subcommand name. */
int cmd_eval(CliContext *ctx, int argc, char **argv);

/* `storywire eval cluster [--label KEY] [--id KEY] [--out FILE] FILE`:
 * argv holds the arguments after "cluster". Clusters the labelled
 * articles of FILE in a throw-away database through the update pipeline
 * and prints one JSON object of scores on stdout. Exit status as for
 * ingest (0, 1, 2 when some lines were skipped, 64 usage). */
int cmd_eval_cluster(CliContext *ctx, int argc, char **argv);

#endif
