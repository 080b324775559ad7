/* The review page's script and style (src/review/review.js, review.css),
 * compiled into the binary by mk/review.mk as a generated C file, so that
 * bin/zhmetrics alone writes a complete page (nothing to install beside
 * it, never a page with another version's script). */
#ifndef ZM_CLI_REVIEW_ASSETS_H
#define ZM_CLI_REVIEW_ASSETS_H

extern const char zm_review_js[];
extern const char zm_review_css[];

#endif
