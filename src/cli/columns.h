/* The record field table (zm_field_info) flattened into columns, for the
 * tabular outputs (CSV, SQLite): a range gives three columns, a span two,
 * a metric id two (the id and its number n).
 *   period => period_text, period_from, period_to
 *   id     => id ("a.txt#3"), n (3)
 * Both outputs list their columns from here, and read every cell through
 * zm_column_cell: a field added to the table is a column of both.
 */
#ifndef ZM_COLUMNS_H
#define ZM_COLUMNS_H

#include <stddef.h>
#include "sbuf.h"
#include "zhmetrics.h"

typedef enum { ZM_COL_TEXT, ZM_COL_INT, ZM_COL_NUMERIC, ZM_COL_BOOL } zm_col_type;

typedef struct zm_column {
    char name[64];
    int record;      /* ZM_RECORD_DOCUMENT or ZM_RECORD_METRIC */
    size_t field;    /* index in the record's field table */
    int part;        /* which piece of the field (columns.c) */
    zm_col_type type;
    const zm_field *info;
} zm_column;

typedef struct zm_cell {
    int is_null;
    const char *s;   /* ZM_COL_TEXT, ZM_COL_NUMERIC */
    long long i;     /* ZM_COL_INT, ZM_COL_BOOL */
} zm_cell;

/* Flavours of the flattening. */
enum {
    ZM_COLS_CSV = 1,    /* CSV names (doc_bytes), documents' columns then metrics', by version */
    ZM_COLS_NO_KEYS = 2 /* leave out the key fields (SQLite writes its keys itself) */
};

/* The columns of `record` (or of both with record -1, a metric's
 * ZM_FIELD_FROM_DOC fields left out) into out (room for
 * max); returns how many, or -1 when max is too small. A run of number
 * fields gives, with numeric_text, a _text column after each number
 * column of the run (SQLite's value, value_max, value_text,
 * value_max_text). */
int zm_columns(int record, unsigned flags, int numeric_text, zm_column *out, int max);

/* The cell of column c for document d (metric i for a metric column);
 * tmp holds composed text (an id, a section array) until the next call. */
int zm_column_cell(const zm_column *c, const zm_doc *d, size_t i, sbuf *tmp, zm_cell *out);

#endif
