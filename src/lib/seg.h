/* Dictionary word segmentation: a DAG of every lexicon word starting at
 * each character, then the route with the highest sum of log(freq/total)
 * (cppjieba MPSegment). Runs of ASCII letters/digits stay one token.
 *   "三支驻村尖刀班队伍" => 三支 / 驻村 / 尖刀班 / 队伍
 *   "进一步加强"         => 进一步 / 加强
 */
#ifndef ZM_SEG_H
#define ZM_SEG_H

#include <stddef.h>
#include <stdint.h>
#include "lexicon.h"

typedef struct zm_token {
    uint32_t start, len; /* bytes, relative to the segmented text */
    uint16_t pos;        /* lexicon POS id; 0 for unknown */
    uint8_t known;       /* a lexicon word */
    uint8_t memo;        /* its classes, found once by the first to ask (resolve.c); 0 from zm_seg_run */
} zm_token;

typedef struct zm_seg {
    zm_token *tok;
    size_t ntok;
    /* scratch */
    uint32_t *coff;  /* char offsets */
    int32_t *cp;     /* char code points */
#define ZM_SEG_LEVELS 3
    const zm_lex_entry **first[ZM_SEG_LEVELS]; /* the first trie steps from each char */
    double *route;
    uint32_t *next;
    uint16_t *rpos;
    uint8_t *rknown;
    size_t cap;
    /* log(freq) of recent words: a text repeats its words, and log() was a
     * fifth of the segmentation (callgrind); over 200 archive files 2,048
     * entries (32 KB) leave 78,000 log() calls, 512 left 201,000 */
    struct zm_seg_log {
        uint32_t freq; /* 0: empty */
        double log;
    } logc[2048];
} zm_seg;

/* Segments s[0..len); tokens land in sg->tok. Returns 0 or ZM_E_NOMEM. */
int zm_seg_run(zm_seg *sg, const zm_lexicon *lx, const char *s, size_t len);
void zm_seg_free(zm_seg *sg);

#endif
