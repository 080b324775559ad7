#!/usr/bin/python3
"""Runs zhmetrics on a Dask cluster: the records of one zhmetrics process.

  scripts/dask-run.py --scheduler tcp://host:8786 reports/ > all.jsonl
  scripts/dask-run.py --scheduler-file sched.json --jsonl docs.jsonl -o all.jsonl
  scripts/dask-run.py --local 4 --parts out/ reports/ -- --ref-date 2021-01-01

The inputs (files, the *.txt under directories, or the lines of a JSON
Lines file with --jsonl) become a Dask bag, cut into partitions of -n
inputs. Each partition is a task; the task runs zhmetrics on its worker:
  - JSON Lines are piped through `zhmetrics --jsonl-in`;
  - files are sent as their bytes and written to the task's scratch
    directory, then given to `zhmetrics` as files: --jsonl-in takes UTF-8
    text only, and a file's `encoding` (GB18030, UTF-16, a BOM) and its
    `not text` error come from its bytes. The names in the records are put
    back to the paths given here.
Nothing on the workers is assumed: the binary, the dictionary directory
and the general lexicon go to them as data (a tarball in a worker plugin,
which the scheduler also hands to workers that join later), unpacked in
each worker's local directory. The binary needs the same shared libraries
on the workers (libpcre2-8, libcjson, libsqlite3) or a static build; or
give --worker-zhmetrics PATH to run a binary installed there instead.

Each partition's records are written here, by this process, as
PARTS/part-NNNNN.jsonl (to a temporary name, then renamed: a task the
scheduler retries gives its partition once), with PARTS/index.json saying
which inputs each part holds. Then the merge reads the parts in order,
checks that every input has exactly one `document` or `error` record, in
its part and nowhere else, and writes them all to stdout (or -o FILE).

Options (inputs after them; zhmetrics options after --):
  --scheduler ADDR | --scheduler-file FILE | --local N   the cluster
  --jsonl FILE      input is JSON Lines ({"id":…,"text":…} a line)
  -n N              inputs per partition (default 20)
  --parts DIR       keep the part files and index.json there (default: a
                    temporary directory, removed)
  -o FILE           merged records to FILE (default stdout)
  --glob GLOB       names taken from directories (default *.txt)
  --merge DIR       no run: check and merge the parts an earlier run left
                    in DIR (its --parts)
  --zhmetrics PATH  the binary shipped (default bin/zhmetrics beside this
                    script's directory, else zhmetrics on PATH)
  --worker-zhmetrics PATH  run this binary on the workers, ship none
  --data-dir DIR    the dictionary shipped (default as zhmetrics finds it)
  --lexicon FILE    the general lexicon shipped (default jieba's dict.txt
                    when present; '' for none)
  --task-delay S, --trace FILE   for tests: each task sleeps S seconds
                    first; appends "start|done PART PID" to FILE (a path on
                    the worker's machine)
Exit status: 0 all inputs processed, 1 some gave error records, 2 usage,
cluster or merge error (a lost or duplicated record), 3 dictionary error.
"""
import argparse
import fnmatch
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

LEXICON = "/usr/lib/python3/dist-packages/jieba/dict.txt"
HERE = os.path.dirname(os.path.abspath(__file__))


class MergeError(Exception):
    pass


def die(msg, status=2):
    print("dask-run: " + msg, file=sys.stderr)
    sys.exit(status)


def jstr(s):
    """s as zhmetrics (cJSON) writes a JSON string: UTF-8, control
    characters escaped, nothing else."""
    return json.dumps(s, ensure_ascii=False)


# ---- inputs ------------------------------------------------------------

