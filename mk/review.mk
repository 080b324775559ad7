# Review page (--html, src/cli/emit_html.c): the page's script and style are
# source files (src/review/review.js, review.css), compiled into the binary
# as C strings (declared in src/cli/review_assets.h) so that bin/zhmetrics
# alone writes a complete page (nothing to install beside it, never a page
# with another version's script). The page's browser test is
# tests/integration/t_review.sh. Included by the Makefile after BUILD is set.

ZM_REVIEW_ASSETS = src/review/review.js src/review/review.css

# Each line as a C string literal: \ and " escaped, and ? too (no trigraph
# in -std=c11 can come from the script's ?? operator).
$(BUILD)/cli/review_assets.c: $(ZM_REVIEW_ASSETS) mk/review.mk
	@mkdir -p $(BUILD)/cli
	{ echo '/* generated from src/review/ by mk/review.mk */'; \
	  echo '#include "review_assets.h"'; \
	  echo 'const char zm_review_js[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' src/review/review.js; \
	  echo ';'; echo 'const char zm_review_css[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' src/review/review.css; \
	  echo ';'; } >$@.tmp && mv $@.tmp $@

$(BUILD)/cli/review_assets.o: $(BUILD)/cli/review_assets.c src/cli/review_assets.h
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CLI_INC) -c -o $@ $<

CLI_OBJ += $(BUILD)/cli/review_assets.o
