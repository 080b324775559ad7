# Indicator catalog and matcher (issue 13): src/lib/indicator.c in the library.
LIB_SRC += src/lib/indicator.c

.PHONY: check-indicators-doc
# docs/indicators.md must be what scripts/gen-indicators-doc makes of dict/indicators.tsv
check-indicators-doc:
	scripts/gen-indicators-doc --check
