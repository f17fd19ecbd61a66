#!/usr/bin/env python3
"""csoundpp side by side with its peers, in one run, on one machine, with one orchestra.

    benchmarks/setup.sh                      # once: installs the peers, builds the C++ floor
    .venv/bin/python benchmarks/run.py       # all items, prints the table
    .venv/bin/python benchmarks/run.py --only 1,4             # a subset (1 includes 1b, 5 includes 6)
    .venv/bin/python benchmarks/run.py --quick --no-jack      # smoke mode (numbers meaningless)
    .venv/bin/python benchmarks/run.py --markdown README.md --markdown docs/benchmarks.md --json out.json

    benchmarks/setup.sh --csound7            # once: Csound 7 prefix, .venv-cs7, the Csound 7 peers
    .venv-cs7/bin/python benchmarks/run.py --csound 7 --markdown docs/benchmarks.md --json out7.json
    .venv/bin/python benchmarks/side_by_side.py out6.json out7.json   # ratios on 6 and on 7, one table

Items: 1 channels by name / 1b views; 2 performKsmps loop / 2b performKsmpsInto; 3 offline render
(wall time, 3b throughput per CPU second); 4 PerformanceThread.scoreEvent (and batches); 5 event
latency (k-cycles and µs) / 6 flush round trip; 7 two instances in two threads (and the cores
actually available); 8 real-time JACK playback under GIL pressure (xruns, audio rendered, Csound's
underrun warnings); 9 RSS growth; 10 BlockProcessor per block; 11 RSS per instance; 12 import
time; 13 create→compile→start→destroy; 14 sustained PerformanceThread.scoreEvent rate and backlog.

Every figure is the median of several repetitions with min and max; ratios are computed
from medians of the same run. Peers that are not installed are reported as such. The machine
line gives the load average at start and end: on a shared machine, read the figures with it.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# numpy's OpenBLAS worker threads spin after array operations and steal one of the two
# cores from whatever is measured; no item here uses BLAS. Same setting for every column.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402

HERE = Path(__file__).resolve().parent
ORC_FILE = HERE / "bench.orc"
ORC = ORC_FILE.read_text()
CTRL_IN = 1 | 16  # CSOUND_CONTROL_CHANNEL | CSOUND_INPUT_CHANNEL (same values in all three APIs)
VOICES = 8        # notes of instr 1 in renders (items 3 and 7)


# ----------------------------------------------------------------------------- results

@dataclass
class Figure:
    samples: list[float]
    unit: str

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def cell(self) -> str:
        if not self.samples:
            return "n/a"
        return f"{fmt(self.median)} ({fmt(min(self.samples))}–{fmt(max(self.samples))}) {self.unit}"


@dataclass
class Row:
    item: str
    what: str
    figures: dict[str, Figure | str] = field(default_factory=dict)  # impl -> Figure or reason
    ratio: float | None = None
    ratio_text: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""


IMPLS = ["csoundpp", "ctcsound", "libcsound", "C++ floor / CLI"]
IMPLS7 = ["csoundpp", "ctcsound7", "libcsound", "cycsound", "C++ floor / CLI"]
# The peer the targets are set against: ctcsound on Csound 6; on Csound 7 libcsound 1.0 (ctcsound's
# fork for the Csound 7 API; ctcsound7 0.8.0 does not load on the released Csound 7.0.0: it
# declares csoundPerform, which 7.0 removed).
REF = "ctcsound"
# The items ported to --csound 7. Not yet: 5/6, 7, 8 (peers' table views and JACK on 7), 10 (its C++
# bench on 7), 14 (on Csound 7 the performance thread hands events on to Csound's own event queue:
# they start after flushMessageQueue returns, and under cycsound's flood of 0.2 s not all of them
# had started 10 s later in a run.py process; to be understood before it is measured).
ITEMS_CS7 = ("1", "2", "3", "4", "9", "11", "12", "13")


def fmt(x: float) -> str:
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    if a >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def med(fig) -> float | None:
    return fig.median if isinstance(fig, Figure) and fig.samples else None


def judge(row: Row, num, den, target: float, kind: str, label: str) -> None:
    """kind 'ge': num/den >= target; 'le': num/den <= target. Missing data leaves met=None."""
    a, b = med(num), med(den)
    if a is None or b is None or b == 0:
        row.ratio_text = f"{label}: n/a"
        return
    row.ratio = a / b
    row.ratio_text = f"{label} = {row.ratio:.2f}×"
    row.met = row.ratio >= target if kind == "ge" else row.ratio <= target


# ----------------------------------------------------------------------------- helpers

@contextlib.contextmanager
def quiet(enabled: bool):
    """Sends fd 2 (Csound's messages) to /dev/null while a measurement runs."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def interleaved(fns: dict, reps: int) -> dict[str, list[float]]:
    """Runs every implementation once per repetition, in turn, so that changes in machine
    load during the run hit all of them alike (the ratios come from the same repetitions)."""
    out: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(reps):
        for k, fn in fns.items():
            gc.collect()
            out[k].append(fn())
    return out


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def machine(mods=None) -> dict:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "kernel": platform.release(),
    }
    if peers.CSOUND == 7:
        return machine7(info, mods if mods is not None else python_peers())
    info |= {
        "libcsound64 (Debian)": peers.deb_version("libcsound64-6.0"),
        "python3-csound (ctcsound)": peers.deb_version("python3-csound"),
        "libcsnd6": peers.deb_version("libcsnd6-6.0v5"),
    }
    cpp, _ = peers.load_csoundpp()
    if cpp is not None:
        info["csoundpp"] = getattr(cpp, "__version__", "?") + f" ({Path(cpp.__file__).parent})"
    lc, _ = peers.load_libcsound()
    if lc is not None:
        try:
            from importlib.metadata import version as _v
            info["libcsound (PyPI)"] = _v("libcsound") if "libcsound" in sys.modules else "?"
        except Exception:  # noqa: BLE001
            info["libcsound (PyPI)"] = "?"
        dist = list((peers.PEERS_DIR).glob("libcsound-*.dist-info"))
        if dist:
            info["libcsound (PyPI)"] = dist[0].name[len("libcsound-"):-len(".dist-info")]
    return info


def machine7(info: dict, mods: dict) -> dict:
    """The machine line of a --csound 7 run: the one libcsound every column uses, and the peers."""
    cpp = mods.get("csoundpp")
    if not isinstance(cpp, str):
        info["csoundpp"] = (getattr(cpp, "__version__", "?") + f" ({Path(cpp.__file__).parent}, built for Csound "
                            + ".".join(map(str, cpp.csound_version())) + ")")
    for name in ("ctcsound7", "libcsound", "cycsound"):
        info[f"{name} (PyPI)"] = peers.peer_version(name) + (" (not loaded: see its column)"
                                                              if isinstance(mods.get(name), str) else "")
    info["libcsound loaded (every column)"] = ", ".join(peers.loaded_libcsound()) or "none"
    info["OPCODE7DIR64"] = os.environ.get("OPCODE7DIR64", "")
    return info


def pin_libjack() -> str:
    """Loads libjack once for the whole run and never unloads it.

    libcsound dlopens its plugins (rtjack among them) at every csoundCreate and dlcloses them at
    csoundDestroy; libjack's static initialisers then run again on each load and crash the
    process after ~300 create/destroy cycles (a SIGSEGV inside libjack's initialisers, under
    dl_open_worker; reproduced with ctcsound alone). Items 9, 11, 13 and the others create
    many instances of every implementation in this one process: that was the segfault of a
    full run in item 13. csoundpp keeps libjack (and every library its first instance loads)
    loaded itself; pinning libjack here keeps the peers safe whatever is loaded. Item 13 runs
    each implementation in its own interpreter (benchmarks/child.py pins libjack the same way).
    """
    import ctypes
    try:
        ctypes.CDLL("libjack.so.0", mode=os.RTLD_NOW | getattr(os, "RTLD_NODELETE", 0))
    except OSError as e:
        return f"libjack not loaded ({e})"
    return "libjack loaded once for the run (never unloaded)"


# Creating started instances: the three Python APIs share the ctcsound 6 names used here.
def new_instance(mod, score: str | None = None, options=("-n", "-d", "-m0")):
    cs = mod.Csound()
    for o in options:
        cs.setOption(o)
    if cs.compileOrc(ORC) != 0:
        raise RuntimeError(f"{mod.__name__}: orchestra did not compile")
    if cs.start() != 0:
        raise RuntimeError(f"{mod.__name__}: start failed")
    if score:
        cs.readScore(score)
    return cs


def control_value(cs, name: str) -> float:
    """A control channel's value: ctcsound's controlChannel returns (value, error), cycsound's the value."""
    v = cs.controlChannel(name)
    return v[0] if isinstance(v, tuple) else v


def destroy(cs):
    """csoundpp (and libcsound 0.18) destroy explicitly; ctcsound, ctcsound7, libcsound 1.0 and cycsound
    destroy in __del__ (the caller drops its last reference)."""
    if hasattr(cs, "destroy"):
        cs.destroy()


