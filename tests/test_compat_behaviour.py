"""Behaviour programs written for the peers rely on, checked on csoundpp and, where the peer is
installed, compared with the peer running the same orchestra in the same process."""
from __future__ import annotations

import ctypes
import importlib
import threading
import time
import warnings

import numpy as np
import pytest

import csoundpp

ORC = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
giTab ftgen 1, 0, 8, -2, 1, 2, 3, 4, 5, 6, 7, 8
instr 1
  chnset p4, "k1"
  outvalue "seen", p4
  a1 oscili 0.1, 440
  outs a1, a1
endin
instr 2
  kcount init 0
  kcount += 1
  outvalue "tick", kcount
endin
"""


def peer(name):
    try:
        with warnings.catch_warnings():  # Debian's ctcsound.py has invalid escapes (SyntaxWarning)
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except Exception as e:  # noqa: BLE001
        pytest.skip(f"peer {name} not importable: {e}")


def csoundpp_like_view(cs, name):
    return np.array([cs.controlChannel(name)[0]]), None


def make(mod, options="-n -d -m0"):
    cs = mod.Csound()
    cs.setOption(options)
    assert cs.compileOrc(ORC) == 0
    return cs


def close(mod, cs):
    if mod is csoundpp:
        cs.destroy()
    else:
        cs.cleanup()
        cs.reset()


@pytest.mark.parametrize("modname", ["csoundpp", "libcsound", "ctcsound7"])
def test_perform_before_start_starts_implicitly(modname):
    mod = csoundpp if modname == "csoundpp" else peer(modname)
    cs = make(mod)
    try:
        assert cs.readScore("i1 0 0.01 0.5\n") == 0
        r = cs.performKsmps()
        assert r in (0, False)
        assert cs.controlChannel("k1")[0] == 0.5
        assert cs.kr() == 1500.0
    finally:
        close(mod, cs)


def test_perform_and_perform_buffer_before_start():
    cs = make(csoundpp)
    try:
        cs.readScore("i1 0 0.01 0.25\n")
        assert cs.performBuffer() == 0
        assert cs.controlChannel("k1")[0] == 0.25
    finally:
        cs.destroy()
    cs = make(csoundpp)
    try:
        cs.readScore("i1 0 0.01 0.25\n")
        assert cs.perform() > 0  # end of score
    finally:
        cs.destroy()


def test_output_channel_callback_set_while_the_thread_runs():
    cs = make(csoundpp, "-n -d -m0")
    cs.readScore("f0 z\n")
    pt = cs.performanceThread()
    pt.play()
    seen = []
    got = threading.Event()

    def cb(csp, name, valptr, chantype):  # csoundengine's form: the raw ctypes-style callback
        v = ctypes.cast(valptr, ctypes.POINTER(csoundpp.MYFLT)).contents.value
        seen.append((name, v))
        got.set()

    cs.setOutputChannelCallback(cb)  # libcsound allows this while playing; csoundengine does it
    pt.scoreEvent(False, "i", [1, 0, 0.01, 0.75])
    assert got.wait(10)
    assert (b"seen", 0.75) in seen
    # replaced while running: the new one gets the next values
    values = []
    cs.setOutputChannelCallback(lambda name, value: values.append((name, value)))
    pt.scoreEvent(False, "i", [1, 0, 0.01, 0.5])
    deadline = time.monotonic() + 10
    while ("seen", 0.5) not in values and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ("seen", 0.5) in values
    pt.stop()
    pt.join()
    cs.destroy()


def test_engine_stop_sequence_while_the_thread_winds_down():
    """csoundengine's Engine.stop(): pt.stop(); cs.stop(); cs.cleanup() (no join in between)."""
    for _ in range(3):
        cs = make(csoundpp)
        cs.readScore("f0 z\n")
        pt = cs.performanceThread()
        pt.play()
        time.sleep(0.05)
        pt.stop()
        cs.stop()
        assert cs.cleanup() == 0
        assert not pt.isRunning()
        pt.join()
        cs.destroy()


