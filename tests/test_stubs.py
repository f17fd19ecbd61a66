"""The type stubs are generated from the module (no drift), agree with it (mypy.stubtest),
type every alias as its canonical method, and mypy accepts the README examples."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import csoundpp

ROOT = Path(__file__).resolve().parent.parent
PKG = Path(csoundpp.__file__).resolve().parent


def test_py_typed_and_stub_are_shipped():
    assert (ROOT / "python" / "csoundpp" / "py.typed").exists()
    assert (ROOT / "python" / "csoundpp" / "_core.pyi").exists()


def test_stub_matches_the_module(tmp_path):
    pytest.importorskip("pybind11_stubgen")
    out = tmp_path / "_core.pyi"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p), PYTHON=sys.executable)
    subprocess.run(["bash", str(ROOT / "scripts" / "gen_stubs.sh"), str(out)], check=True, env=env,
                   capture_output=True, timeout=120)
    committed = (ROOT / "python" / "csoundpp" / "_core.pyi").read_text()
    assert out.read_text() == committed, "stubs drifted: run PYTHONPATH=... scripts/gen_stubs.sh"


def test_mypy_accepts_readme_examples():
    if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
        pytest.skip("mypy not installed")
    examples = sorted(str(p) for p in (ROOT / "tests" / "readme_examples").glob("*.py"))
    assert examples
    env = dict(os.environ)
    if "site-packages" not in PKG.parts:  # a development build: tell mypy where the package is
        env["MYPYPATH"] = str(PKG.parent)   # (an installed one is found by mypy itself via py.typed)
    r = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--ignore-missing-imports",
                        "--follow-imports=silent", *examples],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("name", ["quick_start.py", "migration.py", "performance_thread.py"])
def test_readme_examples_run(name, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, str(ROOT / "tests" / "readme_examples" / name)], capture_output=True,
                       text=True, env=env, timeout=60, cwd=tmp_path)  # examples may write files
    assert r.returncode == 0, r.stderr


def _mypy(tmp_path, code: str) -> subprocess.CompletedProcess:
    if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
        pytest.skip("mypy not installed")
    src = tmp_path / "prog.py"
    src.write_text(code)
    env = dict(os.environ)
    if "site-packages" not in PKG.parts:
        env["MYPYPATH"] = str(PKG.parent)
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent",
                           "--cache-dir", str(tmp_path / ".mypy_cache"), str(src)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


def test_an_alias_is_typed_as_its_canonical(tmp_path):
    """mypy rejects a wrong-typed call through an alias exactly as through the canonical name."""
    r = _mypy(tmp_path, "import csoundpp\nimport csoundpp.csnd as csnd\n"
                        "cs = csoundpp.Csound()\n"
                        "cs.set_option(42)\n"            # line 4: alias, wrong type
                        "cs.setOption(42)\n"             # line 5: canonical, wrong type
                        "csnd.Csound().SetOption(42)\n"  # line 6: csnd spelling, wrong type
                        "csoundpp.csound_initialize('x')\n"  # line 7: module spelling, wrong type
                        "ok: int = cs.set_option('-n') + cs.score_event('i', [1, 0, 1])\n")
    errors = [line for line in r.stdout.splitlines() if ": error:" in line]
    lines = sorted({int(e.split(":")[1]) for e in errors})
    assert lines == [4, 5, 6, 7], r.stdout
    assert all("arg-type" in e for e in errors), r.stdout


def test_stub_has_no_untyped_alias():
    stub = (ROOT / "python" / "csoundpp" / "_core.pyi").read_text()
    assert "def set_option(" not in stub and "    set_option = setOption" in stub
    assert "(*args, **kwargs)" not in stub


def test_stubtest_agrees_with_the_module():
    pytest.importorskip("mypy")
    allow = ROOT / "tests" / "data" / "stubtest_allowlist.txt"
    r = subprocess.run([sys.executable, "-m", "mypy.stubtest", "csoundpp._core", "--allowlist", str(allow)],
                       capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-6000:] + r.stderr[-2000:]
