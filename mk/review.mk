# Review page (--html, src/emit_html.c): the page's script and style are
# source files (src/review/review.js, review.css), compiled into the binary
# as C strings so that bin/zhmetrics alone writes a complete page (nothing
# to install beside it, never a page with another version's script). The
# page's browser test is tests/integration/t_review.sh.
# Included by the Makefile after BUILD is set.

ZM_REVIEW_ASSETS = src/review/review.js src/review/review.css

# Each line as a C string literal: \ and " escaped, and ? too (no trigraph
# in -std=c11 can come from the script's ?? operator).
$(BUILD)/review_assets.h: $(ZM_REVIEW_ASSETS) mk/review.mk | $(BUILD)
	{ echo '/* generated from src/review/ by mk/review.mk */'; \
	  echo 'static const char zm_review_js[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' src/review/review.js; \
	  echo ';'; echo 'static const char zm_review_css[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' src/review/review.css; \
	  echo ';'; } >$@.tmp && mv $@.tmp $@

$(BUILD)/emit_html.o: $(BUILD)/review_assets.h
$(BUILD)/emit_html.o: override CFLAGS += -I$(BUILD)