def test_process_queue_attribute_and_ctcsound7_tasks():
    cs = make(csoundpp)
    cs.readScore("f0 z\n")
    pt = cs.performanceThread()
    assert pt._processQueue is None  # libcsound: None until setProcessQueue()
    pt.stop()
    pt.join()
    pt = cs.performanceThread(withProcessQueue=True)  # ctcsound7
    assert pt._processQueue  # truthy, as libcsound's queue object
    pt.play()
    out = []
    pt.task(lambda c, t: out.append((c.kr(), t is pt)))
    pt.task(lambda c, t, d: out.append(d), "data")
    pt.compile("instr 10\nchnset 3, \"k10\"\nendin\n")
    pt.sync(10)
    assert out == [(1500.0, True), "data"]
    pt.scoreEvent(False, "i", [10, 0, 0.01])
    pt.flushMessageQueue()
    deadline = time.monotonic() + 10
    while cs.controlChannel("k10")[0] != 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cs.controlChannel("k10")[0] == 3
    pt.stop()
    pt.join()
    cs.destroy()


def test_ctcsound_cs_attribute_and_libcsound_helpers():
    cs = make(csoundpp)
    try:
        assert isinstance(cs.cs, ctypes.c_void_p) and cs.cs.value == cs.csound()
        cs.start()
        assert cs.channelExists("k1") is False
        cs.scoreEvent("i", [1, 0, 0.01, 0.5])
        cs.performKsmps()
        assert cs.channelExists("k1") is True
        ops = cs.getOpcodes()
        assert all(isinstance(o, csoundpp.OpcodeDef) for o in ops)
        assert {"oscili", "chnset", "outvalue"} <= {o.name for o in ops}
    finally:
        cs.destroy()


def test_get_opcodes_matches_libcsound():
    lc = peer("libcsound")
    a, b = make(csoundpp), make(lc)
    try:
        ours = sorted((o.name, o.outtypes, o.intypes, o.flags) for o in a.getOpcodes())
        theirs = sorted((o.name, o.outtypes, o.intypes, o.flags) for o in b.getOpcodes())
        assert ours == theirs
    finally:
        close(csoundpp, a)
        close(lc, b)


def test_module_values_and_initialize_forms():
    lc = peer("libcsound")
    assert csoundpp.VERSION == lc.VERSION and csoundpp.APIVERSION == lc.APIVERSION
    assert csoundpp.csoundInitialize(signalHandler=False, atExitHandler=False) >= 0
    assert csoundpp.csoundInitialize(False, False) >= 0
    assert csoundpp.csoundInitialize(3) >= 0  # ctcsound: flags
    with pytest.raises(ValueError):
        csoundpp.csoundInitialize(-1)


KEYWORD_PROGRAM = r"""
import importlib, json, sys, warnings
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    mod = importlib.import_module(sys.argv[1])
calls = json.loads(sys.argv[3])
cs = mod.Csound()
for o in ("-n", "-d", "-m0"):  # one per call: Csound 6 itself mangles "-n -d -m0" (ctcsound passes it on)
    cs.setOption(o)
assert cs.compileOrc(sys.argv[2]) == 0
cs.start()
ev = cs.scoreEvent(**calls["scoreEvent"])
r = {"event": int(ev)}
arr = None
if calls.get("channelPtr"):
    arr, err = cs.channelPtr(**calls["channelPtr"])
    r["ptr"] = [type(arr).__name__, list(arr.shape)]
r["tab"] = [float(x) for x in cs.table(**calls["table"])]
cs.performKsmps()
k1 = cs.controlChannel("k1")
n = cs.tableLength(1)
r["types"] = [type(ev).__name__, type(k1).__name__, [type(x).__name__ for x in k1], type(n).__name__]
r["k1"] = [float(k1[0]), int(getattr(k1[1], "value", k1[1]))]
r["len"] = int(n)
r["ptrvalue"] = None if arr is None else float(arr[0])
print("RESULT" + json.dumps(r))
"""


def keyword_calls(peer_name):
    """The calls of KEYWORD_PROGRAM with every argument given by the peer's own keyword."""
    from csoundpp._peer_signatures import SIGNATURES

    def names(method):
        return [p[0] for p in SIGNATURES["Csound"][method][peer_name]]

    ev = names("scoreEvent")
    ptr = names("channelPtr")
    calls = {"scoreEvent": {ev[0]: "i", ev[1]: [1, 0, 0.01, 0.5]}, "table": {names("table")[0]: 1}}
    if peer_name == "ctcsound":
        calls["channelPtr"] = {ptr[0]: "k1", ptr[1]: 1 | 16 | 32}
    elif peer_name == "libcsound":
        calls["channelPtr"] = {ptr[0]: "k1", ptr[1]: "control", ptr[2]: "rw"}
    else:
        calls["channelPtr"] = {ptr[0]: "k1", ptr[1]: "control", ptr[2]: True, ptr[3]: True}
    return calls


