/* Target tables of plans (SPEC 6, issue 12): a tab-separated block whose
 * header names years and, optionally, the indicator's attribute
 *   指标<TAB>2020年<TAB>2025年<TAB>属性
 *   学前三年毛入园率（%）<TAB>88.5<TAB>92<TAB>预期性
 * gives one record per cell: unit and multiplier from the row label's
 * parentheses, qualifier from the cell (≥50, >95, 97以上), subject from the
 * label, time the column's year; a column before the plan's period is the
 * baseline (actual), a later one a target. 约束性/预期性 become the
 * target_type binding/expected. A cell that is not a number (—) gives none.
 */
#ifndef ZM_TABLE_H
#define ZM_TABLE_H

#include "ctx.h"

#define ZM_TABLE_MAX_COLS 8

/* A cell read as a candidate, and what its row and column say. */
typedef struct zm_table_cell {
    zm_candidate cand;
    size_t subj_s, subj_e;  /* the row label's subject, in the normalised text */
    int col;                /* its column (1: the first after the label) */
    const char *type;       /* binding, expected or NULL */
} zm_table_cell;

typedef struct zm_table_state {
    int active;             /* a header was seen and rows follow */
    int ncols;
    int year[ZM_TABLE_MAX_COLS]; /* year of each column, 0 for other columns */
    int attr_col;           /* column of 属性, or -1 */
    int ncells;             /* the row's cells read by zm_table_line */
    zm_table_cell cell[ZM_TABLE_MAX_COLS];
} zm_table_state;

/* 1 when ln is a table header or row (its cells are added to d as
 * candidates, st->cell, and the line needs no other reading), 0 when it
 * is not, < 0 on error. */
int zm_table_line(zm_ctx *c, zm_doc *d, const zm_line *ln, zm_table_state *st);
/* After the cell's candidate is resolved: the row gives its subject, the
 * column its time and status (a column before the plan's period is the
 * baseline), the attribute column its target type. */
int zm_table_settle(zm_ctx *c, zm_doc *d, const zm_table_cell *cell);

#endif
