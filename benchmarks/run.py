#!/usr/bin/env python3
"""csoundpp side by side with its peers, in one run, on one machine, with one orchestra.

    benchmarks/setup.sh                      # once: installs the peers, builds the C++ floor
    .venv/bin/python benchmarks/run.py       # all items, prints the table
    .venv/bin/python benchmarks/run.py --quick --only 1,1b    # smoke mode / a subset
    .venv/bin/python benchmarks/run.py --markdown README.md --markdown docs/benchmarks.md --json out.json

Every figure is the median of several repetitions with min and max; ratios are computed
from medians of the same run. Peers that are not installed are reported as such.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
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


def machine() -> dict:
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


def destroy(cs):
    """csoundpp (and libcsound) destroy explicitly; ctcsound destroys in __del__."""
    if hasattr(cs, "destroy"):
        cs.destroy()


def python_peers():
    out = {}
    for name, loader in (("csoundpp", peers.load_csoundpp), ("ctcsound", peers.load_ctcsound),
                         ("libcsound", peers.load_libcsound)):
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
        if name == "libcsound":
            v, err = cs.channelPtr("amp", "control", "rw")
        else:
            v, err = cs.channelPtr("amp", CTRL_IN)
        if err:
            raise RuntimeError(f"{name}: channelPtr failed: {err}")
        # the view is shared memory: a write through it is what Csound reads
        v[0] = 0.75
        val = cs.controlChannel("amp")[0]
        if abs(val - 0.75) > 1e-12:
            raise RuntimeError(f"{name}: channel view does not alias the channel ({val})")
        instances[name], views[name] = cs, v
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
        fns = {k: make(k) for k in instances}
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
    set_row.target, get_row.target = "≥ 3× faster than ctcsound", "≥ 3× faster than ctcsound"
    judge(set_row, set_row.figures.get("ctcsound"), set_row.figures.get("csoundpp"), 3, "ge", "ctcsound/csoundpp")
    judge(get_row, get_row.figures.get("ctcsound"), get_row.figures.get("csoundpp"), 3, "ge", "ctcsound/csoundpp")
    vset_row.target = vget_row.target = "≥ 15× faster than ctcsound's by-name call"
    judge(vset_row, set_row.figures.get("ctcsound"), vset_row.figures.get("csoundpp"), 15, "ge",
          "ctcsound setControlChannel / csoundpp view write")
    judge(vget_row, get_row.figures.get("ctcsound"), vget_row.figures.get("csoundpp"), 15, "ge",
          "ctcsound controlChannel / csoundpp view read")
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
        fns[name] = loop_once(mod)
        if name != "csoundpp":
            fast_row.figures[name] = "no such call"
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
    loop_row.target = "≥ 1.3× ctcsound"
    judge(loop_row, loop_row.figures.get("ctcsound"), loop_row.figures.get("csoundpp"), 1.3, "ge", "ctcsound/csoundpp")
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

    def py_once(mod):
        def run():
            t0 = time.perf_counter()
            cs = mod.Csound()
            if cs.compileArgs("csound", *args) != 0 or cs.start() != 0:
                raise RuntimeError(f"{mod.__name__}: compile failed")
            cs.perform()
            cs.cleanup()
            destroy(cs)
            dt = time.perf_counter() - t0
            check()
            return dt * 1e3
        return run

    def cli_once():
        t0 = time.perf_counter()
        r = subprocess.run([cli, *args], capture_output=True)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            raise RuntimeError(f"csound CLI failed: {r.stderr[-300:]!r}")
        check()
        return dt * 1e3

    fns = {}
    for name, mod in mods.items():
        if isinstance(mod, str):
            row.figures[name] = mod
        else:
            fns[name] = py_once(mod)
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
    row.note = "CLI column: `csound` process wall time (exec + plugin loading included, as in-process create is)"
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()
    return [row]


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
    for name, mod in mods.items():
        if isinstance(mod, str):
            row.figures[name] = par_row.figures[name] = mod
        else:
            fns[name] = speedup(mod, render_cpp if name == "csoundpp" else render_loop)
            parallel[mod.__name__] = []
    with quiet(cfg.quiet):
        for k, samples in interleaved(fns, reps).items():
            row.figures[k] = Figure(samples, "×")
            par_row.figures[k] = Figure(parallel[mods[k].__name__], "cores")
    par_row.note = f"load average when done: {os.getloadavg()[0]:.1f}"
    row.figures["C++ floor / CLI"] = "—"
    row.target = f"≥ 1.8× on {os.cpu_count()} cores"
    fig = row.figures.get("csoundpp")
    if isinstance(fig, Figure):
        row.ratio = fig.median
        row.ratio_text = f"csoundpp speed-up = {fig.median:.2f}×"
        row.met = fig.median >= 1.8
    row.note = "csoundpp: performKsmpsInto in chunks of 256 k-cycles; peers: performKsmps loop"
    return [row, par_row]


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
    per_row.note = "C++ column: libcsnd6 CsoundPerformanceThread::ScoreEvent"
    per_row.target = "≥ 20× ctcsound's per call"
    judge(per_row, per_row.figures.get("ctcsound"), per_row.figures.get("csoundpp"), 20, "ge", "ctcsound/csoundpp")
    batch_row.target = "≥ 100× ctcsound's per call, per event"
    judge(batch_row, per_row.figures.get("ctcsound"), batch_row.figures.get("csoundpp"), 100, "ge",
          "ctcsound per call / csoundpp per event")
    if batch_row.ratio is None and isinstance(batch_row.figures.get("csoundpp"), str):
        batch_row.met = False
        batch_row.ratio_text = "csoundpp has no batch call on the PerformanceThread"
    return [per_row, batch_row]


class Jack:
    """A private jackd (dummy driver, no real-time scheduling) for the real-time items."""

    NAME = f"csoundpp_bench_{os.getpid()}"  # private server: parallel runs do not collide

    def __init__(self, period=256):
        self.period = period
        self.proc = None

    def __enter__(self):
        exe, why = peers.jackd()
        if exe is None:
            raise LookupError(why)
        env = dict(os.environ, JACK_NO_AUDIO_RESERVATION="1")
        self.proc = subprocess.Popen([exe, "-n", self.NAME, "--no-realtime", "-d", "dummy", "-r", "48000",
                                      "-p", str(self.period)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, env=env)
        os.environ["JACK_DEFAULT_SERVER"] = self.NAME
        os.environ["JACK_NO_AUDIO_RESERVATION"] = "1"
        lsp = shutil.which("jack_lsp")
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise LookupError(f"jackd exited with {self.proc.returncode}")
            if lsp and subprocess.run([lsp, "-s", self.NAME], capture_output=True).returncode == 0:
                return self
            time.sleep(0.1)
        raise LookupError("jackd did not come up within 10 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.environ.pop("JACK_DEFAULT_SERVER", None)
        return False


RT_OPTIONS = ("-odac", "-+rtaudio=jack", "-+jack_client=csbench", "-b256", "-B1024", "-d", "-m0")
LOAD_SCORE = "".join(f"i1 0 100000 {17 * k}\n" for k in range(VOICES))


def item5_6(cfg, mods) -> list[Row]:
    """5: scoreEvent → first k-cycle latency; 6: flushMessageQueue round trip. Free-running and on JACK dummy."""
    m = cfg.n_latency
    rows = {}
    for mode in ("free", "jack"):
        label = "free-running (-n)" if mode == "free" else "real time, JACK dummy 48 kHz / 256"
        rows[("5", mode)] = Row("5", f"scoreEvent → instrument's first k-cycle, {label}: median k-cycles")
        rows[("5p", mode)] = Row("5", "same, p99 k-cycles")
        rows[("lost", mode)] = Row("5", "same, events that never started")
        rows[("6", mode)] = Row("6", f"scoreEvent + flushMessageQueue round trip, {label}: k-cycles during the flush")
        rows[("6us", mode)] = Row("6", "same, wall time of the flush")

    def measure(name, mod, options, pace):
        cs = new_instance(mod, LOAD_SCORE, options=options)
        ks = cs.ksmps()
        tab = cs.table(2)
        tab[:m] = -1.0
        pt = make_pt(name, mod, cs)
        pt.play()
        time.sleep(0.1)
        cur = cs.currentTimeSamples
        ev = pt.scoreEvent
        subs = np.empty(m)
        pf = [2.0, 0.0, 0.001, 0.0]
        for i in range(m):
            pf[3] = float(i)
            s = cur()
            ev(0, "i", pf)
            subs[i] = s
            time.sleep(pace)
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
            t0 = time.perf_counter_ns()
            pt.flushMessageQueue()
            fl_us.append((time.perf_counter_ns() - t0) / 1e3)
            fl_cyc.append((cur() - c0) / ks)
            time.sleep(pace)
        stop_pt(pt)
        del pt, tab
        destroy(cs)
        started = tab_copy >= 0
        return lat[started], fl_cyc, fl_us, missing

    def record(mode, name, res):
        lat, fl_cyc, fl_us, missing = res
        rows[("lost", mode)].figures[name] = Figure([float(missing)], f"of {m}")
        if not lat.size:
            raise RuntimeError(f"{name}: none of the {m} events started")
        rows[("5", mode)].figures[name] = Figure([float(np.median(lat))], "k-cycles")
        rows[("5p", mode)].figures[name] = Figure([float(np.percentile(lat, 99))], "k-cycles")
        rows[("6", mode)].figures[name] = Figure([float(np.median(fl_cyc)), float(np.min(fl_cyc)), float(np.max(fl_cyc))], "k-cycles")
        rows[("6us", mode)].figures[name] = Figure(fl_us, "µs")

    all_rows = list(rows.values())
    for name, mod in pt_mods(mods, all_rows):
        with quiet(cfg.quiet):
            record("free", name, measure(name, mod, ("-n", "-d", "-m0"), 0.0005))
    if cfg.jack:
        try:
            with Jack():
                for name, mod in pt_mods(mods, []):
                    with quiet(cfg.quiet):
                        record("jack", name, measure(name, mod, RT_OPTIONS, 0.002))
        except LookupError as e:
            for k, r in rows.items():
                if k[1] == "jack":
                    for name in ("csoundpp", "ctcsound", "libcsound"):
                        r.figures.setdefault(name, f"JACK unavailable: {e}")
    for mode in ("free", "jack"):
        r5, r5p, r6 = rows[("5", mode)], rows[("5p", mode)], rows[("6", mode)]
        r5.target, r5p.target, r6.target = "≤ 1 k-cycle", "≤ 2 k-cycles", "≤ 2 k-cycles"
        rl = rows[("lost", mode)]
        rl.target = "0"
        v = med(rl.figures.get("csoundpp"))
        if v is not None:
            rl.met = v == 0
        for r, lim in ((r5, 1), (r5p, 2), (r6, 2)):
            v = med(r.figures.get("csoundpp"))
            if v is not None:
                r.met = v <= lim
                r.ratio_text = f"csoundpp {fmt(v)}"
    note = ("latency = (k-cycle in which the instrument ran its init) − (k-cycles completed when scoreEvent was "
            "called); 0 = the very next k-cycle. 6: cells are median (min–max) over the calls")
    rows[("5", "free")].note = note
    if not cfg.jack:
        return [r for k, r in rows.items() if k[1] == "free"]
    return all_rows


def item8(cfg, mods) -> list[Row]:
    """8: xruns in real-time JACK playback while 2 Python threads hog the GIL and a Python callback
    consumes every outvalue and message."""
    secs = cfg.xrun_seconds
    row = Row("8", f"xruns in {secs:g} s of JACK dummy playback, 2 GIL-hogging threads, Python callbacks")
    info = Row("8", "outvalues / messages delivered to Python during that run")
    exe = peers.XRUNS
    if not exe.exists():
        row.figures["csoundpp"] = info.figures["csoundpp"] = f"xrun counter not built; {peers.SETUP_HINT}"
        return [row, info]

    def run_one(name, mod):
        counts = {"out": 0, "msg": 0, "xrun_msg": 0}
        cs = mod.Csound()
        for o in RT_OPTIONS:
            cs.setOption(o)
        stop = threading.Event()
        consumers = []
        if name == "csoundpp":
            def on_out(chan, value):
                counts["out"] += 1

            def on_msg(attr, text):
                counts["msg"] += 1
                if "xrun" in text:
                    counts["xrun_msg"] += 1
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
                while not stop.is_set():
                    while cs.messageCnt() > 0:
                        text = cs.firstMessage()
                        counts["msg"] += 1
                        if "xrun" in text:
                            counts["xrun_msg"] += 1
                        cs.popFirstMessage()
                    time.sleep(0.01)
            consumers.append(threading.Thread(target=drain, daemon=True))
        if cs.compileOrc(ORC) != 0 or cs.start() != 0:
            raise RuntimeError(f"{name}: real-time start failed (is JACK running?)")
        cs.readScore("i3 0 100000\n")
        mon = subprocess.Popen([str(exe), str(secs + 0.5), Jack.NAME], stdout=subprocess.PIPE, text=True)
        if mon.stdout.readline().strip() != "ready":
            raise RuntimeError("xrun counter did not start")

        def hog():
            x = 0
            while not stop.is_set():
                x += 1
        hogs = [threading.Thread(target=hog, daemon=True) for _ in range(2)]
        pt = make_pt(name, mod, cs)
        for t in hogs + consumers:
            t.start()
        pt.play()
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
        return xr, counts

    try:
        with Jack():
            for name, mod in pt_mods(mods, [row, info]):
                with quiet(cfg.quiet):
                    xr, counts = run_one(name, mod)
                row.figures[name] = Figure([float(xr)], "xruns")
                info.figures[name] = f"{counts['out']:,} outvalues, {counts['msg']:,} messages ({counts['xrun_msg']} xrun msgs)"
            cli, why = peers.csound_cli()
            if cli:  # the baseline: the same orchestra from the csound program, no Python at all
                with tempfile.TemporaryDirectory() as tmp:
                    csd = Path(tmp) / "rt.csd"
                    csd.write_text(f"<CsoundSynthesizer>\n<CsInstruments>\n{ORC}\n</CsInstruments>\n"
                                   f"<CsScore>\ni3 0 {secs}\ne\n</CsScore>\n</CsoundSynthesizer>\n")
                    mon = subprocess.Popen([str(exe), str(secs + 3), Jack.NAME], stdout=subprocess.PIPE, text=True)
                    if mon.stdout.readline().strip() != "ready":
                        raise RuntimeError("xrun counter did not start")
                    stop = threading.Event()

                    def hog():
                        x = 0
                        while not stop.is_set():
                            x += 1
                    hogs = [threading.Thread(target=hog, daemon=True) for _ in range(2)]
                    for t in hogs:
                        t.start()
                    subprocess.run([cli, *RT_OPTIONS, str(csd)], capture_output=True, timeout=secs + 60)
                    stop.set()
                    for t in hogs:
                        t.join()
                    mon.send_signal(signal.SIGTERM)
                    line = mon.stdout.read().strip()
                    mon.wait(10)
                row.figures["C++ floor / CLI"] = Figure([float(line.split()[-1]) if line.startswith("xruns") else -1.0],
                                                        "xruns")
                info.figures["C++ floor / CLI"] = ("csound CLI (no Python in it) while the same 2 hog threads spin in "
                                                   "this process: CPU contention without the GIL")
            else:
                row.figures["C++ floor / CLI"] = why
    except LookupError as e:
        for name in ("csoundpp", "ctcsound", "libcsound"):
            row.figures.setdefault(name, f"JACK unavailable: {e}")
    row.target = "0 (ctcsound: report)"
    v = med(row.figures.get("csoundpp"))
    if v is not None:
        row.met = v == 0
        row.ratio_text = f"csoundpp {v:.0f}, ctcsound {fmt(med(row.figures.get('ctcsound')) or float('nan'))}"
    row.note = "counted by a separate JACK client (jack_set_xrun_callback)"
    return [row, info]


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
    jack: bool = True
    quiet: bool = True


QUICK = dict(reps=2, n_calls=2_000, n_cycles=500, n_cycles_mt=500, render_seconds=1.0, render_reps=2,
             n_events=5_000, n_create=3, n_pt_events=200, n_latency=30, xrun_seconds=2.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smoke mode: tiny counts, 2 repetitions (numbers meaningless)")
    ap.add_argument("--only", default="", help="comma-separated items, e.g. 1,2,3 (1 includes 1b, 2 includes 2b)")
    ap.add_argument("--reps", type=int, help="repetitions per figure (default 7)")
    ap.add_argument("--json", type=Path, help="write raw samples and the machine description here")
    ap.add_argument("--markdown", type=Path, action="append", default=[],
                    help="write the table with machine and command into this file, between its "
                         "<!-- bench:begin/end --> markers when present (repeatable: README.md and docs/benchmarks.md)")
    ap.add_argument("--no-jack", action="store_true", help="skip the real-time JACK variants of items 5/6 (item 8 needs JACK)")
    ap.add_argument("--verbose", action="store_true", help="let Csound print its messages")
    args = ap.parse_args(argv)

    cfg = Config(**QUICK) if args.quick else Config()
    if args.reps:
        cfg.reps = args.reps
    cfg.quiet = not args.verbose
    cfg.jack = not args.no_jack
    wanted = [s.strip() for s in args.only.split(",") if s.strip()] or list(ITEMS)
    for w in wanted:
        if w.rstrip("b") not in ITEMS and w != "6":
            ap.error(f"unknown item {w!r}; known: {', '.join(ITEMS)}")

    mods = python_peers()
    info = machine()
    print("machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()), flush=True)
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
    missed = [r for r in rows if r.met is False]
    cmd = "benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    for markdown in args.markdown:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        md = [f"Command: `{cmd.strip()}`  ", f"Date: {time.strftime('%Y-%m-%d %H:%M')}  ",
              "Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items()), "",
              "Cells: median (min–max) over the repetitions; ratios from the medians of this run.", "", text, ""]
        body = "\n".join(md)
        begin, end = "<!-- bench:begin -->", "<!-- bench:end -->"
        prev = markdown.read_text() if markdown.exists() else ""
        if begin in prev and end in prev:  # keep the hand-written notes around the generated part
            body = prev[: prev.index(begin) + len(begin)] + "\n" + body + "\n" + prev[prev.index(end):]
        markdown.write_text(body)
    if args.json:
        args.json.write_text(json.dumps({
            "machine": info, "config": cfg.__dict__,
            "rows": [{"item": r.item, "what": r.what, "ratio": r.ratio, "met": r.met, "target": r.target,
                      "figures": {k: (v.__dict__ if isinstance(v, Figure) else v) for k, v in r.figures.items()}}
                     for r in rows]}, indent=1))
    failed = [r for r in rows if r.what.startswith("item failed")]
    print(f"\n{len(rows)} rows, {sum(r.met is True for r in rows)} targets met, {len(missed)} missed"
          + (f", {len(failed)} items FAILED" if failed else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
