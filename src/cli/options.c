/* The command line read into `options`: usage text, values checked
 * (sizes, dates, job counts, formats), conflicting outputs refused. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage[] =
    "Usage: zhmetrics [OPTIONS] [FILE|DIR|-]...\n"
    "       zhmetrics track [OPTIONS] [--from-jsonl FILE|-] [FILE|DIR|-]...\n"
    "         (each target beside the actual that answers it: docs/tracking.md)\n"
    "Extract figures (counts, money, ratios, measures, durations) from Chinese\n"
    "government reports as JSON Lines records (document, metric, error).\n"
    "Directories are walked recursively; '-' or no argument reads stdin.\n"
    "\n"
    "Options:\n"
    "  --jsonl-in          read JSON Lines {\"id\":...,\"text\":...} from stdin;\n"
    "                      id becomes the record's doc (a Hadoop Streaming or\n"
    "                      Spark pipe mapper)\n"
    "  --format FMT        jsonl (default), json (one pretty object per input) or\n"
    "                      csv (RFC 4180: a header row, then one row per metric\n"
    "                      with its document's fields)\n"
    "  --csv-raw           CSV text cells as they are: by default a cell starting\n"
    "                      with = + - @ tab or CR gets a leading ' (no formula in\n"
    "                      a spreadsheet)\n"
    "  -o, --output FILE   write to FILE (via a temporary file, renamed at the end)\n"
    "  --sqlite FILE       also store the records in the SQLite database FILE\n"
    "                      (tables documents and metrics); a re-run replaces the\n"
    "                      rows of the same inputs\n"
    "  --html FILE         also write a review page: FILE and its data directory\n"
    "                      (FILE's stem + .data): every text with its figures\n"
    "                      highlighted, a sortable, filterable table of them\n"
    "                      (with --sqlite or --html, records go to stdout only if\n"
    "                      -o or --format is given too)\n"
    "  --glob PATTERN      file names taken from directories (default *.txt,\n"
    "                      *.htm, *.html, *.docx, *.pdf; the kind is read from\n"
    "                      the content)\n"
    "  --list-inputs       extract nothing: list the files the run would read\n"
    "                      (F<path>) and the error records it would give for the\n"
    "                      others (E<record>), each ending in a NUL byte\n"
    "                      (scripts/parallel-shard.sh)\n"
    "  -j, --jobs N        worker threads (default 1); output stays in input order\n"
    "  --dict DIR          user dictionary: files named as in dict/ extend it\n"
    "  --data-dir DIR      main dictionary directory (default: $ZHMETRICS_DATA,\n"
    "                      else next to the binary, else " ZM_DATA_DIR ")\n"
    "  --lexicon FILE      general lexicon (jieba format); '' for none\n"
    "  --cache-dir DIR     where the compiled lexicon is cached (default:\n"
    "                      $ZHMETRICS_CACHE, else ~/.cache/zhmetrics); '' for none\n"
    "  --ref-date DATE     reference date YYYY-MM-DD (overrides the document's)\n"
    "  --max-bytes N       largest document accepted (default 67108864; k, M, G)\n"
    "  --explain           add to each metric the rule and cues that decided it\n"
    "  --list-indicators   print the indicator catalog (TSV: id, name, kind, unit,\n"
    "                      direction; with --dict's entries) and exit\n"
    "  --progress          progress on stderr (files done of total, MB/s, errors),\n"
    "                      also when stderr is not a terminal\n"
    "  -q, --quiet         no warnings on stderr, and no progress unless --progress\n"
    "  --version           print the version\n"
    "  -h, --help          this help\n"
    "\n"
    "Progress is shown on long runs when stderr is a terminal.\n"
    "Exit status: 0 all inputs processed, 1 some inputs gave error records,\n"
    "2 usage or output error, 3 dictionary or rule file error.\n"
    "Record format: see docs/format.md and SPEC.md; CSV, SQLite, PostgreSQL,\n"
    "Hadoop, Spark and GNU parallel: docs/integration.md; man zhmetrics.\n";


static int parse_size(const char *s, size_t *out)
{
    char *e;
    if (*s < '0' || *s > '9') /* strtoull would take " 5" and wrap "-5" */
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || e == s)
        return -1;
    int shift = 0;
    if (*e == 'k' || *e == 'K')
        shift = 10, e++;
    else if (*e == 'm' || *e == 'M')
        shift = 20, e++;
    else if (*e == 'g' || *e == 'G')
        shift = 30, e++;
    if (*e || v == 0 || v > ((unsigned long long)SIZE_MAX >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhmetrics: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'zhmetrics --help'.\n");
    return EXIT_USAGE;
}

/* Ends --help and --version: their output must have been written. */
int close_stdout_info(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return 0;
    fprintf(stderr, "zhmetrics: write error on stdout: %s\n", strerror(errno ? errno : EIO));
    return EXIT_USAGE;
}


/* Reads the command line into *o and the inputs (pointers into argv, in
 * a malloc'd array the caller frees); returns -1 to run, else the exit
 * status (--help, --version, a usage error). */
int parse_options(int argc, char **argv, options *o, char ***inputs_out, int *ninputs_out)
{
    o->glob = NULL; /* the readable kinds: glob_match (inputs.c) */
    o->jobs = 1;
    char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int ninputs = 0, only_inputs = 0;
    if (!inputs)
        return EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
#define TAKES(opt) ((strcmp(a, opt) == 0 && i + 1 < argc && (val = argv[++i])) || \
                    (strncmp(a, opt "=", strlen(opt) + 1) == 0 && (val = a + strlen(opt) + 1)))
/* a short option with its value attached, as getopt reads it: -j4, -oout.jsonl */
#define ATTACHED(opt) (opt[2] == 0 && strncmp(a, opt, 2) == 0 && a[2] && (val = a + 2))
        if (only_inputs || a[0] != '-' || strcmp(a, "-") == 0) {
            inputs[ninputs++] = argv[i];
        } else if (strcmp(a, "--") == 0) {
            only_inputs = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            free(inputs);
            return close_stdout_info();
        } else if (strcmp(a, "--version") == 0) {
            printf("zhmetrics %s\n", zm_version()); /* the library's, at run time */
            free(inputs);
            return close_stdout_info();
        } else if (strcmp(a, "--jsonl-in") == 0) {
            o->jsonl_in = 1;
        } else if (strcmp(a, "--list-inputs") == 0) {
            o->list_inputs = 1;
        } else if (strcmp(a, "--csv-raw") == 0) {
            o->csv_raw = 1;
        } else if (strcmp(a, "--explain") == 0) {
            o->explain = 1;
        } else if (strcmp(a, "--list-indicators") == 0) {
            o->list_indicators = 1;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            o->quiet = 1;
        } else if (strcmp(a, "--progress") == 0) {
            o->progress = 1;
        } else if (TAKES("--format")) {
            o->format_given = 1;
            if (strcmp(val, "jsonl") == 0)
                o->format = ZM_FORMAT_JSONL;
            else if (strcmp(val, "json") == 0)
                o->format = ZM_FORMAT_JSON;
            else if (strcmp(val, "csv") == 0)
                o->format = FORMAT_CSV;
            else
                return free(inputs), usage_error("unknown format '%s' (jsonl, json or csv)", val);
        } else if (TAKES("-o") || TAKES("--output") || ATTACHED("-o")) {
            o->output = val;
        } else if (TAKES("--sqlite")) {
            o->sqlite = val;
        } else if (TAKES("--html")) {
            o->html = val;
        } else if (TAKES("--glob")) {
            o->glob = val;
        } else if (TAKES("-j") || TAKES("--jobs") || ATTACHED("-j")) {
            char *e;
            long n = strtol(val, &e, 10);
            if (*e || n < 1 || n > 256)
                return free(inputs), usage_error("bad --jobs '%s' (1-256)", val);
            o->jobs = (int)n;
        } else if (TAKES("--dict")) {
            o->user_dict = val;
        } else if (TAKES("--data-dir")) {
            o->data_dir = val;
        } else if (TAKES("--lexicon")) {
            o->lexicon = val;
        } else if (TAKES("--cache-dir")) {
            o->cache_dir = val;
        } else if (TAKES("--ref-date")) {
            if (!valid_date(val))
                return free(inputs), usage_error("bad --ref-date '%s' (YYYY-MM-DD, a day that exists)", val);
            o->ref_date = val;
        } else if (TAKES("--max-bytes")) {
            if (parse_size(val, &o->max_bytes))
                return free(inputs), usage_error("bad --max-bytes '%s' (a positive size: 1000, 64k, 16M, 1G)", val);
        } else {
            return free(inputs), usage_error("unknown or incomplete option '%s'", a);
        }
#undef TAKES
#undef ATTACHED
    }
    /* an empty name or pattern would discard everything in silence */
    if (o->sqlite && !*o->sqlite)
        return free(inputs), usage_error("--sqlite needs a file name%s", "");
    if (o->html && !*o->html)
        return free(inputs), usage_error("--html needs a file name%s", "");
    if (o->output && !*o->output)
        return free(inputs), usage_error("-o needs a file name (- for stdout)%s", "");
    if (o->glob && !*o->glob) /* NULL: every kind the readers know */
        return free(inputs), usage_error("--glob needs a pattern (* for every file)%s", "");
    if (o->jsonl_in && ninputs) {
        const char *first = inputs[0]; /* points into argv */
        free(inputs);
        return usage_error("--jsonl-in reads stdin only; got file argument '%s'", first);
    }
    if ((o->sqlite && o->html && strcmp(o->sqlite, o->html) == 0) ||
        (o->output && ((o->sqlite && strcmp(o->output, o->sqlite) == 0) || (o->html && strcmp(o->output, o->html) == 0))))
        return free(inputs), usage_error("'%s' named for two outputs", o->sqlite && o->html && strcmp(o->sqlite, o->html) == 0
                                                                ? o->sqlite
                                                                : o->output);
    *inputs_out = inputs;
    *ninputs_out = ninputs;
    return -1;
}
