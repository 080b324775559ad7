/* Footnote marks glued to a figure (SPEC 6): a document's numbered notes
 *   注：1.本公报中数据均为初步统计数…
 *   2.常住人口城镇化率为年末城镇常住人口占常住人口的比重。
 * define terms; a figure right after such a term whose digits start with
 * the note's number (常住人口城镇化率241.25%) carries the mark: the figure
 * is 41.25%. Without a note that makes it plain, the figure stays as
 * written.
 */
#ifndef ZM_NOTES_H
#define ZM_NOTES_H

#include "ctx.h"

/* Finds the document's numbered notes (after a line starting 注) into
 * the facts F (c->facts_rw). */
void zm_notes_collect(const zm_ctx *c, zm_docfacts *F);
/* Bytes of a footnote mark at the start of the number at ns (the number
 * ends at ne; the figure's clause starts at cs), or 0. */
size_t zm_note_mark(const zm_ctx *c, size_t cs, size_t ns, size_t ne);

#endif
