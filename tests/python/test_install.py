"""make install-python: the package imports from the installed tree, away
from the source, finds the installed dictionary and library by itself."""
import os
import subprocess
import sys

from conftest import ASAN, ROOT

import pytest


@pytest.mark.skipif(ASAN, reason="installs the regular build, not the ASan one")
def test_install_python(tmp_path):
    prefix = tmp_path / "usr"
    p = subprocess.run(["make", "--no-print-directory", "install-python", "PREFIX=%s" % prefix],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    ver = "%d.%d" % sys.version_info[:2]
    site = prefix / "lib" / ("python" + ver) / "dist-packages"
    assert (site / "zhmetrics" / "__init__.pyi").is_file()
    env = {k: v for k, v in os.environ.items() if k not in ("ZHMETRICS_DATA", "PYTHONPATH", "LD_LIBRARY_PATH")}
    env["PYTHONPATH"] = str(site)
    code = ("import zhmetrics; m = zhmetrics.Model(); r = m.extract('共投入资金2269万元。', name='x');"
            "print(zhmetrics.__file__); print(r[1]['value'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    file, value = out.stdout.split()
    assert file.startswith(str(site))
    assert value == "22690000"
