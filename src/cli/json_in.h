/* JSON Lines input ({"id":…,"text":…} per line), as Hadoop Streaming and
 * Spark pipe feed a mapper.
 *   {"id":"a","text":"共12所"} => id "a", text "共12所"
 *   {"id":7,"text":"…"}        => id "7"
 *   not JSON / no text         => -1 and a message
 */
#ifndef ZM_JSON_IN_H
#define ZM_JSON_IN_H
#include <stddef.h>

/* On success *id and *text are malloc'd (caller frees). */
int zm_jsonl_parse(const char *line, size_t len, char **id, char **text, size_t *text_len, char *msg, size_t msgsz);

#endif
