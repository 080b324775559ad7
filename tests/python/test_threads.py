"""One model, several threads: same records, and the GIL released."""
import threading
import time

from conftest import doc_files


def read_all():
    out = []
    for p in doc_files():
        with open(p, "rb") as f:
            out.append((p, f.read()))
    return out


def test_two_threads_same_as_serial(model):
    docs = read_all()
    serial = [model.extract(d, name=p) for p, d in docs]
    results = [[None] * len(docs) for _ in range(2)]
    errors = []

    def work(k):
        try:
            for rnd in range(3):
                order = range(len(docs)) if k == 0 else reversed(range(len(docs)))
                for i in order:
                    results[k][i] = model.extract(docs[i][1], name=docs[i][0])
        except Exception as e:  # reported below: a thread's exception is otherwise lost
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results[0] == serial
    assert results[1] == serial


def longest_pause_beside(fn):
    """The longest time the calling thread could not run while fn ran in
    another thread."""
    th = threading.Thread(target=fn)
    gaps = []
    last = time.perf_counter()
    th.start()
    while th.is_alive():
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    th.join()
    assert len(gaps) > 10
    return max(gaps)


def test_gil_released_during_extraction(model):
    # A document that takes a while (~0.1 s+). If extract held the GIL, the
    # main thread could not run at all meanwhile: its longest pause would be
    # about the whole extraction, on every try. On a loaded machine the main
    # thread may also be descheduled once for long: three tries.
    big = b"".join(d for p, d in read_all() if p.startswith("corpus/")) * 20
    assert len(model.extract(big, name="big")) > 1000
    tries = []
    for _ in range(3):
        t0 = time.perf_counter()
        model.extract_json(big, "big", None)
        alone = time.perf_counter() - t0
        pause = longest_pause_beside(lambda: model.extract_json(big, "big", None))
        tries.append((pause, alone))
        if pause < alone / 2:
            return
    raise AssertionError("the main thread stopped for the whole extraction: %r" % tries)
