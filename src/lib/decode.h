/* Input decoding: raw bytes of a report => UTF-8 text.
 *   EF BB BF "..."          => utf-8 (BOM dropped), encoding "utf-8-bom"
 *   FF FE 4B 6D ...         => "欧..." , encoding "utf-16le"
 *   B9 FA BC D2 (GB18030)   => "国家", encoding "gb18030"
 *   "ab\0cd"                => error "not text: NUL byte at offset 2"
 */
#ifndef ZM_DECODE_H
#define ZM_DECODE_H

#include <stddef.h>
#include "util.h"

/* On success fills out with the UTF-8 text (no BOM) and *encoding with a
 * static name; returns 0. Otherwise returns ZM_E_INPUT and writes the
 * reason to msg. */
/* bytes in charset `from` (an iconv name) => UTF-8 in out, NUL-terminated.
 * 0, or -1 with *bad_at the input offset where it failed (0 when iconv
 * does not know the charset). The one iconv loop of the library. */
int zm_iconv_utf8(const char *from, const char *bytes, size_t len, zm_buf *out, size_t *bad_at);

int zm_decode(const char *bytes, size_t len, zm_buf *out, const char **encoding,
              char *msg, size_t msgsz);
/* The same without a copy of text that is UTF-8 already: *text points
 * into bytes (after a BOM) or, for another encoding, at scratch's
 * converted text; *text_len is its length (a NUL follows only in scratch). */
int zm_decode_view(const char *bytes, size_t len, zm_buf *scratch, const char **text, size_t *text_len,
                   const char **encoding, char *msg, size_t msgsz);

#endif