def list_files(paths, glob):
    """The files as zhmetrics takes them: a directory's names matching glob,
    hidden names skipped, symlinks followed; the lot sorted (as
    parallel-shard.sh: by whole path) so partitions are contiguous."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            for d, dirs, files in os.walk(p, followlinks=True):
                dirs[:] = [x for x in dirs if not x.startswith(".")]
                for f in files:
                    if not f.startswith(".") and fnmatch.fnmatchcase(f, glob):
                        out.append(os.path.join(d, f))
        else:
            out.append(p)
    return sorted(out, key=os.fsencode)


def file_items(paths):
    """(name, bytes, None) or (name, None, error message) per file."""
    for p in paths:
        try:
            with open(p, "rb") as f:
                yield (p, f.read(), None)
        except OSError as e:
            yield (p, None, "cannot read: " + os.strerror(e.errno))


def jsonl_items(path):
    """(expected doc or None, line bytes, line number) per non-empty line:
    zhmetrics skips empty lines and names a line without an id stdin:N."""
    with open(path, "rb") as f:
        for no, line in enumerate(f, 1):
            body = line.rstrip(b"\n")
            if not body:
                continue
            doc = None  # an id zhmetrics writes its own way (a number): not checked
            try:
                o = json.loads(body)
            except ValueError:
                o = None
            if not isinstance(o, dict) or "id" not in o:
                doc = "stdin:%d" % no
            elif isinstance(o["id"], str):
                doc = o["id"]
            yield (doc, body + b"\n", no)


# ---- the bundle shipped to workers --------------------------------------

def data_dir_for(zm, given):
    if given:
        return given
    if os.environ.get("ZHMETRICS_DATA"):
        return os.environ["ZHMETRICS_DATA"]
    bindir = os.path.dirname(os.path.realpath(zm))
    for c in ("../dict", "../share/zhmetrics/dict"):
        if os.path.isdir(os.path.join(bindir, c)):
            return os.path.join(bindir, c)
    return "/usr/local/share/zhmetrics/dict"


def make_bundle(zm, data_dir, lexicon):
    buf = io.BytesIO()
    # gzip without a timestamp: the same files give the same bundle name
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as tar:
        if zm:
            tar.add(zm, arcname="zhmetrics")
        tar.add(data_dir, arcname="dict")
        if lexicon:
            tar.add(lexicon, arcname="lexicon.txt")
    return buf.getvalue()


def bundle_plugin(name, data):
    """A worker plugin that unpacks the tarball into the worker's local
    directory when the worker starts (or joins later); tasks find it by
    its name. Made here so that --merge needs no Dask."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class Bundle(WorkerPlugin):
        def __init__(self):
            self.name = name
            self.data = data
            self.path = None

        def setup(self, worker):
            path = os.path.join(worker.local_directory, self.name)
            if not os.path.isdir(path):
                tmp = tempfile.mkdtemp(dir=worker.local_directory)
                with tarfile.open(fileobj=io.BytesIO(self.data)) as tar:
                    tar.extractall(tmp)
                os.makedirs(os.path.join(tmp, "cache"))
                os.rename(tmp, path)
            self.path = path

    return Bundle()


# ---- the task, on a worker ----------------------------------------------

def run_partition(items, mode, cfg):
    """The records of one partition, as [(partition number, bytes)]:
    zhmetrics over its inputs, their names put back."""
    from distributed import get_worker
    items = list(items)
    part = items[0][0] // cfg["per"]
    items = [it[1:] for it in items]
    if cfg["trace"]:
        with open(cfg["trace"], "a") as f:
            f.write("start %d %d\n" % (part, os.getpid()))
    time.sleep(cfg["delay"])
    bundle = get_worker().plugins[cfg["bundle"]].path
    zm = cfg["worker_zm"] or os.path.join(bundle, "zhmetrics")
    cmd = [zm, "-q", "--data-dir", os.path.join(bundle, "dict")]
    if cfg["lexicon"] is not None:
        cmd += ["--lexicon", os.path.join(bundle, "lexicon.txt") if cfg["lexicon"] else ""]
    cmd += cfg["zm_opts"]
    env = dict(os.environ, ZHMETRICS_CACHE=os.path.join(bundle, "cache"))
    if mode == "jsonl":
        out = pipe_jsonl(cmd, env, items)
    else:
        out = run_files(cmd, env, items)
    if cfg["trace"]:
        with open(cfg["trace"], "a") as f:
            f.write("done %d %d\n" % (part, os.getpid()))
    return [(part, out)]


