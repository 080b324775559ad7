/* Output files put in place whole: every writer (-o, --html, and any
 * later one) writes through this, so none can be made to write through a
 * planted symlink or widen a file's permissions.
 *   outfile_open(&o, "out.jsonl")  => a FILE* on out.jsonl.tmp.XXXXXX,
 *       created O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600, beside the target
 *   outfile_commit(&o)  => the target's mode given to it (an existing
 *       file's own, else 0666 less the umask), then renamed over it
 *   outfile_abort(&o)   => the temporary file removed
 * A target that exists and is not a regular file (a device, a pipe, a
 * symlink such as /dev/stdout) is written in place, never replaced. The
 * rename gives the target a new inode: hard links to the old file keep the
 * old content (docs/integration.md). */
#ifndef ZM_CLI_OUTFILE_H
#define ZM_CLI_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

typedef struct outfile {
    FILE *f;
    char *path;     /* the target, as named */
    char *tmp_path; /* written instead, renamed at commit; NULL: in place */
    mode_t mode;    /* given to the file at commit */
} outfile;

/* 0, or -1 with msg ("path: why"). */
int outfile_open(outfile *o, const char *path, char *msg, size_t msgsz);
/* Closes f (after the caller's last write) and puts the file in place:
 * 0, or -1 with msg. saved_errno: errno of an earlier write error to
 * report, 0 if none (then the file is committed). */
int outfile_commit(outfile *o, char *msg, size_t msgsz);
/* Closes f and removes the temporary file. */
void outfile_abort(outfile *o);

/* 1 when the two names are the same file: the same device and inode when
 * both exist, else the same resolved directory and last component. */
int outfile_same(const char *a, const char *b);

#endif
