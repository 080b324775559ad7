# Plan target tables (issue 12, SPEC 6): src/lib/table.c; footnote marks: src/lib/notes.c.
LIB_SRC += src/lib/table.c src/lib/notes.c