def run_zm(cmd, env, cwd=None, stdin=b""):
    r = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
    if r.returncode not in (0, 1):
        raise RuntimeError("zhmetrics exit %d: %s" % (r.returncode, r.stderr.decode("utf-8", "replace").strip()))
    return r.stdout.splitlines(keepends=True)


HEAD = re.compile(rb'^\{"type":"(document|metric|error)","doc":"([^"\\]*)"')


def run_files(cmd, env, items):
    """Files: written as 0, 1, … in a scratch directory, zhmetrics run
    there on those names, each record's doc (and metric id) renamed."""
    scratch = tempfile.mkdtemp(prefix="zmtask.")
    try:
        names = []
        for k, (name, data, err) in enumerate(items):
            if err is None:
                with open(os.path.join(scratch, str(k)), "wb") as f:
                    f.write(data)
                names.append(str(k))
        lines = run_zm(cmd + ["--"] + names, env, cwd=scratch) if names else []
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    by_input = {}
    for line in lines:
        m = HEAD.match(line)
        if not m:
            raise RuntimeError("unexpected zhmetrics output: %r" % line[:200])
        k = m.group(2).decode()
        real = jstr(items[int(k)][0]).encode()[1:-1]
        line = line.replace(b'"doc":"%s"' % k.encode(), b'"doc":"%s"' % real, 1)
        if m.group(1) == b"metric":
            line = line.replace(b'"id":"%s#' % k.encode(), b'"id":"%s#' % real, 1)
        by_input.setdefault(int(k), []).append(line)
    out = []
    for k, (name, data, err) in enumerate(items):
        if err is not None:
            # what zhmetrics gives for a file it cannot open
            out.append(('{"type":"error","doc":%s,"error":%s}\n' % (jstr(name), jstr(err))).encode())
        else:
            out.extend(by_input.get(k, []))
    return b"".join(out)


def pipe_jsonl(cmd, env, items):
    """JSON Lines: piped through --jsonl-in; a line without an id is named
    stdin:N by its line in the partition: renamed to its line in the file
    (a line whose own id is stdin:N keeps it)."""
    lines = run_zm(cmd + ["--jsonl-in"], env, stdin=b"".join(it[1] for it in items))
    out = []
    for line in lines:
        m = HEAD.match(line)
        if m and m.group(2).startswith(b"stdin:"):
            k = int(m.group(2)[6:]) - 1
            if 0 <= k < len(items) and items[k][0] != m.group(2).decode():
                new = b"stdin:%d" % items[k][2]
                line = line.replace(b'"doc":"%s"' % m.group(2), b'"doc":"%s"' % new, 1)
                if m.group(1) == b"metric":
                    line = line.replace(b'"id":"%s#' % m.group(2), b'"id":"%s#' % new, 1)
        out.append(line)
    return b"".join(out)


# ---- parts, index, merge ------------------------------------------------

def part_name(i):
    return "part-%05d.jsonl" % i


