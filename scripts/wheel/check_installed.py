"""Checks an installed csoundpp wheel from the inside (run by scripts/suites/50-wheel-chroots.sh
in each chroot, with the chroot's Python).

    check_installed.py plugins            the wheel's libcsound and plugin folder are the ones in use
    check_installed.py rt-missing         -+rtaudio=jack without libjack: a CsoundError naming the package
    check_installed.py rt-loaded          after installing libjack: the jack module loads
Exits non-zero with a message on the first failed check.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import csoundpp

PKG = Path(csoundpp.__file__).resolve().parent
ORC = "sr = 48000\nksmps = 64\nnchnls = 2\n0dbfs = 1\ninstr 1\n outs poscil(0.1, 440), poscil(0.1, 440)\nendin\n"


def fail(msg: str) -> None:
    raise SystemExit(f"check_installed: {msg}")


def mapped_libraries() -> set[str]:
    out = set()
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and ".so" in parts[5]:
            out.add(parts[5])
    return out


def plugins() -> None:
    folder = csoundpp._bundle.bundled_plugin_dir()
    if folder is None or Path(folder).parent != PKG:
        fail(f"no bundled plugin folder in {PKG}")
    cs = csoundpp.Csound()
    modules = {name for name, _ in cs.modules()}
    if "pa_cb" in modules or "alsa" in modules:
        # present only where libportaudio2 / libasound2 are installed, which the chroot lacks
        fail(f"unexpected real-time modules {modules}: is the system's libasound/libportaudio here?")
    utilities = cs.listUtilities() or []
    if not utilities:
        fail("listUtilities() is empty: Csound's plugins were not loaded")
    # an opcode from a plugin library (libpadsynth.so), not from libcsound itself
    assert cs.compileOrc("instr 1\ni1 ftgen 0, 0, 262144, \"padsynth\", 440, 25, 1, 1, 1, 1, 1\nendin\n") == 0, \
        cs.lastErrors()
    libs = mapped_libraries()
    csound_libs = sorted(p for p in libs if "libcsound64" in p)
    if len(csound_libs) != 1 or not csound_libs[0].startswith(str(PKG.parent / "csoundpp.libs")):
        fail(f"libcsound in use is {csound_libs}, not the wheel's one in csoundpp.libs/")
    plugin_libs = sorted(p for p in libs if "/plugins64-6.0/" in p)
    if not plugin_libs or not all(p.startswith(folder) for p in plugin_libs):
        fail(f"plugins loaded from {plugin_libs}, not from {folder}")
    print(f"check_installed: {len(plugin_libs)} plugins from the wheel, libcsound {csound_libs[0]}, "
          f"{len(utilities)} utilities, modules {sorted(modules)}")


def rt_cs() -> "csoundpp.Csound":
    cs = csoundpp.Csound()
    for opt in ("-odac", "-+rtaudio=jack", "-d", "-m0"):
        cs.setOption(opt)
    assert cs.compileOrc(ORC) == 0
    return cs


def rt_missing() -> None:
    cs = rt_cs()
    try:
        r = cs.start()
    except csoundpp.CsoundError as e:
        if "libjack-jackd2-0" not in str(e) or "libjack.so.0" not in str(e):
            fail(f"the error does not name the package: {e}")
        print(f"check_installed: without libjack, start() raised: {e}")
        return
    fail(f"-+rtaudio=jack without libjack started (returned {r}) instead of raising")


def rt_loaded() -> None:
    cs = rt_cs()
    if ("jack", "audio") not in cs.modules():
        fail(f"libjack is installed but the jack module did not load: {cs.modules()}")
    try:
        r = cs.start()
    except csoundpp.CsoundError as e:
        if "not loaded" in str(e):
            fail(f"jack is loaded but start() says otherwise: {e}")
        r = e.status
    # There is no JACK server in the chroot: the real jack module fails to connect (the dummy
    # module would have "started" fine).
    if r == 0:
        fail("start() with -+rtaudio=jack succeeded without a JACK server: is this the dummy module?")
    print(f"check_installed: with libjack the jack module loads; without a server start() gives {r}")


if __name__ == "__main__":
    {"plugins": plugins, "rt-missing": rt_missing, "rt-loaded": rt_loaded}[sys.argv[1]]()
