/* Readers: a file's bytes => the kind of document it is (by content) and
 * its text as UTF-8 lines, before the text pipeline (zm_extract).
 *   "%PDF-1.7 ..."                     => ZM_IN_PDF, text + page starts
 *   "PK\3\4 ... word/document.xml ..." => ZM_IN_DOCX, paragraphs as lines
 *   "<!DOCTYPE html><html>..."         => ZM_IN_HTML, the main text only
 *   "2019年，全县..."                  => ZM_IN_TEXT (decode.c reads it)
 * Each reader lives in its own file (input_html.c, input_docx.c,
 * input_pdf.c); input_detect.c decides the kind.
 */
#ifndef ZM_INPUT_H
#define ZM_INPUT_H

#include <stddef.h>

typedef enum {
    ZM_IN_TEXT = 0,
    ZM_IN_HTML,
    ZM_IN_DOCX,
    ZM_IN_PDF,
    ZM_IN_ZIP,    /* a zip archive that is not a Word document */
    ZM_IN_OLE2,   /* legacy .doc / .wps / .xls (compound file) */
    ZM_IN_N
} zm_input_kind;

/* "text" "html" "docx" "pdf" "zip" "ole2" */
extern const char *const zm_input_names[ZM_IN_N];

/* What a reader gives: malloc'd UTF-8 text (NUL-terminated, no NUL
 * inside), and for a PDF the byte offset where each page starts in it
 * (pages[0] == 0, non-decreasing). */
typedef struct zm_input {
    char *text;
    size_t len;
    size_t *pages;
    size_t npages;
    const char *encoding; /* the charset an HTML page was read in, else NULL */
} zm_input;

void zm_input_free(zm_input *in);

/* The kind of bytes, by content; name (may be NULL) is only a hint: a
 * ".wps" name makes a compound file a WPS document in the message. */
zm_input_kind zm_input_detect(const char *bytes, size_t len, const char *name);

/* Each reader returns 0 and fills out, or ZM_E_INPUT / ZM_E_LIMIT /
 * ZM_E_NOMEM with the reason in msg (an error record's text). max bounds
 * the text made (and for DOCX the bytes unpacked). */
int zm_input_html(const char *bytes, size_t len, size_t max, zm_input *out, char *msg, size_t msgsz);
int zm_input_docx(const char *bytes, size_t len, size_t max, zm_input *out, char *msg, size_t msgsz);
int zm_input_pdf(const char *bytes, size_t len, size_t max, zm_input *out, char *msg, size_t msgsz);

/* Dispatches on kind; ZM_IN_ZIP and ZM_IN_OLE2 give their error message. */
int zm_input_read(zm_input_kind kind, const char *bytes, size_t len, const char *name, size_t max, zm_input *out,
                  char *msg, size_t msgsz);

/* Shared by the readers (input_text.c): appends text, collapsing runs of
 * white space to one space and dropping it next to a CJK character. */
typedef struct zm_textout {
    char *data;
    size_t len, cap, max;
    int overflow;    /* more than max bytes were offered */
    int pending_sp;  /* a space is due before the next visible character */
    int pending_nl;  /* a line break is due */
    int last_cp;     /* last character written (0 at a line start) */
} zm_textout;

int zm_textout_add(zm_textout *t, const char *s, size_t n, int keep_space);
int zm_textout_raw(zm_textout *t, const char *s, size_t n);
/* Ends the current line (no empty lines are made). */
int zm_textout_nl(zm_textout *t);
int zm_textout_tab(zm_textout *t);
/* 1 when cp is a CJK ideograph or punctuation (no space around it). */
int zm_is_cjk(int cp);

/* input.c: zm_extract's hooks. Detects the kind (d->format); for a kind
 * other than text reads it, hands its text to d (d->text, the pages) and
 * points *text at it: returns 0. Returns 1 for plain text (decode.c reads
 * it), else an error code with msg. */
struct zm_doc;
int zm_input_load(struct zm_doc *d, const char *name, const char *bytes, size_t len, size_t max, const char **text,
                  size_t *text_len, char *msg, size_t msgsz);

#endif
