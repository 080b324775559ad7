"""10,000 extractions leave the resident set flat (no leak per call)."""
import os

import pytest

from conftest import ASAN

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


@pytest.mark.skipif(ASAN, reason="under ASan the quarantine grows RSS; LSan checks leaks there")
def test_rss_flat_over_10000_calls(model):
    text = "2020年，全县共投入资金2269万元，新建学校2所，入籍率79.68％，比上年增长3.5个百分点。\n" * 3
    data = text.encode("gb18030")  # the decoding path too
    first = model.extract(data, name="leak.txt")
    assert len(first) > 3
    for _ in range(1000):
        model.extract(data, name="leak.txt")
    after_1k = rss()
    for _ in range(9000):
        assert model.extract(data, name="leak.txt") == first
    after_10k = rss()
    # a leak of even 100 bytes a call would show as 900 KB here
    assert after_10k - after_1k < 512 * 1024, (after_1k, after_10k)
