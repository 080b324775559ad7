/* Output files put in place whole (outfile.h). */
#define _DEFAULT_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Six characters from [A-Za-z0-9]: unpredictable enough with O_EXCL
 * (a planted name is refused, never followed), the loop tries again. */
static void random_suffix(char *s)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static uint64_t state;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    state ^= (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)getpid() << 32 ^ (uint64_t)(uintptr_t)s;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        uint64_t r;
        if (read(fd, &r, sizeof r) == (ssize_t)sizeof r)
            state ^= r;
        close(fd);
    }
    for (int i = 0; i < 6; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        s[i] = set[(state >> 33) % (sizeof set - 1)];
    }
}

int outfile_open(outfile *o, const char *path, char *msg, size_t msgsz)
{
    memset(o, 0, sizeof *o);
    if (!(o->path = strdup(path))) {
        snprintf(msg, msgsz, "%s: out of memory", path);
        return -1;
    }
    struct stat st;
    int exists = lstat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        snprintf(msg, msgsz, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device, a pipe, a symlink (/dev/stdout): written in place */
        if (!(o->f = fopen(path, "wb"))) {
            snprintf(msg, msgsz, "%s: %s", path, strerror(errno));
            goto fail;
        }
        return 0;
    }
    if (exists) {
        o->mode = st.st_mode & 07777;
    } else {
        mode_t um = umask(0);
        umask(um);
        o->mode = 0666 & ~um;
    }
    size_t n = strlen(path) + 16;
    if (!(o->tmp_path = malloc(n))) {
        snprintf(msg, msgsz, "%s: out of memory", path);
        goto fail;
    }
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        snprintf(o->tmp_path, n, "%s.tmp.XXXXXX", path);
        random_suffix(o->tmp_path + strlen(o->tmp_path) - 6);
        fd = open(o->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        snprintf(msg, msgsz, "%s: %s", o->tmp_path, strerror(errno));
        goto fail;
    }
    if (!(o->f = fdopen(fd, "wb"))) {
        snprintf(msg, msgsz, "%s: %s", o->tmp_path, strerror(errno));
        close(fd);
        unlink(o->tmp_path);
        goto fail;
    }
    return 0;
fail:
    free(o->tmp_path);
    free(o->path);
    memset(o, 0, sizeof *o);
    return -1;
}

int outfile_commit(outfile *o, char *msg, size_t msgsz)
{
    int rc = 0;
    if (o->tmp_path && fchmod(fileno(o->f), o->mode) != 0) {
        snprintf(msg, msgsz, "%s: %s", o->tmp_path, strerror(errno));
        rc = -1;
    }
    if (fclose(o->f) != 0 && !rc) {
        snprintf(msg, msgsz, "write error on %s: %s", o->path, strerror(errno));
        rc = -1;
    }
    o->f = NULL;
    if (o->tmp_path && !rc && rename(o->tmp_path, o->path) != 0) {
        snprintf(msg, msgsz, "%s: %s", o->path, strerror(errno));
        rc = -1;
    }
    if (o->tmp_path && rc)
        unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->path);
    memset(o, 0, sizeof *o);
    return rc;
}

void outfile_abort(outfile *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp_path)
        unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->path);
    memset(o, 0, sizeof *o);
}

/* The resolved directory of path and its last component, for a name that
 * does not exist yet; 0 or -1. */
static int resolve_parent(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX], real[PATH_MAX];
    const char *base = slash ? slash + 1 : path;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    if (!realpath(dir, real))
        return -1;
    return snprintf(out, outsz, "%s/%s", real, base) < (int)outsz ? 0 : -1;
}

int outfile_same(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    struct stat sa, sb;
    int ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;
    if (ea && eb)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea != eb)
        return 0;
    char ra[PATH_MAX + 256], rb[PATH_MAX + 256];
    return resolve_parent(a, ra, sizeof ra) == 0 && resolve_parent(b, rb, sizeof rb) == 0 && strcmp(ra, rb) == 0;
}
