/* Line breaks that only wrap a paragraph at the page width, as text
 * converted from PDF keeps them:
 *   "专任教师" / "4123人。"  (lines of one width, the first not ending a
 *   sentence, the next not starting a heading or list item)
 *   => one line "专任教师4123人。" for matching; offsets still map back.
 * Found on the decoded text before normalisation (norm.c drops them). A
 * document whose lines are paragraphs (Word, HTML, a PDF read by its
 * reader) has none.
 */
#ifndef ZM_UNWRAP_H
#define ZM_UNWRAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct zm_unwrap {
    uint32_t *at; /* offsets of the dropped breaks' first byte ('\r' or '\n'), ascending */
    size_t n, cap;
} zm_unwrap;

/* Finds the wrapping breaks of src (reusing u's buffer). 0 or ZM_E_NOMEM. */
int zm_unwrap_find(zm_unwrap *u, const char *src, size_t len);
void zm_unwrap_free(zm_unwrap *u);

/* How many dropped breaks stand before the original offset orig: a line
 * number counted on the unwrapped text plus this is the original line. */
size_t zm_unwrap_before(const zm_unwrap *u, size_t orig);

#endif