def write_atomic(path, data):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def merge(parts_dir, out):
    """Checks the parts against index.json and writes them in order: every
    input exactly one document or error record, in its own part, in order;
    each metric after its document; no part missing or left over."""
    with open(os.path.join(parts_dir, "index.json"), encoding="utf-8") as f:
        index = json.load(f)
    listed = [p["part"] for p in index["parts"]]
    present = sorted(n for n in os.listdir(parts_dir) if n.startswith("part-") and ".tmp." not in n)
    if present != sorted(listed):
        raise MergeError("parts missing: %s; parts not in index.json: %s" % (
            sorted(set(listed) - set(present)), sorted(set(present) - set(listed))))
    seen = {}
    n_inputs = 0
    status = 0
    # every part checked before anything is written: a failed merge
    # writes nothing
    for p in index["parts"]:
        want = p["inputs"]
        n_inputs += len(want)
        got = []
        cur, left = None, 0
        with open(os.path.join(parts_dir, p["part"]), "rb") as f:
            data = f.read()
        for line in data.splitlines():
            r = json.loads(line)
            if r["type"] in ("document", "error"):
                if left:
                    raise MergeError("%s: %s has %d metrics missing" % (p["part"], cur, left))
                got.append(r["doc"])
                seen[r["doc"]] = seen.get(r["doc"], 0) + 1
                cur, left = r["doc"], r.get("metrics", 0)
                status = max(status, 1 if r["type"] == "error" else 0)
            elif r["type"] == "metric":
                if r["doc"] != cur or left == 0:
                    raise MergeError("%s: metric %s out of place" % (p["part"], r["id"]))
                left -= 1
        if left:
            raise MergeError("%s: %s has %d metrics missing" % (p["part"], cur, left))
        if len(got) != len(want) or any(w is not None and w != g for w, g in zip(want, got)):
            raise MergeError("%s: %d records for %d inputs; first difference: %s" % (
                p["part"], len(got), len(want),
                next(((w, g) for w, g in zip(want + [None] * len(got), got + [None] * len(want))
                      if w != g), None)))
    if sum(seen.values()) != n_inputs or n_inputs != index["inputs"]:
        raise MergeError("%d records for %d inputs" % (sum(seen.values()), index["inputs"]))
    dup = sorted(d for d, c in seen.items() if c > 1 and d not in index.get("repeated", []))
    if dup:
        raise MergeError("inputs with more than one record: %s" % dup[:5])
    for p in index["parts"]:
        with open(os.path.join(parts_dir, p["part"]), "rb") as f:
            shutil.copyfileobj(f, out)
    return status