def run_keyword_program(modname, calls):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(csoundpp.__file__).parent.parent) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-c", KEYWORD_PROGRAM, modname, ORC, json.dumps(calls)],
                       capture_output=True, text=True, timeout=120, env=env)
    line = [x for x in r.stdout.splitlines() if x.startswith("RESULT")]
    assert r.returncode == 0 and line, r.stderr[-3000:]
    return json.loads(line[-1][len("RESULT"):])


@pytest.mark.parametrize("modname", ["libcsound", "ctcsound7", "ctcsound"])
def test_keyword_forms_return_what_the_peer_returns(modname):
    """The same calls, every argument by the peer's own keyword, on the same orchestra, each in
    a process of its own: csoundpp's results have the peer's types and values."""
    peer(modname)
    calls = keyword_calls(modname)
    ours = run_keyword_program("csoundpp", calls)
    if modname == "ctcsound7":
        calls.pop("channelPtr")  # ctcsound7's own channelPtr fails on Csound 6 (ctypes ArgumentError)
    theirs = run_keyword_program(modname, calls)
    assert theirs["k1"] == [0.5, 0] and ours["k1"] == [0.5, 0]
    assert ours["event"] == theirs["event"] == 0
    assert ours["tab"] == theirs["tab"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert ours["len"] == theirs["len"] == 8
    if modname == "ctcsound":
        # Debian's ctcsound returns controlChannel's error code as a ctypes.c_int; csoundpp, like
        # libcsound and ctcsound7, returns an int (a documented difference, see README)
        assert theirs["types"][2] == ["float", "c_int"]
        theirs["types"][2] = ["float", "int"]
    assert ours["types"] == theirs["types"], "return types differ"
    assert ours["ptr"] == ["ndarray", [1]] and ours["ptrvalue"] == 0.5
    if "ptr" in theirs:
        assert theirs["ptr"] == ours["ptr"] and theirs["ptrvalue"] == 0.5


def test_keyword_forms_on_csoundpp(tmp_path):
    cs = make(csoundpp)
    try:
        # libcsound: setOutput(name, filetype, format); ctcsound: (name, type_, format)
        cs.setOutput(str(tmp_path / "a.wav"), filetype="wav", format="short")
        cs.setOutput(str(tmp_path / "b.wav"), type_="wav", format="short")
        assert cs.outputName() == str(tmp_path / "b.wav")
        cs.setOption("-n")
        cs.start()
        for kw in ({"output": True, "input": True}, {"output": False, "input": True}, {}):  # ctcsound7
            arr, err = cs.channelPtr("k7", "control", **kw)
            assert arr.shape == (1,) and err in (None, "")
        assert cs.channelPtr("k7", "control", True, True)[0].shape == (1,)  # ctcsound7, positional
        pt = cs.performanceThread()
        pt.scoreEvent(abstime=False, kind="i", pfields=[1, 0, 0.01, 0.125])  # libcsound
        pt.scoreEvent(absp2mode=False, kind="i", pfields=[1, 0, 0.01, 0.125])  # ctcsound7
        pt.scoreEvent(False, opcod="i", pFields=[1, 0, 0.01, 0.125])  # ctcsound
        pt.flushMessageQueue()
        pt.stop()
        pt.join()
        cb = cs.createCircularBuffer(16, 8)
        assert cs.writeCircularBuffer(buffer=cb, data=np.ones(4), numitems=4) == 4
        out = np.zeros(4)
        assert cs.peekCircularBuffer(circularBuffer=cb, out=out, numitems=4) == 4
        assert cs.readCircularBuffer(buffer=cb, out=out, numitems=4) == 4 and list(out) == [1, 1, 1, 1]
        cs.destroyCircularBuffer(buffer=cb)
        with pytest.raises(TypeError, match="unexpected keyword"):
            cs.scoreEvent(kind="i", nonsense=[1])
        with pytest.raises(TypeError):
            cs.scoreEvent("i", pfields="not numbers")
        with pytest.raises(TypeError, match="multiple values"):
            cs.scoreEvent("i", kind="i", pfields=[1])
    finally:
        cs.destroy()
