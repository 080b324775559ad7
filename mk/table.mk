# Plan target tables (issue 12, SPEC 6): src/table.c.
LIB_SRC += src/table.c