def python_peers():
    out = {}
    for name, loader in peers.python_loaders():
        mod, why = loader()
        out[name] = mod if mod is not None else why
    return out


def floor_run(mode: str, n: int, reps: int) -> dict[str, list[float]] | str:
    exe, why = peers.floor_binary()
    if exe is None:
        return why
    r = subprocess.run([str(exe), str(ORC_FILE), mode, str(n), str(reps)], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        return f"floor failed ({r.returncode}): {r.stderr.strip()[-200:]}"
    return json.loads(r.stdout)


def floor_sampler(mode: str, n: int, key: str):
    """A sampler for interleaved(): one floor run per call, returning its `key` figure
    (NaN when the floor is unavailable; the reason is kept in `sampler.why`)."""
    why: list[str] = []

    def once():
        r = floor_run(mode, n, 1)
        if isinstance(r, str):
            why.append(r)
            return float("nan")
        return r[key][0]
    once.why = why  # type: ignore[attr-defined]
    return once


# ----------------------------------------------------------------------------- items

def item1(cfg, mods) -> list[Row]:
    """1 / 1b: control channel by name, and the fastest documented write/read (view)."""
    n, reps = cfg.n_calls, cfg.reps
    set_row = Row("1", "setControlChannel by name, per call")
    get_row = Row("1", "controlChannel by name, per call")
    vset_row = Row("1b", "fastest control write (csoundpp: channelPtr view v[0]=x), per call")
    vget_row = Row("1b", "fastest control read (csoundpp: channelPtr view v[0]), per call")

    def set_loop(f):
        def run():
            t0 = time.perf_counter_ns()
            for _ in range(n):
                f("amp", 0.5)
            return (time.perf_counter_ns() - t0) / n
        return run

    def get_loop(f):
        def run():
            t0 = time.perf_counter_ns()
            for _ in range(n):
                f("amp")
            return (time.perf_counter_ns() - t0) / n
        return run

    def vset_loop(v):
        def run():
            t0 = time.perf_counter_ns()
            for _ in range(n):
                v[0] = 0.5
            return (time.perf_counter_ns() - t0) / n
        return run

    def vget_loop(v):
        def run():
            t0 = time.perf_counter_ns()
            for _ in range(n):
                v[0]
            return (time.perf_counter_ns() - t0) / n
        return run

    instances, views = {}, {}
    for name, mod in mods.items():
        if isinstance(mod, str):
            for r in (set_row, get_row, vset_row, vget_row):
                r.figures[name] = mod
            continue
        with quiet(cfg.quiet):
            cs = new_instance(mod)
        instances[name] = cs
        if not hasattr(cs, "channelPtr"):
            vset_row.figures[name] = vget_row.figures[name] = "no channel pointer in its Python API"
            continue
        if name == "libcsound":
            v, err = cs.channelPtr("amp", "control", "rw")
        elif name == "ctcsound7":
            v, err = cs.channelPtr("amp", "control", output=True, input=True)
        else:
            v, err = cs.channelPtr("amp", CTRL_IN)
        if err:
            raise RuntimeError(f"{name}: channelPtr failed: {err}")
        # the view is shared memory: a write through it is what Csound reads
        v[0] = 0.75
        val = cs.controlChannel("amp")[0]
        if abs(val - 0.75) > 1e-12:
            raise RuntimeError(f"{name}: channel view does not alias the channel ({val})")
        views[name] = v
    # the C++ floor runs once per repetition too (in a subprocess), interleaved with the others
    floor_reps: list = []

    def floor_once():
        r = floor_run("channel", cfg.n_calls * 10, 1)
        floor_reps.append(r)
        return r["set_by_name"][0] if isinstance(r, dict) else float("nan")
    fl_key = {id(set_row): "set_by_name", id(get_row): "get_by_name", id(vset_row): "set_ptr", id(vget_row): "get_ptr"}
    for row, make in ((set_row, lambda k: set_loop(instances[k].setControlChannel)),
                      (get_row, lambda k: get_loop(instances[k].controlChannel)),
                      (vset_row, lambda k: vset_loop(views[k])),
                      (vget_row, lambda k: vget_loop(views[k]))):
        fns = {k: make(k) for k in (views if row in (vset_row, vget_row) else instances)}
        if row is set_row:
            fns["C++ floor / CLI"] = floor_once
        for k, samples in interleaved(fns, reps).items():
            if k != "C++ floor / CLI":
                row.figures[k] = Figure(samples, "ns")
        if floor_reps and isinstance(floor_reps[0], str):
            row.figures["C++ floor / CLI"] = floor_reps[0]
        elif floor_reps:
            row.figures["C++ floor / CLI"] = Figure([r[fl_key[id(row)]][0] for r in floor_reps], "ns")
    views.clear()
    with quiet(cfg.quiet):
        for cs in instances.values():
            destroy(cs)
    instances.clear()
    set_row.target, get_row.target = f"≥ 3× faster than {REF}", f"≥ 3× faster than {REF}"
    judge(set_row, set_row.figures.get(REF), set_row.figures.get("csoundpp"), 3, "ge", f"{REF}/csoundpp")
    judge(get_row, get_row.figures.get(REF), get_row.figures.get("csoundpp"), 3, "ge", f"{REF}/csoundpp")
    vset_row.target = vget_row.target = f"≥ 15× faster than {REF}'s by-name call"
    judge(vset_row, set_row.figures.get(REF), vset_row.figures.get("csoundpp"), 15, "ge",
          f"{REF} setControlChannel / csoundpp view write")
    judge(vget_row, get_row.figures.get(REF), vget_row.figures.get("csoundpp"), 15, "ge",
          f"{REF} controlChannel / csoundpp view read")
    vset_row.note = vget_row.note = "peers' columns: their own channelPtr numpy view"
    return [set_row, get_row, vset_row, vget_row]


def item2(cfg, mods) -> list[Row]:
    """2: a Python performKsmps loop copying spout; 2b: many k-cycles per call into numpy."""
    n, reps = cfg.n_cycles, cfg.reps
    loop_row = Row("2", "Python `while not performKsmps()` loop copying spout, per k-cycle")
    fast_row = Row("2b", "many k-cycles per call into numpy (csoundpp performKsmpsInto), per k-cycle")

    def loop_once(mod):
        def run():
            cs = new_instance(mod, "i1 0 100000 0\n")
            spout = cs.spout()
            buf = np.empty((n, spout.size))
            perf = cs.performKsmps
            i = 0
            t0 = time.perf_counter_ns()
            while i < n and not perf():
                buf[i] = spout
                i += 1
            dt = (time.perf_counter_ns() - t0) / i
            if not np.any(buf[:i]):
                raise RuntimeError(f"{mod.__name__}: silent output")
            del spout
            destroy(cs)
            return dt
        return run

    def fast_once(mod):
        def run():
            cs = new_instance(mod, "i1 0 100000 0\n")
            out = np.empty(n * cs.ksmps() * cs.nchnls())
            t0 = time.perf_counter_ns()
            done, finished = cs.performKsmpsInto(out)
            dt = (time.perf_counter_ns() - t0) / done
            if done != n or finished or not np.any(out):
                raise RuntimeError("performKsmpsInto rendered nothing")
            destroy(cs)
            return dt
        return run

    fns = {}
    for name, mod in mods.items():
        if isinstance(mod, str):
            loop_row.figures[name] = fast_row.figures[name] = mod
            continue
        if name != "csoundpp":
            fast_row.figures[name] = "no such call"
        if not hasattr(mod.Csound, "spout"):
            loop_row.figures[name] = "no spout from Python (its spout is C-level only)"
            continue
        fns[name] = loop_once(mod)
    if "csoundpp" in fns:
        fns["csoundpp fast"] = fast_once(mods["csoundpp"])
    floor = floor_sampler("ksmps", n, "ksmps_copy")
    fns["C++ floor / CLI"] = floor
    with quiet(cfg.quiet):
        res = interleaved(fns, reps)
    fig = floor.why[0] if floor.why else Figure(res.pop("C++ floor / CLI"), "ns")
    res.pop("C++ floor / CLI", None)
    for k, samples in res.items():
        if k == "csoundpp fast":
            fast_row.figures["csoundpp"] = Figure(samples, "ns")
        else:
            loop_row.figures[k] = Figure(samples, "ns")
    loop_row.figures["C++ floor / CLI"] = fig
    fast_row.figures["C++ floor / CLI"] = fig
    loop_row.target = f"≥ 1.45× {REF}"
    judge(loop_row, loop_row.figures.get(REF), loop_row.figures.get("csoundpp"), 1.45, "ge", f"{REF}/csoundpp")
    fast_row.target = "within 1.15× of the C++ floor"
    judge(fast_row, fast_row.figures.get("csoundpp"), fig, 1.15, "le", "csoundpp/floor")
    return [loop_row, fast_row]


def write_csd(path: Path, seconds: float) -> None:
    notes = "".join(f"i1 0 {seconds} {17 * k}\n" for k in range(VOICES))
    path.write_text(f"<CsoundSynthesizer>\n<CsInstruments>\n{ORC}\n</CsInstruments>\n"
                    f"<CsScore>\n{notes}e\n</CsScore>\n</CsoundSynthesizer>\n")


def item3(cfg, mods) -> list[Row]:
    """3: perform() of a 60 s score (8 voices) to a WAV file, create-to-destroy, vs the csound CLI."""
    secs = cfg.render_seconds
    row = Row("3", f"perform() of a {secs:g} s score ({VOICES} voices) to a WAV file, create→destroy")
    tmp = Path(tempfile.mkdtemp(prefix="csoundpp-bench-"))
    csd = tmp / "score.csd"
    write_csd(csd, secs)
    wav = tmp / "out.wav"
    args = ["-d", "-m0", "-W", "-f", "-o", str(wav), str(csd)]
    expected = int(secs * 48000) * 2 * 4

    def check():
        size = wav.stat().st_size
        if size < expected:
            raise RuntimeError(f"render wrote {size} bytes, expected ≥ {expected}")
        wav.unlink()

    cpu: dict[str, list[float]] = {}  # CPU seconds of each repetition (all threads / the child process)

    def render(mod):
        """create → compile the command line → start → perform() → cleanup → destroy; a peer without
        perform() brings its own (cycsound: compile, then run())."""
        if hasattr(mod, "RENDER"):
            mod.RENDER(args)
            return
        cs = mod.Csound()
        if cs.compileArgs("csound", *args) != 0 or cs.start() != 0:
            raise RuntimeError(f"{mod.__name__}: compile failed")
        if cs.perform() < 0:
            raise RuntimeError(f"{mod.__name__}: perform failed")
        cs.cleanup()
        destroy(cs)

    def py_once(mod, key):
        def run():
            t0, c0 = time.perf_counter(), time.process_time()
            render(mod)
            dt = time.perf_counter() - t0
            cpu.setdefault(key, []).append(time.process_time() - c0)
            check()
            return dt * 1e3
        return run

    def child_cpu() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime

    def cli_once():
        t0, c0 = time.perf_counter(), child_cpu()
        r = subprocess.run([cli, *args], capture_output=True)
        dt = time.perf_counter() - t0
        cpu.setdefault("C++ floor / CLI", []).append(child_cpu() - c0)
        if r.returncode != 0:
            raise RuntimeError(f"csound CLI failed: {r.stderr[-300:]!r}")
        check()
        return dt * 1e3

    fns = {}
    for name, mod in mods.items():
        if isinstance(mod, str):
            row.figures[name] = mod
        else:
            fns[name] = py_once(mod, name)
    cli, why = peers.csound_cli()
    if cli:
        fns["C++ floor / CLI"] = cli_once
    else:
        row.figures["C++ floor / CLI"] = why
    with quiet(cfg.quiet):
        for k, samples in interleaved(fns, cfg.render_reps).items():
            row.figures[k] = Figure(samples, "ms")
    row.target = "within 2 % of the csound CLI"
    judge(row, row.figures.get("csoundpp"), row.figures["C++ floor / CLI"], 1.02, "le", "csoundpp/CLI")
    if cli is None:  # Csound 7: no csound program; the peers' renders are the comparison
        row.target = f"≤ {REF}'s (report)"
        judge(row, row.figures.get("csoundpp"), row.figures.get(REF), 1.0, "le", f"csoundpp/{REF}")
        row.met = None
    row.note = ("CLI column: `csound` process wall time (exec and plugin loading included; in this process the "
                "plugin libraries stay loaded after csoundpp's first instance, for every Python column)")
    if cli is None:
        row.note = ("libcsound 1.0 has no perform(): its documented compileCommandLine + performKsmps loop + reset; "
                    "cycsound: compile + run() (its C loop); the file is complete at reset/destroy")
    tput = Row("3b", f"offline render throughput of that job: seconds of audio per CPU second (all threads; the "
                     f"CLI's child-process CPU time)")
    for k, f in row.figures.items():
        tput.figures[k] = Figure([secs / c for c in cpu[k] if c > 0], "s/s") if k in cpu else f
    tput.target = "≥ the csound CLI's"
    judge(tput, tput.figures.get("csoundpp"), tput.figures.get("C++ floor / CLI"), 1.0, "ge", "csoundpp/CLI")
    if cli is None:
        tput.target = f"≥ {REF}'s (report)"
        judge(tput, tput.figures.get("csoundpp"), tput.figures.get(REF), 1.0, "ge", f"csoundpp/{REF}")
        tput.met = None
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return [row, tput]


def item7(cfg, mods) -> list[Row]:
    """7: two instances rendering in two Python threads vs one instance in one thread."""
    n, reps = cfg.n_cycles_mt, cfg.reps
    score = "".join(f"i1 0 100000 {17 * k}\n" for k in range(VOICES))
    row = Row("7", f"2 instances in 2 Python threads vs 1 ({VOICES} voices, {n} k-cycles each): speed-up")
    chunk = 256

    def render_cpp(cs):
        out = np.empty(chunk * cs.ksmps() * cs.nchnls())
        left = n
        while left > 0:
            done, fin = cs.performKsmpsInto(out[: min(chunk, left) * cs.ksmps() * cs.nchnls()])
            left -= done
            if fin:
                raise RuntimeError("score ended")

    def render_loop(cs):
        perf = cs.performKsmps
        for _ in range(n):
            if perf():
                raise RuntimeError("score ended")

    def speedup(mod, render):
        def run():
            a, b = new_instance(mod, score), new_instance(mod, score)
            t0 = time.perf_counter()
            render(a)
            one = time.perf_counter() - t0
            ths = [threading.Thread(target=render, args=(c,)) for c in (a, b)]
            t0, c0 = time.perf_counter(), time.process_time()
            for t in ths:
                t.start()
            for t in ths:
                t.join()
            two = time.perf_counter() - t0
            parallel[mod.__name__].append((time.process_time() - c0) / two)
            destroy(a)
            destroy(b)
            return 2 * one / two
        return run

    fns = {}
    parallel = {}
    par_row = Row("7", "same, CPU time / wall time of the 2-thread phase (2 = both threads always on a core)")
    cores_row = Row("7", "cores actually available during those repetitions: 2 C++ threads spinning vs 1 "
                         "(2.0 = two free cores; a run below 1.9 cannot show a 1.8× speed-up)")
    for name, mod in mods.items():
        if isinstance(mod, str):
            row.figures[name] = par_row.figures[name] = mod
        else:
            fns[name] = speedup(mod, render_cpp if name == "csoundpp" else render_loop)
            parallel[mod.__name__] = []
    cores = floor_sampler("cores", cfg.spin_iterations, "cores")
    fns["cores"] = cores  # measured in every repetition, between the implementations
    with quiet(cfg.quiet):
        res = interleaved(fns, reps)
    avail = res.pop("cores")
    for k, samples in res.items():
        row.figures[k] = Figure(samples, "×")
        par_row.figures[k] = Figure(parallel[mods[k].__name__], "cores")
    par_row.note = f"load average when done: {os.getloadavg()[0]:.1f}"
    row.figures["C++ floor / CLI"] = "—"
    row.target = f"≥ 1.8× on {os.cpu_count()} cores"
    fit = None
    if cores.why:
        cores_row.figures["C++ floor / CLI"] = cores.why[0]
    else:
        cores_row.figures["C++ floor / CLI"] = Figure(avail, "cores")
        fit = statistics.median(avail) >= 1.9
        cores_row.target = "≥ 1.9 (a fit run)"
        cores_row.met = fit
        cores_row.ratio_text = "fit run" if fit else "UNFIT RUN: other load took a core"
    fig = row.figures.get("csoundpp")
    if isinstance(fig, Figure):
        row.ratio = fig.median
        row.ratio_text = f"csoundpp speed-up = {fig.median:.2f}×"
        row.met = fig.median >= 1.8
        if fit is False:
            row.ratio_text += f" (UNFIT RUN: {statistics.median(avail):.2f} cores available)"
            row.met = None if not row.met else row.met
    row.note = "csoundpp: performKsmpsInto in chunks of 256 k-cycles; peers: performKsmps loop"
    return [row, par_row, cores_row]


def item9(cfg, mods) -> list[Row]:
    """9: RSS growth after many events and many create/destroy cycles (csoundpp)."""
    mod = mods.get("csoundpp")
    ev_row = Row("9", f"RSS growth over {cfg.n_events:,} scoreEvent calls (after a warm-up of 10 %)")
    cd_row = Row("9", f"RSS growth over {cfg.n_create} create/compile/perform/destroy cycles (after 10 warm-up)")
    if isinstance(mod, str):
        ev_row.figures["csoundpp"] = cd_row.figures["csoundpp"] = mod
        return [ev_row, cd_row]
    batch = 1000
    pf = [2.0, 0.0, 0.001, 0.0]

    def events(cs, count):
        ev = cs.scoreEvent
        perf = cs.performKsmps
        for i in range(0, count, batch):
            for j in range(batch):
                pf[3] = i + j
                ev("i", pf)
            for _ in range(3):
                perf()

    def cycle():
        cs = new_instance(mod, "i1 0 0.01 0\n")
        for _ in range(30):
            cs.performKsmps()
        cs.destroy()

    with quiet(cfg.quiet):
        cs = new_instance(mod, "f0 100000\n")
        events(cs, cfg.n_events // 10)
        gc.collect()
        r0 = rss_bytes()
        events(cs, cfg.n_events)
        gc.collect()
        r1 = rss_bytes()
        tab = cs.table(2)
        started = int(np.count_nonzero(tab[: min(cfg.n_events, tab.size)] >= 0))
        del tab
        cs.destroy()
        for _ in range(10):
            cycle()
        gc.collect()
        r2 = rss_bytes()
        for _ in range(cfg.n_create):
            cycle()
        gc.collect()
        r3 = rss_bytes()
    pt_row = Row("9", f"RSS growth over {cfg.n_events:,} PerformanceThread.scoreEvent calls (after a warm-up of 10 %)")
    if hasattr(mod, "PerformanceThread"):
        def pt_events(pt, count):
            ev = pt.scoreEvent
            for i in range(0, count, batch):
                for j in range(batch):
                    pf[3] = i + j
                    ev(0, "i", pf)
                pt.flushMessageQueue()
        with quiet(cfg.quiet):
            cs = new_instance(mod, "f0 100000\n")
            pt = mod.PerformanceThread(cs)
            pt.play()
            pt_events(pt, cfg.n_events // 10)
            gc.collect()
            p0 = rss_bytes()
            pt_events(pt, cfg.n_events)
            gc.collect()
            p1 = rss_bytes()
            pt.stop()
            pt.join()
            del pt
            cs.destroy()
        pt_row.figures["csoundpp"] = Figure([(p1 - p0) / 1024], "KiB")
        pt_row.ratio_text = f"RSS {p0 / 2**20:.1f} → {p1 / 2**20:.1f} MiB"
        pt_row.met = (p1 - p0) < 4 * 1024 * 1024
    else:
        pt_row.figures["csoundpp"] = "PerformanceThread not in this build"
    pt_row.target = "no growth beyond noise (< 4 MiB)"
    limit = 4 * 1024 * 1024
    ev_row.figures["csoundpp"] = Figure([(r1 - r0) / 1024], "KiB")
    cd_row.figures["csoundpp"] = Figure([(r3 - r2) / 1024], "KiB")
    ev_row.target = cd_row.target = "no growth beyond noise (< 4 MiB)"
    ev_row.met = (r1 - r0) < limit
    cd_row.met = (r3 - r2) < limit
    ev_row.ratio_text = f"RSS {r0 / 2**20:.1f} → {r1 / 2**20:.1f} MiB; events started: {started:,}"
    cd_row.ratio_text = f"RSS {r2 / 2**20:.1f} → {r3 / 2**20:.1f} MiB ({(r3 - r2) / max(cfg.n_create, 1):.0f} B/cycle)"
    return [ev_row, pt_row, cd_row]


# ----------------------------------------------------------------------------- performance threads

def make_pt(name, mod, cs):
    """The documented performance thread of each API."""
    if name == "csoundpp":
        if not hasattr(mod, "PerformanceThread"):
            raise LookupError("csoundpp.PerformanceThread not available in this build")
        return mod.PerformanceThread(cs)
    if name == "ctcsound":
        return mod.CsoundPerformanceThread(cs.csound())
    return mod.PerformanceThread(cs)


def stop_pt(pt):
    pt.stop()
    pt.join()


def pt_mods(mods, rows):
    """Yields (name, mod) for the APIs that have a performance thread; records reasons in rows."""
    for name, mod in mods.items():
        if isinstance(mod, str):
            for r in rows:
                r.figures[name] = mod
            continue
        if name == "csoundpp" and not hasattr(mod, "PerformanceThread"):
            for r in rows:
                r.figures[name] = "PerformanceThread not in this build"
            continue
        yield name, mod


def item4(cfg, mods) -> list[Row]:
    """4: PerformanceThread.scoreEvent per call, and a batch (2-D numpy) per event."""
    n, reps = cfg.n_pt_events, cfg.reps
    per_row = Row("4", f"PerformanceThread.scoreEvent from Python, per call ({n} calls per repetition)")
    batch_row = Row("4", f"a batch of {n} events as one 2-D float64 array on the PerformanceThread, per event")
    pf = [2.0, 0.0, 0.001, 0.0]

    def batch_fn(pt):
        for attr in ("scoreEvents", "score_events", "eventBatch", "events"):
            if hasattr(pt, attr):
                return getattr(pt, attr)
        return None

    arr = np.tile(np.array(pf), (n, 1))
    arr[:, 3] = np.arange(n)

    def once(name, mod, batch):
        """A fresh instance and thread per repetition; only the submitting calls are timed."""
        def run():
            cs = new_instance(mod, "f0 100000\n")
            pt = make_pt(name, mod, cs)
            pt.play()
            if batch:
                fn = batch_fn(pt)
                t0 = time.perf_counter_ns()
                fn(0, "i", arr)
            elif getattr(mod, "PT_EVENT_KIND_FIRST", False):  # cycsound: score_event(kind, pfields)
                ev = pt.scoreEvent
                t0 = time.perf_counter_ns()
                for _ in range(n):
                    ev("i", pf)
            else:
                ev = pt.scoreEvent
                t0 = time.perf_counter_ns()
                for _ in range(n):
                    ev(0, "i", pf)
            dt = (time.perf_counter_ns() - t0) / n
            pt.flushMessageQueue()
            stop_pt(pt)
            del pt
            destroy(cs)
            return dt
        return run

    fns = {}
    for name, mod in pt_mods(mods, [per_row, batch_row]):
        fns[name] = once(name, mod, False)
        if name != "csoundpp":
            batch_row.figures[name] = "no batch call"
    if "csoundpp" in fns:
        with quiet(cfg.quiet):
            cs = new_instance(mods["csoundpp"], "f0 100000\n")
            probe = make_pt("csoundpp", mods["csoundpp"], cs)
            has_batch = batch_fn(probe) is not None
            stop_pt(probe)
            del probe
            destroy(cs)
        if has_batch:
            fns["csoundpp batch"] = once("csoundpp", mods["csoundpp"], True)
        else:
            batch_row.figures["csoundpp"] = "no batch call"
    floor = floor_sampler("ptevent", n, "pt_score_event")
    fns["C++ floor / CLI"] = floor
    with quiet(cfg.quiet):
        res = interleaved(fns, reps)
    fl = res.pop("C++ floor / CLI")
    per_row.figures["C++ floor / CLI"] = floor.why[0] if floor.why else Figure(fl, "ns")
    for k, samples in res.items():
        (batch_row if k == "csoundpp batch" else per_row).figures[k.split()[0]] = Figure(samples, "ns")
    per_row.note = ("C++ column: libcsnd6 CsoundPerformanceThread::ScoreEvent" if peers.CSOUND == 6 else
                    "C++ column: libcsound 7's csoundPerformanceThreadScoreEvent")
    per_row.target = f"≥ 20× {REF}'s per call"
    judge(per_row, per_row.figures.get(REF), per_row.figures.get("csoundpp"), 20, "ge", f"{REF}/csoundpp")
    batch_row.target = f"≥ 100× {REF}'s per call, per event"
    judge(batch_row, per_row.figures.get(REF), batch_row.figures.get("csoundpp"), 100, "ge",
          f"{REF} per call / csoundpp per event")
    if batch_row.ratio is None and isinstance(batch_row.figures.get("csoundpp"), str):
        batch_row.met = False
        batch_row.ratio_text = "csoundpp has no batch call on the PerformanceThread"
    return [per_row, batch_row]


def fifo_threads(pid: int) -> list[int]:
    """Real-time priorities of the SCHED_FIFO/SCHED_RR threads of a process (from /proc)."""
    prios = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # fields[0] is stat field 3 (state): rt_priority is field 40, policy field 41
        if len(fields) > 38 and int(fields[38]) in (1, 2):
            prios.append(int(fields[37]))
    return prios


class Jack:
    """A private jackd (dummy driver) for the real-time items: real-time scheduling (-R) first,
    as users run it; without it (--no-realtime) only when the system refuses, and then
    Jack.mode says so (it goes into the table)."""

    NAME = f"csoundpp_bench_{os.getpid()}"  # private server: parallel runs do not collide
    mode = "jackd not started"

    def __init__(self, period=256, realtime=True):
        self.period = period
        self.realtime = realtime
        self.proc = None

    def _start(self, realtime: bool) -> None:
        exe, why = peers.jackd()
        if exe is None:
            raise LookupError(why)
        env = dict(os.environ, JACK_NO_AUDIO_RESERVATION="1")
        env.pop("LD_PRELOAD", None)  # a sanitizer runtime preloaded for csoundpp's tests is not jackd's
        self.proc = subprocess.Popen([exe, "-n", self.NAME, "-R" if realtime else "--no-realtime", "-d", "dummy",
                                      "-r", "48000", "-p", str(self.period)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=env)
        os.environ["JACK_DEFAULT_SERVER"] = self.NAME
        os.environ["JACK_NO_AUDIO_RESERVATION"] = "1"
        lsp = shutil.which("jack_lsp")
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise LookupError(f"jackd exited with {self.proc.returncode}")
            if lsp and subprocess.run([lsp, "-s", self.NAME], capture_output=True, env=env).returncode == 0:
                return
            time.sleep(0.1)
        self._stop()
        raise LookupError("jackd did not come up within 10 s")

    def __enter__(self):
        refused = ""
        if self.realtime:
            try:
                self._start(True)
                prios = fifo_threads(self.proc.pid)
                if prios:
                    Jack.mode = f"jackd -R (SCHED_FIFO, priority {max(prios)})"
                    return self
                refused = "jackd -R runs no real-time thread (real-time scheduling refused)"
                self._stop()
            except LookupError as e:
                refused = f"jackd -R failed: {e}"
        self._start(False)
        Jack.mode = "jackd --no-realtime" + (f" (FALLBACK: {refused})" if refused else "")
        return self

    def _stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def __exit__(self, *exc):
        self._stop()
        os.environ.pop("JACK_DEFAULT_SERVER", None)
        return False


RT_OPTIONS = ("-odac", "-+rtaudio=jack", "-+jack_client=csbench", "-b256", "-B1024", "-d", "-m0")
LOAD_SCORE = "".join(f"i1 0 100000 {17 * k}\n" for k in range(VOICES))


def busy_until(t_ns: int) -> None:
    """Paces by spinning, as a sequencer or game loop does: the calling thread stays on its
    CPU, so the figures are not the scheduler's wake-up latency after a sleep."""
    while time.perf_counter_ns() < t_ns:
        pass


def item5_6(cfg, mods) -> list[Row]:
    """5: scoreEvent → first k-cycle latency (k-cycles and µs); 6: flushMessageQueue round trip.
    Free-running, free-running with every thread on one CPU (6 only), and on JACK dummy."""
    m = cfg.n_latency
    rows = {}
    labels = {"free": "free-running (-n)", "one": "free-running (-n), the process pinned to one CPU",
              "jack": "real time, JACK dummy 48 kHz / 256"}
    for mode in ("free", "one", "jack"):
        label = labels[mode]
        if mode != "one":
            rows[("5", mode)] = Row("5", f"scoreEvent → instrument's first k-cycle, {label}: median k-cycles")
            rows[("5p", mode)] = Row("5", "same, p99 k-cycles")
            rows[("5us", mode)] = Row("5", "same, wall time from the call until the instrument's init is seen, "
                                           "median µs")
            rows[("5usp", mode)] = Row("5", "same, p99 µs")
            rows[("lost", mode)] = Row("5", "same, events that never started")
        rows[("6", mode)] = Row("6", f"scoreEvent + flushMessageQueue round trip, {label}: k-cycles during the flush")
        rows[("6us", mode)] = Row("6", "same, wall time of the flush")

    def measure(name, mod, options, pace, latency=True):
        pace_ns = int(pace * 1e9)
        cs = new_instance(mod, LOAD_SCORE, options=options)
        ks = cs.ksmps()
        tab = cs.table(2)
        tab[:m + 1] = -1.0
        pt = make_pt(name, mod, cs)
        pt.play()
        time.sleep(0.1)
        cur = cs.currentTimeSamples
        ev = pt.scoreEvent
        now = time.perf_counter_ns
        subs = np.empty(m)
        us = np.full(m, np.nan)
        pf = [2.0, 0.0, 0.001, 0.0]
        for i in range(m if latency else 0):
            pf[3] = float(i)
            t0 = now()
            s = cur()
            ev(0, "i", pf)
            # poll the table entry instr 2 writes at its init: wall time as a user hears it
            deadline = t0 + 20_000_000
            while tab[i] < 0 and now() < deadline:
                pass
            t1 = now()
            if tab[i] >= 0:
                us[i] = (t1 - t0) / 1e3
            subs[i] = s
            busy_until(t0 + pace_ns)
        pt.flushMessageQueue()
        time.sleep(0.05)
        tab_copy = tab[:m].copy()
        lat = tab_copy - subs / ks
        missing = int(np.count_nonzero(tab_copy < 0))
        fl_cyc, fl_us = [], []
        pf[3] = float(m)  # beyond the latency entries
        for _ in range(m):
            ev(0, "i", pf)  # a queued command for the flush to wait for
            c0 = cur()
            t0 = now()
            pt.flushMessageQueue()
            fl_us.append((now() - t0) / 1e3)
            fl_cyc.append((cur() - c0) / ks)
            busy_until(t0 + pace_ns)
        stop_pt(pt)
        del pt, tab
        destroy(cs)
        started = tab_copy >= 0
        return lat[started], us[~np.isnan(us)], fl_cyc, fl_us, missing

    def record(mode, name, res):
        lat, us, fl_cyc, fl_us, missing = res
        if ("5", mode) in rows:
            rows[("lost", mode)].figures[name] = Figure([float(missing)], f"of {m}")
            if not lat.size:
                raise RuntimeError(f"{name}: none of the {m} events started")
            rows[("5", mode)].figures[name] = Figure([float(np.median(lat))], "k-cycles")
            rows[("5p", mode)].figures[name] = Figure([float(np.percentile(lat, 99))], "k-cycles")
            if us.size:
                rows[("5us", mode)].figures[name] = Figure([float(np.median(us))], "µs")
                rows[("5usp", mode)].figures[name] = Figure([float(np.percentile(us, 99))], "µs")
        rows[("6", mode)].figures[name] = Figure([float(np.median(fl_cyc)), float(np.min(fl_cyc)), float(np.max(fl_cyc))], "k-cycles")
        rows[("6us", mode)].figures[name] = Figure(fl_us, "µs")

    all_rows = list(rows.values())
    for name, mod in pt_mods(mods, all_rows):
        with quiet(cfg.quiet):
            record("free", name, measure(name, mod, ("-n", "-d", "-m0"), 0.0005))
        # both threads on one CPU: the waiter must not keep the performance thread off it
        cpus = os.sched_getaffinity(0)
        try:
            os.sched_setaffinity(0, {min(cpus)})  # this thread; the performance thread inherits it
            with quiet(cfg.quiet):
                record("one", name, measure(name, mod, ("-n", "-d", "-m0"), 0.0005, latency=False))
        finally:
            os.sched_setaffinity(0, cpus)
    jack_mode = ""
    if cfg.jack:
        try:
            with Jack():
                jack_mode = Jack.mode
                for name, mod in pt_mods(mods, []):
                    with quiet(cfg.quiet):
                        record("jack", name, measure(name, mod, RT_OPTIONS, 0.002))
        except LookupError as e:
            for k, r in rows.items():
                if k[1] == "jack":
                    for name in ("csoundpp", "ctcsound", "libcsound"):
                        r.figures.setdefault(name, f"JACK unavailable: {e}")
    for mode in ("free", "one", "jack"):
        checks = [(rows[("6", mode)], 2)]
        if mode != "one":
            checks += [(rows[("5", mode)], 1), (rows[("5p", mode)], 2)]
            rl = rows[("lost", mode)]
            rl.target = "0"
            v = med(rl.figures.get("csoundpp"))
            if v is not None:
                rl.met = v == 0
        for r, lim in checks:
            r.target = f"≤ {lim} k-cycle" + ("s" if lim > 1 else "")
            v = med(r.figures.get("csoundpp"))
            if v is not None:
                r.met = v <= lim
                r.ratio_text = f"csoundpp {fmt(v)}"
    rows[("6", "one")].target = "no slower than before the spin (report)"
    rows[("6", "one")].met = None
    # On JACK the performing thread renders a whole period (256 frames = 8 k-cycles of 32) per callback:
    # a flush returns at the next period at best, for every implementation. That period is the floor.
    period_k = 256 // 32  # jackd -p 256 (Jack's default period), ksmps 32 (bench.orc)
    r6 = rows[("6", "jack")]
    r6.target = f"≤ 1 JACK period = {period_k} k-cycles (the floor: a period is rendered per callback)"
    v = med(r6.figures.get("csoundpp"))
    r6.met = None if v is None else v <= period_k
    note = ("latency = (k-cycle in which the instrument ran its init) − (k-cycles completed when scoreEvent was "
            "called); 0 = the very next k-cycle; calls paced by spinning (busy-wait), µs polled from the calling "
            "thread. 6: cells are median (min–max) over the calls")
    rows[("5", "free")].note = note
    if jack_mode:
        rows[("5", "jack")].note = jack_mode
    if not cfg.jack:
        return [r for k, r in rows.items() if k[1] != "jack"]
    return all_rows


RT8_OPTIONS = ("-odac", "-+rtaudio=jack", "-+jack_client=csbench", "-b256", "-B1024", "-d", "-m4")
CLOCK_RE = re.compile(r"csbench-clock (\d+) ([0-9.]+)")


def rendered_fraction(lines: list[str], ksmps: int, sr: float) -> float | None:
    """Audio rendered / wall time between the second and the last once-a-second clock line of
    instr 4 (Csound's own timek and rtclock, so message delivery delays do not count; the first
    line is skipped: Csound fills its -B buffer ahead of real time at the start)."""
    pts = [(int(m.group(1)), float(m.group(2))) for m in map(CLOCK_RE.search, lines) if m]
    if len(pts) < 2:
        return None
    (k0, w0), (k1, w1) = pts[1 if len(pts) > 2 else 0], pts[-1]
    return (k1 - k0) * ksmps / sr / (w1 - w0) if w1 > w0 else None


def item8(cfg, mods) -> list[Row]:
    """8: real-time JACK playback while 2 Python threads hog the GIL and a Python callback
    consumes every outvalue: JACK's xruns, the audio Csound rendered against wall time (its
    client-side underruns: rtjack plays zeros when Csound is late, which JACK does not count),
    and Csound's own underrun warnings."""
    secs = cfg.xrun_seconds
    row = Row("8", f"xruns in {secs:g} s of JACK dummy playback, 2 GIL-hogging threads, a Python callback "
                   "consuming every outvalue")
    ren = Row("8", "same run: audio rendered / wall time (Csound's timek against its rtclock)")
    warn = Row("8", "same run: Csound's underrun warnings (rtjack: xrun in real time audio)")
    info = Row("8", "same run: outvalues / messages delivered to Python")
    rows = [row, ren, warn, info]
    exe = peers.XRUNS
    if not cfg.jack:
        for r in rows:
            r.figures["csoundpp"] = "skipped (--no-jack)"
        return rows
    if not exe.exists():
        for r in rows:
            r.figures["csoundpp"] = f"xrun counter not built; {peers.SETUP_HINT}"
        return rows
    score = "i3 0 100000\ni4 0 100000\n"

    def hog(stop):
        x = 0
        while not stop.is_set():
            x += 1

    def run_one(name, mod):
        counts = {"out": 0, "msg": 0}
        lines: list[str] = []
        cs = mod.Csound()
        for o in RT8_OPTIONS:
            cs.setOption(o)
        stop = threading.Event()
        consumers = []
        if name == "csoundpp":
            def on_out(chan, value):
                counts["out"] += 1

            def on_msg(attr, text):
                counts["msg"] += 1
                lines.append(text)
            cs.setOutputChannelCallback(on_out)
            cs.setMessageStringCallback(0, on_msg)
        else:
            # ctcsound 6.18 / libcsound 0.18 have no message-string callback: the documented way is the
            # message buffer, drained here by a Python thread; outvalue runs on the performance thread.
            def on_out(csp, chan, valp, typ):
                counts["out"] += 1
            cs.setOutputChannelCallback(on_out)
            cs.createMessageBuffer(False)

            def drain():
                while True:
                    while cs.messageCnt() > 0:
                        lines.append(cs.firstMessage())
                        counts["msg"] += 1
                        cs.popFirstMessage()
                    if stop.is_set():
                        break
                    time.sleep(0.01)
            consumers.append(threading.Thread(target=drain, daemon=True))
        if cs.compileOrc(ORC) != 0 or cs.start() != 0:
            raise RuntimeError(f"{name}: real-time start failed (is JACK running?)")
        cs.readScore(score)
        ksmps, sr = cs.ksmps(), cs.sr()
        mon = subprocess.Popen([str(exe), str(secs + 0.5), Jack.NAME], stdout=subprocess.PIPE, text=True)
        if mon.stdout.readline().strip() != "ready":
            raise RuntimeError("xrun counter did not start")
        hogs = [threading.Thread(target=hog, args=(stop,), daemon=True) for _ in range(2)]
        pt = make_pt(name, mod, cs)
        for t in hogs:
            t.start()
        pt.play()
        for t in consumers:
            t.start()
        time.sleep(secs)
        stop_pt(pt)
        stop.set()
        for t in hogs + consumers:
            t.join()
        if name == "csoundpp":
            cs.flushMessages()
        line = mon.stdout.read().strip()
        mon.wait(10)
        xr = int(line.split()[-1]) if line.startswith("xruns") else -1
        del pt
        destroy(cs)
        return xr, counts, lines, ksmps, sr

    def record(name, xr, lines, ksmps, sr, extra):
        row.figures[name] = Figure([float(xr)], "xruns")
        frac = rendered_fraction(lines, ksmps, sr)
        ren.figures[name] = Figure([100.0 * frac], "%") if frac is not None else "under 1 s of audio rendered"
        warn.figures[name] = Figure([float(sum("rtjack: xrun" in t for t in lines))], "warnings")
        info.figures[name] = extra

    try:
        with Jack():
            for r in rows:
                r.note = Jack.mode if r is row else ""
            for name, mod in pt_mods(mods, rows):
                with quiet(cfg.quiet):
                    xr, counts, lines, ksmps, sr = run_one(name, mod)
                record(name, xr, lines, ksmps, sr, f"{counts['out']:,} outvalues, {counts['msg']:,} messages")
            cli, why = peers.csound_cli()
            if cli:  # the baseline: the same orchestra from the csound program, no Python at all
                with tempfile.TemporaryDirectory() as tmp:
                    csd = Path(tmp) / "rt.csd"
                    csd.write_text(f"<CsoundSynthesizer>\n<CsInstruments>\n{ORC}\n</CsInstruments>\n"
                                   f"<CsScore>\ni3 0 {secs}\ni4 0 {secs}\ne\n</CsScore>\n</CsoundSynthesizer>\n")
                    mon = subprocess.Popen([str(exe), str(secs + 3), Jack.NAME], stdout=subprocess.PIPE, text=True)
                    if mon.stdout.readline().strip() != "ready":
                        raise RuntimeError("xrun counter did not start")
                    stop = threading.Event()
                    hogs = [threading.Thread(target=hog, args=(stop,), daemon=True) for _ in range(2)]
                    for t in hogs:
                        t.start()
                    r = subprocess.run([cli, *RT8_OPTIONS, str(csd)], capture_output=True, timeout=secs + 60)
                    stop.set()
                    for t in hogs:
                        t.join()
                    mon.send_signal(signal.SIGTERM)
                    line = mon.stdout.read().strip()
                    mon.wait(10)
                text = (r.stdout + r.stderr).decode(errors="replace").splitlines()
                record("C++ floor / CLI", float(line.split()[-1]) if line.startswith("xruns") else -1.0, text, 32,
                       48000.0, "csound CLI (no Python in it) while the same 2 hog threads spin in this process: "
                                "CPU contention without the GIL")
            else:
                for r in rows:
                    r.figures["C++ floor / CLI"] = why
    except LookupError as e:
        for name in ("csoundpp", "ctcsound", "libcsound"):
            row.figures.setdefault(name, f"JACK unavailable: {e}")
    row.target = "0"
    ren.target = "≥ 99.9 %"
    v = med(row.figures.get("csoundpp"))
    if v is not None:
        row.met = v == 0
        row.ratio_text = f"csoundpp {v:.0f}, ctcsound {fmt(med(row.figures.get('ctcsound')) or float('nan'))}"
    v = med(ren.figures.get("csoundpp"))
    if v is not None:
        ren.met = v >= 99.9
        c = med(ren.figures.get("ctcsound"))
        ren.ratio_text = f"csoundpp {v:.2f} %" + (f", ctcsound {c:.1f} %" if c is not None else "")
    warn.target = "report"
    return rows


BLOCK_SIZES = (32, 64, 256, 1024)
from child import LIFE_ORC  # noqa: E402  (item 13's children run the same orchestra)


def item10(cfg, mods) -> list[Row]:
    """10: BlockProcessor.process() per host block against the raw k-cycles it renders."""
    rows = []
    targets = {32: 1.5, 256: 1.1}
    exe, why = peers.block_binary()
    py_rows = []
    mod = mods.get("csoundpp")
    for n in BLOCK_SIZES:
        r = Row("10", f"BlockProcessor::process() per block of {n} frames (C++, float32 planar, stereo, no "
                      f"inputs, 1 voice) against csoundPerformKsmps × {n // 32} on a plain instance")
        for name in ("ctcsound", "libcsound"):
            r.figures[name] = "no such call"
        if exe is None:
            r.figures["csoundpp"] = why
        else:
            with quiet(cfg.quiet):
                res = subprocess.run([str(exe), str(ORC_FILE), str(n), str(cfg.reps)], capture_output=True,
                                     text=True, timeout=600)
            if res.returncode != 0:
                r.figures["csoundpp"] = f"block bench failed ({res.returncode}): {res.stderr.strip()[-200:]}"
            else:
                d = json.loads(res.stdout)
                r.figures["csoundpp"] = Figure(d["process"], "ns")
                r.figures["C++ floor / CLI"] = Figure(d["raw"], "ns")
        if n in targets:
            r.target = f"≤ {targets[n]}× the raw k-cycles"
            judge(r, r.figures.get("csoundpp"), r.figures.get("C++ floor / CLI"), targets[n], "le",
                  "csoundpp/raw")
        else:
            judge(r, r.figures.get("csoundpp"), r.figures.get("C++ floor / CLI"), float("inf"), "le",
                  "csoundpp/raw")
            r.met = None
        rows.append(r)
        # the same from Python: one call per block, GIL released inside
        pr = Row("10", f"same from Python: bp.process(None, out) per block of {n} frames")
        if isinstance(mod, str) or mod is None or not hasattr(mod, "BlockProcessor"):
            pr.figures["csoundpp"] = mod if isinstance(mod, str) else "no BlockProcessor in this build"
        else:
            with quiet(cfg.quiet):
                cs = mod.Csound()
                for o in ("-d", "-m0"):
                    cs.setOption(o)
                bp = mod.BlockProcessor(cs, inputs=0, outputs=2, midi_in=False, midi_out=False)
                if cs.compileOrc(ORC) != 0:
                    raise RuntimeError("BlockProcessor: orchestra did not compile")
                bp.start()
                cs.readScore("i1 0 100000 0\n")
                out = np.zeros((2, n), dtype=np.float32)
                proc = bp.process
                blocks = max(50, 48000 * 40 // 1000 // n)
                for _ in range(blocks):
                    proc(None, out)
                samples = []
                for _ in range(cfg.reps):
                    t0 = time.perf_counter_ns()
                    for _ in range(blocks):
                        proc(None, out)
                    samples.append((time.perf_counter_ns() - t0) / blocks)
                if not np.any(out):
                    raise RuntimeError("BlockProcessor rendered silence")
                bp.release()
                del bp
                cs.destroy()
            pr.figures["csoundpp"] = Figure(samples, "ns")
            raw = r.figures.get("C++ floor / CLI")
            pr.figures["C++ floor / CLI"] = raw if isinstance(raw, Figure) else ""
            judge(pr, pr.figures["csoundpp"], raw, float("inf"), "le", "Python csoundpp/raw")
            pr.met = None
        py_rows.append(pr)
    return rows + py_rows


def run_child(kind: str, impl: str, n: int) -> dict:
    """Runs benchmarks/child.py (a fresh interpreter that imports nothing else first); returns its JSON."""
    r = subprocess.run([sys.executable, str(HERE / "child.py"), kind, impl, str(n)], capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0:
        raise RuntimeError(f"child {kind} {impl} failed: {r.stderr.strip()[-300:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def child_rows(cfg, mods, kind: str, n: int, key: str, scale: float) -> dict[str, Figure | str]:
    out: dict[str, Figure | str] = {}
    names = [k for k, m in mods.items() if not isinstance(m, str)]
    samples: dict[str, list[float]] = {k: [] for k in names}
    for _ in range(cfg.child_reps):
        for k in names:  # interleaved, one fresh interpreter each
            d = run_child(kind, k, n)
            if "error" in d:
                out[k] = d["error"]
            else:
                samples[k].append(d[key] * scale)
    for k, m in mods.items():
        if isinstance(m, str):
            out[k] = m
        elif k not in out:
            out[k] = Figure(samples[k], "")
    return out


def item11(cfg, mods) -> list[Row]:
    """11: resident memory per extra live instance (Csound() created, not compiled)."""
    row = Row("11", "RSS per extra live instance (Csound() created, not compiled; fresh interpreter, "
                    f"{cfg.n_instances} instances)")
    figs = child_rows(cfg, mods, "rss", cfg.n_instances, "rss_per_instance", 1 / 2**20)
    for k, f in figs.items():
        if isinstance(f, Figure):
            f.unit = "MiB"
        row.figures[k] = f
    fl = floor_run("rss", cfg.n_instances, cfg.reps)
    row.figures["C++ floor / CLI"] = fl if isinstance(fl, str) else Figure(
        [x / 2**20 for x in fl["rss_per_instance"]], "MiB")
    row.note = "C++ column: csoundCreate()"
    a, b = med(row.figures.get("csoundpp")), med(row.figures.get(REF))
    row.target = f"≤ {REF}'s + 0.25 MiB"
    if a is not None and b is not None:
        row.met = a <= b + 0.25
        row.ratio_text = f"csoundpp − {REF} = {a - b:+.3f} MiB"
    return [row]


def item12(cfg, mods) -> list[Row]:
    """12: import time in a fresh interpreter."""
    row = Row("12", "import time in a fresh interpreter (numpy included when the module imports it)")
    figs = child_rows(cfg, mods, "import", 0, "import_ms", 1.0)
    for k, f in figs.items():
        if isinstance(f, Figure):
            f.unit = "ms"
        row.figures[k] = f
    row.target = "≤ 15 ms"
    v = med(row.figures.get("csoundpp"))
    if v is not None:
        row.met = v <= 15
        c = med(row.figures.get(REF))
        row.ratio_text = f"csoundpp {v:.1f} ms" + (f", {REF}/csoundpp = {c / v:.2f}×" if c else "")
    return [row]


def item13(cfg, mods) -> list[Row]:
    """13: create → compile → start → destroy of a small orchestra, per cycle."""
    n = cfg.n_lifecycle
    row = Row("13", f"create → compileOrc → start → destroy of a one-oscillator orchestra, per cycle ({n} cycles)")
    tmp = Path(tempfile.mkdtemp(prefix="csoundpp-bench-"))
    orc_file = tmp / "life.orc"
    orc_file.write_text(LIFE_ORC)

    # One fresh interpreter per implementation and repetition (benchmarks/child.py), not this process:
    # csoundpp keeps the libraries an instance loads (plugins, libjack) for the next instance, and
    # in a shared process the peers' instances would find them loaded too.
    fns = {}
    for k, f in child_rows(cfg, mods, "lifecycle", n, "lifecycle_ms", 1.0).items():
        if isinstance(f, Figure):
            f.unit = "ms"
        row.figures[k] = f

    def floor_once():
        r = subprocess.run([str(peers.FLOOR), str(orc_file), "lifecycle", str(n), "1"], capture_output=True,
                           text=True, timeout=600)
        return json.loads(r.stdout)["lifecycle"][0] / 1e6 if r.returncode == 0 else float("nan")
    exe, why = peers.floor_binary()
    if exe is not None:
        fns["C++ floor / CLI"] = floor_once
    else:
        row.figures["C++ floor / CLI"] = why
    with quiet(cfg.quiet):
        for k, samples in interleaved(fns, cfg.reps).items():
            row.figures[k] = Figure(samples, "ms")
    orc_file.unlink()
    tmp.rmdir()
    row.note = ("each Python column in its own fresh interpreter, after one warm-up cycle; " +
                ("ctcsound destroys in __del__ (dropped at once); C++ column: the same calls on libcsound"
                 if peers.CSOUND == 6 else "ctcsound7, libcsound 1.0 and cycsound destroy in __del__ (dropped at "
                 "once); C++ column: the same calls on libcsound 7"))
    row.target = f"≤ {REF}'s (report)"
    judge(row, row.figures.get("csoundpp"), row.figures.get(REF), 1.0, "le", f"csoundpp/{REF}")
    return [row]


def item14(cfg, mods) -> list[Row]:
    """14: PerformanceThread.scoreEvent sustained from one Python thread, free-running: events started
    per second, and the backlog (sent − started) when sending stops."""
    secs = cfg.sustain_seconds
    row = Row("14", f"PerformanceThread.scoreEvent sustained for {secs:g} s from one Python thread, free-running "
                    "(-n): events started per second")
    back = Row("14", "same, backlog when sending stopped (events queued, not yet started) and its length in time")
    rej = Row("14", "same, calls refused with QueueFullError (csoundpp; the caller retried them)")
    pf = [5.0, 0.0, 0.00001]

    def run_one(name, mod):
        cs = new_instance(mod, "f0 100000\n")
        pt = make_pt(name, mod, cs)
        pt.play()
        pt.flushMessageQueue()
        ev = pt.scoreEvent
        full = getattr(mod, "QueueFullError", ())
        sent = refused = 0
        t0 = time.perf_counter()
        end = t0 + secs
        if getattr(mod, "PT_EVENT_KIND_FIRST", False):  # cycsound: score_event(kind, pfields); no queue limit
            while True:
                for _ in range(100):
                    ev("i", pf)
                sent += 100
                if time.perf_counter() >= end:
                    break
        else:
            while True:
                for _ in range(100):
                    try:
                        ev(0, "i", pf)
                        sent += 1
                    except full:
                        refused += 1
                if time.perf_counter() >= end:
                    break
        t1 = time.perf_counter()
        started = control_value(cs, "started")
        t_wait = time.perf_counter()
        pt.flushMessageQueue()
        drain = time.perf_counter() - t_wait
        time.sleep(0.05)
        total = control_value(cs, "started")
        stop_pt(pt)
        del pt
        destroy(cs)
        if int(total) != sent:
            raise RuntimeError(f"{name}: sent {sent} events, {int(total)} started")
        return started / (t1 - t0), sent - started, drain, refused

    for name, mod in pt_mods(mods, [row, back, rej]):
        with quiet(cfg.quiet):
            rate, backlog, drain, refused = run_one(name, mod)
        row.figures[name] = Figure([rate], "events/s")
        back.figures[name] = f"{backlog:,.0f} events, drained in {drain * 1e3:.0f} ms"
        rej.figures[name] = Figure([float(refused)], "calls") if name == "csoundpp" else "unbounded queue"
    row.target = f"≥ {REF}'s (report)"
    judge(row, row.figures.get("csoundpp"), row.figures.get(REF), 1.0, "ge", f"csoundpp/{REF}")
    back.target = "a few seconds at most"
    return [row, back, rej]


# ----------------------------------------------------------------------------- output

def table(rows: list[Row]) -> str:
    head = "| # | what | " + " | ".join(IMPLS) + " | ratio | target | met |"
    sep = "|" + "---|" * (len(IMPLS) + 5)
    lines = [head, sep]
    for r in rows:
        cells = []
        for impl in IMPLS:
            f = r.figures.get(impl, "")
            cells.append(f.cell() if isinstance(f, Figure) else (f or ""))
        met = {True: "yes", False: "**MISSED**", None: "—"}[r.met]
        what = r.what + (f" ({r.note})" if r.note else "")
        lines.append(f"| {r.item} | {what} | " + " | ".join(cells) + f" | {r.ratio_text} | {r.target} | {met} |")
    return "\n".join(lines)


ITEMS = {
    "1": item1,  # also 1b
    "2": item2,  # also 2b
    "3": item3,
    "4": item4,
    "5": item5_6,  # also 6
    "7": item7,
    "8": item8,
    "9": item9,
    "10": item10,
    "11": item11,
    "12": item12,
    "13": item13,
    "14": item14,
}


@dataclass
class Config:
    reps: int = 7
    n_calls: int = 200_000
    n_cycles: int = 20_000
    n_cycles_mt: int = 20_000
    render_seconds: float = 60.0
    render_reps: int = 5
    n_events: int = 1_000_000
    n_create: int = 100
    n_pt_events: int = 2_000
    n_latency: int = 500
    xrun_seconds: float = 30.0
    spin_iterations: int = 100_000_000
    n_instances: int = 20
    child_reps: int = 7
    n_lifecycle: int = 20
    sustain_seconds: float = 2.0
    jack: bool = True
    quiet: bool = True


QUICK = dict(reps=2, n_calls=2_000, n_cycles=500, n_cycles_mt=500, render_seconds=1.0, render_reps=2,
             n_events=5_000, n_create=3, n_pt_events=200, n_latency=30, xrun_seconds=3.0,
             spin_iterations=2_000_000, n_instances=3, child_reps=1, n_lifecycle=2, sustain_seconds=0.2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke mode: tiny counts, 2 repetitions (numbers meaningless)")
    ap.add_argument("--only", default="", help="comma-separated items, e.g. 1,2,3 (1 includes 1b, 2 includes 2b)")
    ap.add_argument("--reps", type=int, help="repetitions per figure (default 7)")
    ap.add_argument("--json", type=Path, help="write raw samples and the machine description here")
    ap.add_argument("--markdown", type=Path, action="append", default=[],
                    help="write the table with machine and command into this file, between its "
                         "<!-- bench:begin/end --> markers when present (repeatable: README.md and docs/benchmarks.md)")
    ap.add_argument("--no-jack", action="store_true", help="skip everything that needs JACK: the real-time variants of items 5/6, and item 8")
    ap.add_argument("--verbose", action="store_true", help="let Csound print its messages")
    ap.add_argument("--csound", type=int, choices=(6, 7), default=6,
                    help="which Csound: 6 (Debian's 6.18; ctcsound, libcsound 0.18.5) or 7 (the prefix of "
                         "scripts/csound7-prefix.sh; ctcsound7, libcsound 1.0, cycsound; run with the csoundpp "
                         "built for Csound 7: .venv-cs7/bin/python; benchmarks/setup.sh --csound7 installs it all). "
                         f"Items on 7: {', '.join(ITEMS_CS7)}; --markdown writes between <!-- bench:csound7:begin/end -->")
    args = ap.parse_args(argv)
    global IMPLS, REF
    peers.use_csound(args.csound)
    if args.csound == 7:
        if not peers.csound7_env_ready():
            # ctcsound7 opens "libcsound64.so" by name: the loader's search path, read at process
            # start, must begin at the Csound 7 prefix. Once, then the same run goes on.
            sys.stdout.flush()
            sys.stderr.flush()
            os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()),
                                       *(argv if argv is not None else sys.argv[1:])], peers.csound7_env())
        IMPLS, REF = IMPLS7, "libcsound"

    cfg = Config(**QUICK) if args.quick else Config()
    if args.reps:
        cfg.reps = cfg.child_reps = args.reps
    cfg.quiet = not args.verbose
    cfg.jack = not args.no_jack
    wanted = [s.strip() for s in args.only.split(",") if s.strip()] or \
        (list(ITEMS_CS7) if args.csound == 7 else list(ITEMS))
    for w in wanted:
        if w.rstrip("b") not in ITEMS and w != "6":
            ap.error(f"unknown item {w!r}; known: {', '.join(ITEMS)}")
        if args.csound == 7 and w.rstrip("b") not in ITEMS_CS7:
            ap.error(f"item {w!r} is not ported to --csound 7 yet; items on Csound 7: {', '.join(ITEMS_CS7)}")

    jack_note = pin_libjack()
    mods = python_peers()
    if isinstance(mods["csoundpp"], str) and "is built for Csound" in mods["csoundpp"]:
        print(f"benchmarks/run.py --csound {args.csound}: {mods['csoundpp']}", file=sys.stderr)
        return 2
    info = machine(mods)
    info["libjack"] = jack_note
    load0 = os.getloadavg()
    print("machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()), flush=True)
    print(f"load average at start: {load0[0]:.1f} / {load0[1]:.1f} / {load0[2]:.1f}", flush=True)
    for name, m in mods.items():
        if isinstance(m, str):
            print(f"peer {name}: unavailable — {m}", flush=True)
    rows: list[Row] = []
    done = set()
    alias = {"6": "5"}
    for w in wanted:
        key = alias.get(w.rstrip("b"), w.rstrip("b"))
        if key in done:
            continue
        done.add(key)
        t0 = time.perf_counter()
        try:
            new = ITEMS[key](cfg, mods)
        except Exception as e:  # noqa: BLE001 - one broken item must not lose the others' figures
            import traceback
            traceback.print_exc()
            new = [Row(key, f"item failed: {type(e).__name__}: {e}", met=False)]
        rows.extend(new)
        print(f"item {key}: {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
        print(table(new).split("\n", 2)[2], file=sys.stderr, flush=True)
    text = table(rows)
    print(text)
    load1 = os.getloadavg()
    info["load average (1/5/15 min) at start → end"] = (f"{load0[0]:.1f} / {load0[1]:.1f} / {load0[2]:.1f} → "
                                                        f"{load1[0]:.1f} / {load1[1]:.1f} / {load1[2]:.1f}")
    missed = [r for r in rows if r.met is False]
    cmd = "benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    for markdown in args.markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        md = [f"Command: `{cmd.strip()}`  ", f"Date: {time.strftime('%Y-%m-%d %H:%M')}  ",
              "Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()), "",
              "Cells: median (min–max) over the repetitions; ratios from the medians of this run.", "", text, ""]
        body = "\n".join(md)
        tag = "bench" if args.csound == 6 else "bench:csound7"
        begin, end = f"<!-- {tag}:begin -->", f"<!-- {tag}:end -->"
        prev = markdown.read_text() if markdown.exists() else ""
        if begin in prev and end in prev:  # keep the hand-written notes around the generated part
            body = prev[: prev.index(begin) + len(begin)] + "\n" + body + "\n" + prev[prev.index(end):]
        elif prev and args.csound == 7:  # a file with only the Csound 6 table: append the Csound 7 one
            body = prev.rstrip("\n") + f"\n\n{begin}\n{body}\n{end}\n"
        markdown.write_text(body)
    if args.json:
        args.json.write_text(json.dumps({
            "csound": args.csound, "columns": IMPLS, "reference": REF, "command": cmd.strip(),
            "date": time.strftime('%Y-%m-%d %H:%M'), "machine": info, "config": cfg.__dict__,
            "rows": [{"item": r.item, "what": r.what, "note": r.note, "ratio": r.ratio, "met": r.met, "target": r.target,
                      "figures": {k: (v.__dict__ if isinstance(v, Figure) else v) for k, v in r.figures.items()}}
                     for r in rows]}, indent=1))
    failed = [r for r in rows if r.what.startswith("item failed")]
    print(f"\n{len(rows)} rows, {sum(r.met is True for r in rows)} targets met, {len(missed)} missed"
          + (f", {len(failed)} items FAILED" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
