/* cmd_eval_summary.h - `eval summary`: score the page writer's summaries
 * with ROUGE against reference summaries. */
#ifndef SW_CMD_EVAL_SUMMARY_H
#define SW_CMD_EVAL_SUMMARY_H

#include "cli.h"

/* `storywire eval summary [--words N] [--out FILE] [--wordnet-exc FILE]
 * [--no-idf] FILE.jsonl`: argv holds the arguments after "summary". FILE
 * has one cluster a line: {"id", "docs": [article objects as in the
 * ingest format], "refs": [reference summaries], "words": budget
 * (optional, overrides --words, default 100)}. For each cluster the page
 * writer's selection (page_select_summary) picks sentences up to the
 * budget; ROUGE-1.5.5 with `-n 2 -2 4 -u -m -l BUDGET` scores them against
 * the references. Prints one JSON object: ROUGE-1, ROUGE-2, ROUGE-L and
 * ROUGE-SU4 recall, precision and F1 (means over clusters), clusters and
 * clusters_per_sec. --out writes {"id", "summary": [sentences]} a line.
 * Exit status 0, 1 (nothing scored / unreadable), 2 (some lines skipped),
 * 64 (usage). --help prints the usage. */
int cmd_eval_summary(CliContext *ctx, int argc, char **argv);

#endif
