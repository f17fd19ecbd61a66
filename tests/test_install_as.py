"""csoundpp under another binding's name, for programs that cannot be edited:
csoundpp.install_as("libcsound") in code, or CSOUNDPP_INSTALL_AS=libcsound with the .pth file
the wheel installs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import csoundpp

ROOT = Path(__file__).resolve().parent.parent
PTH = ROOT / "python" / "csoundpp-install-as.pth"

PROGRAM = textwrap.dedent("""
    import sys
    import libcsound                     # a program written for libcsound, unchanged
    cs = libcsound.Csound()
    cs.setOption("-n -d -m0")
    cs.compileOrc("sr=48000\\nksmps=32\\nnchnls=1\\n0dbfs=1\\ninstr 1\\nchnset p4, \\"x\\"\\nendin\\n")
    cs.start()
    cs.scoreEvent("i", [1, 0, 0.01, 0.25])
    cs.performKsmps()
    print(libcsound.__name__, sys.modules["libcsound"].__name__, cs.controlChannel("x")[0])
""")


def run(code: str, env_extra: dict, site_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("CSOUNDPP_INSTALL_AS", None)
    env.update(env_extra)
    pkg_parent = str(Path(csoundpp.__file__).parent.parent)  # not resolved: a dev build links its files
    prelude = f"import site; site.addsitedir({str(site_dir)!r})\n" if site_dir else ""
    env["PYTHONPATH"] = os.pathsep.join([pkg_parent, env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                          timeout=120, env=env)


def test_install_as_in_code():
    r = run("import csoundpp\ncsoundpp.install_as('libcsound')\n" + PROGRAM, {})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["csoundpp", "csoundpp", "0.25"]


def test_install_as_several_names_and_undo():
    import importlib

    before = {n: sys.modules.get(n) for n in ("ctcsound", "ctcsound7", "csnd6")}
    csoundpp.install_as("ctcsound", "ctcsound7", "csnd6")
    try:
        assert importlib.import_module("ctcsound") is csoundpp
        assert importlib.import_module("ctcsound7") is csoundpp
        assert importlib.import_module("csnd6") is csoundpp.csnd
    finally:
        csoundpp.uninstall_as()
    for n, m in before.items():
        assert sys.modules.get(n) is m
    with pytest.raises(ValueError, match="cannot stand in"):
        csoundpp.install_as("numpy")


def test_environment_variable_with_the_pth_file(tmp_path):
    """The .pth file of the source tree (the wheel installs this file into site-packages)."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(PTH, site / PTH.name)
    r = run(PROGRAM, {"CSOUNDPP_INSTALL_AS": "libcsound"}, site)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["csoundpp", "csoundpp", "0.25"]
    # without the variable the .pth does nothing: libcsound is the real one (or absent)
    r = run("import sys\ntry:\n    import libcsound\nexcept ImportError:\n    print('absent')\n"
            "else:\n    print(libcsound.__name__)\nprint('csoundpp' in sys.modules)", {}, site)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[-1] == "False"  # csoundpp was not even imported


def test_installed_pth_file():
    installed = Path(csoundpp.__file__).parent.parent / PTH.name
    if not installed.exists():
        pytest.skip("csoundpp is a development build (scripts/devbuild.sh): no installed .pth")
    assert installed.read_text() == PTH.read_text()
    env = dict(os.environ, CSOUNDPP_INSTALL_AS="libcsound")
    r = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "csoundpp"
