/* cmd_extract.h - `storywire extract`: print the article found in web pages. */
#ifndef SW_CMD_EXTRACT_H
#define SW_CMD_EXTRACT_H

#include "cli.h"

int cmd_extract(CliContext *ctx, int argc, char **argv);

#endif
