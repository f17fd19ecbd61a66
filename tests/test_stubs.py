"""The type stubs are generated from the module (no drift) and mypy accepts the README examples."""
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
