/* Input names as valid UTF-8, whatever the file system gave: every output
 * (JSON, CSV, HTML, SQLite) must stay valid UTF-8.
 *   "a.txt"                 => "a.txt"
 *   GBK bytes of 报告.txt    => "报告.txt" (GB18030, when the bytes are valid)
 *   "a\xff.txt" otherwise   => "a\\xFF.txt" (the byte kept visible)
 */
#ifndef ZM_CLI_NAME_UTF8_H
#define ZM_CLI_NAME_UTF8_H

/* A malloc'd UTF-8 copy of name; NULL when out of memory. */
char *zm_name_utf8(const char *name);

#endif
