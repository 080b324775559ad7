# Plan target tables (issue 12, SPEC 6): src/table.c; footnote marks: src/notes.c.
LIB_SRC += src/table.c src/notes.c
