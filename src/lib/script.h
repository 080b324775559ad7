/* Traditional script read as simplified (SPEC 6). A document whose Han
 * characters are in a good part traditional has its normalised text (the
 * one rules, units, cues and the lexicon see) converted character by
 * character with OpenCC's TSCharacters table, made at build time from
 * Debian's OpenCC data (scripts/gen-tschars.sh). Only same-length pairs
 * are in the table, so every offset stays where it was: spans, text,
 * subject and sentence are still copied from the text as written.
 *   "七點五億澳門元" => "七点五亿澳门元" (same bytes, same offsets)
 * Why per character and not OpenCC's phrase conversion: phrases may
 * change a text's length (offsets would need a map) and the words figures
 * need (萬 億 點 個 兩, units, cues) are single-character conversions.
 */
#ifndef ZM_SCRIPT_H
#define ZM_SCRIPT_H

#include <stddef.h>

/* 1 when text[0..len) reads as traditional script: at least 1 in 20 of its
  * Han characters (of its first 256) convert, and two at least (simplified
 * text has next to none). */
int zm_script_is_traditional(const char *text, size_t len);
/* Converts text[0..len) in place; returns the characters changed. */
size_t zm_script_simplify(char *text, size_t len);
/* Number of pairs in the built-in table (0 when built without OpenCC). */
size_t zm_script_table_size(void);

#endif