def run_cluster(a, items, mode, cfg, plugin, n_parts, parts_dir):
    """The bag on the cluster: contiguous partitions of -n inputs, each
    through run_partition on a worker; each part written here as its
    result arrives."""
    from distributed import Client, LocalCluster, as_completed
    import dask.bag as db
    cluster = None
    client = None
    try:
        if a.local:
            cluster = LocalCluster(n_workers=a.local, threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
        elif a.scheduler_file:
            client = Client(scheduler_file=a.scheduler_file)
        else:
            client = Client(a.scheduler)
        client.register_worker_plugin(plugin, name=plugin.name)
        bag = db.from_sequence(items, partition_size=a.n).map_partitions(run_partition, mode, cfg)
        futures = client.compute(bag.to_delayed())
        if len(futures) != n_parts:
            raise RuntimeError("%d partitions, %d expected" % (len(futures), n_parts))
        for f in as_completed(futures):
            [(i, data)] = f.result()
            write_atomic(os.path.join(parts_dir, part_name(i)), data)
    except Exception as e:  # a task that failed (its zhmetrics error), the cluster gone
        failed = str(e) or type(e).__name__
    else:
        failed = None
    finally:
        if client:
            client.close()
        if cluster:
            cluster.close()
    if failed:
        die("the run failed: %s" % failed, 3 if "exit 3" in failed else 2)


# ---- main -----------------------------------------------------------------

def parse_args(argv):
    zm_opts = []
    if "--" in argv:
        i = argv.index("--")
        argv, zm_opts = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(prog="dask-run.py", add_help=False)
    cl = ap.add_mutually_exclusive_group(required=True)
    cl.add_argument("--scheduler")
    cl.add_argument("--scheduler-file")
    cl.add_argument("--local", type=int)
    cl.add_argument("--merge")
    ap.add_argument("--jsonl")
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--parts")
    ap.add_argument("-o")
    ap.add_argument("--glob", default="*.txt")
    ap.add_argument("--zhmetrics")
    ap.add_argument("--worker-zhmetrics")
    ap.add_argument("--data-dir")
    ap.add_argument("--lexicon")
    ap.add_argument("--task-delay", type=float, default=0.0)
    ap.add_argument("--trace")
    ap.add_argument("-h", "--help", action="store_true")
    ap.add_argument("inputs", nargs="*")
    if "-h" in argv or "--help" in argv:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(0)
    a = ap.parse_args(argv)
    a.zm_opts = zm_opts
    if a.merge and (a.jsonl or a.inputs):
        die("--merge takes no inputs")
    if not a.merge and (a.n < 1 or bool(a.jsonl) == bool(a.inputs)):
        die("give input files or directories, or --jsonl FILE (not both); -h for help")
    return a


def write_merged(parts_dir, dest):
    """The merge, to dest (a file, through a temporary name) or stdout;
    its status (1 if error records); exit 2 if the check fails."""
    try:
        if dest:
            tmp = dest + ".tmp.%d" % os.getpid()
            try:
                with open(tmp, "wb") as out:
                    status = merge(parts_dir, out)
                os.replace(tmp, dest)
            finally:
                if os.path.exists(tmp):
                    os.remove(tmp)
        else:
            status = merge(parts_dir, sys.stdout.buffer)
            sys.stdout.flush()
    except (MergeError, OSError, ValueError, KeyError) as e:
        die("merge: %s" % e)
    return status


def main(argv):
    a = parse_args(argv)
    if a.merge:
        return write_merged(a.merge, a.o)

    zm = a.zhmetrics
    if not zm and not a.worker_zhmetrics:
        zm = os.path.join(HERE, "..", "bin", "zhmetrics")
        zm = zm if os.access(zm, os.X_OK) else shutil.which("zhmetrics")
        if not zm:
            die("no zhmetrics binary: build it (make) or give --zhmetrics")
    data_dir = data_dir_for(zm or a.worker_zhmetrics, a.data_dir)
    if not os.path.isdir(data_dir):
        die("no dictionary directory %s (--data-dir)" % data_dir, 3)
    lexicon = a.lexicon if a.lexicon is not None else (LEXICON if os.path.isfile(LEXICON) else "")

    # the inputs, cut into partitions of contiguous inputs
    if a.jsonl:
        mode, items = "jsonl", list(jsonl_items(a.jsonl))
    else:
        mode, items = "files", list(file_items(list_files(a.inputs, a.glob)))
    names = [it[0] for it in items]
    parts = [items[i:i + a.n] for i in range(0, len(items), a.n)]
    items = [(pos,) + it for pos, it in enumerate(items)]  # the task finds its partition by it

    parts_dir = a.parts or tempfile.mkdtemp(prefix="zmdask.")
    os.makedirs(parts_dir, exist_ok=True)
    for old in os.listdir(parts_dir):  # a previous run's parts
        if old.startswith("part-") or old == "index.json":
            os.remove(os.path.join(parts_dir, old))
    counts = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    index = {"mode": mode, "inputs": len(items),
             "repeated": sorted(n for n, c in counts.items() if n is not None and c > 1),
             "parts": [{"part": part_name(i), "inputs": [it[0] for it in p]} for i, p in enumerate(parts)]}
    write_atomic(os.path.join(parts_dir, "index.json"),
                 json.dumps(index, ensure_ascii=False, indent=1).encode())

    bundle = make_bundle(None if a.worker_zhmetrics else zm, data_dir, lexicon)
    bname = "zhmetrics-bundle-" + hashlib.sha256(bundle).hexdigest()[:16]
    cfg = {"bundle": bname, "worker_zm": a.worker_zhmetrics, "zm_opts": a.zm_opts,
           "lexicon": lexicon, "delay": a.task_delay, "trace": a.trace, "per": a.n}

    try:
        if items:
            run_cluster(a, items, mode, cfg, bundle_plugin(bname, bundle), len(parts), parts_dir)
        status = write_merged(parts_dir, a.o)
    finally:
        if not a.parts:
            shutil.rmtree(parts_dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
