/* `zhmetrics track` (track_cmd.c), called from main.c. */
#ifndef ZM_TRACK_CMD_H
#define ZM_TRACK_CMD_H
#include "cli.h"

/* 1 when argv[1] is "track": drops it and --from-jsonl FILE from argv
 * (the rest is the main command's options and inputs). */
int track_args(int *argc, char **argv, const char **from_jsonl);
/* The run, after the model is loaded: the exit status. */
int track_run(const zm_model *model, options *o, const char *data_dir, const char *from_jsonl, char **inputs,
              int ninputs);

#endif
