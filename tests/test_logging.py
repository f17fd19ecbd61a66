"""Csound's messages through Python logging, and silencing instances completely."""
from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import threading

import pytest

import csoundpp
from conftest import CSOUND7

# Csound 7 tags the output of `prints` CSOUNDMSG_DEFAULT (Csound 6: CSOUNDMSG_ORCH), and its
# banner and statistics CSOUNDMSG_ERROR; csoundpp maps the attribute Csound gives, not the text.
PRINTS_ATTR = csoundpp.CSOUNDMSG_DEFAULT if CSOUND7 else csoundpp.CSOUNDMSG_ORCH
# The statistics line at the end of a performance (Csound 7 has no "end of score").
END_TEXT = "end of Performance" if CSOUND7 else "end of score"
# What Csound prints at destroy() after a compile without a performance.
DESTROY_TEXT = "overall amps" if CSOUND7 else "end of score"

ORC = """
sr = 48000
ksmps = 32
nchnls = 1
0dbfs = 1
instr 1
  prints "hello from instr 1\\n"
  out oscili(0.1, 440)
endin
"""


def perform(cs, score):
    cs.setOption("-n")
    cs.setOption("-d")
    assert cs.compileOrc(ORC) == 0
    assert cs.readScore(score) == 0
    assert cs.start() == 0
    cs.perform()
    cs.cleanup()


def test_messages_become_log_records_on_the_dispatcher_thread(caplog):
    caplog.set_level(logging.DEBUG, logger="csoundpp.csound")
    threads = set()

    class Spy(logging.Handler):
        def emit(self, record):
            threads.add(threading.current_thread().name)

    spy = Spy()
    logging.getLogger("csoundpp.csound").addHandler(spy)
    try:
        with csoundpp.Csound() as cs:
            handler = csoundpp.log_messages(cs)
            assert isinstance(handler, csoundpp.MessageLogger)
            perform(cs, "i 1 0 0.01\ni 99 0 0.01\n")
            cs.message("partial ")
            cs.message("line\n")
            cs.messageS(csoundpp.CSOUNDMSG_WARNING, "careful\n")
            cs.messageS(csoundpp.CSOUNDMSG_ERROR, "broken\n")
            assert cs.flushMessages(5.0)
    finally:
        logging.getLogger("csoundpp.csound").removeHandler(spy)
    recs = [r for r in caplog.records if r.name == "csoundpp.csound"]
    by_text = {r.getMessage(): r for r in recs}
    assert by_text["hello from instr 1"].levelno == csoundpp.level_of(PRINTS_ATTR)  # orchestra output
    assert by_text["partial line"].levelno == logging.DEBUG       # fragments joined into one line
    assert by_text["careful"].levelno == logging.WARNING
    assert by_text["broken"].levelno == logging.ERROR
    assert by_text["broken"].csound_attr & 0x7000 == csoundpp.CSOUNDMSG_ERROR
    assert any("instr 99" in m and r.levelno >= logging.WARNING for m, r in by_text.items()), sorted(by_text)
    assert any("Csound version" in m for m in by_text)  # the start banner is there, at DEBUG
    assert all("\n" not in r.getMessage() for r in recs)
    assert threads and threading.main_thread().name not in threads


def test_logger_name_and_levels_can_be_chosen(caplog):
    caplog.set_level(logging.DEBUG)
    with csoundpp.Csound() as cs:
        csoundpp.log_messages(cs, "my.app", levels={PRINTS_ATTR: logging.WARNING})
        perform(cs, "i 1 0 0.01\n")
        cs.flushMessages(5.0)
    hello = [r for r in caplog.records if r.getMessage() == "hello from instr 1"]
    assert hello and hello[0].name == "my.app" and hello[0].levelno == logging.WARNING
    with pytest.raises(TypeError):
        csoundpp.log_messages("not an instance")
    assert csoundpp.level_of(csoundpp.CSOUNDMSG_ERROR | csoundpp.CSOUNDMSG_FG_RED) == logging.ERROR


def run_script(body: str) -> subprocess.CompletedProcess:
    code = "import csoundpp\nORC = " + repr(ORC) + "\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


PERFORM = """
cs.setOption("-n")
assert cs.compileOrc(ORC) == 0
assert cs.readScore("i 1 0 0.01\\n") == 0
assert cs.start() == 0
cs.perform()
"""


def test_an_instance_prints_banner_and_statistics_by_default():
    r = run_script("cs = csoundpp.Csound()\ncs.setOption('-m0')\n" + PERFORM + "del cs\n")
    assert r.returncode == 0, r.stderr
    assert "Csound version" in r.stderr and END_TEXT in r.stderr  # what the next tests silence


def test_silence_makes_an_instance_print_nothing():
    r = run_script("cs = csoundpp.silence(csoundpp.Csound())\n" + PERFORM + "del cs\nprint('done')\n")
    assert r.returncode == 0 and r.stdout == "done\n"
    assert r.stderr == "", r.stderr


def test_quiet_and_default_message_callback_silence_everything():
    r = run_script("with csoundpp.quiet():\n    cs = csoundpp.Csound()\n" +
                   textwrap.indent(PERFORM, "    ") + "    del cs\n")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    r = run_script("seen = []\n"
                   "csoundpp.setDefaultMessageCallback(lambda attr, text: seen.append(text))\n"
                   "cs = csoundpp.Csound()\n" + PERFORM + "del cs\n"
                   "assert any('Csound version' in t for t in seen), seen\n"
                   f"assert any({END_TEXT!r} in t for t in seen), seen\n")
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_log_messages_keeps_the_statistics_printed_at_destroy(caplog):
    caplog.set_level(logging.DEBUG, logger="csoundpp.csound")
    cs = csoundpp.Csound()
    csoundpp.log_messages(cs)
    cs.setOption("-n")
    assert cs.compileOrc(ORC) == 0
    cs.destroy()
    assert any(DESTROY_TEXT in r.getMessage() for r in caplog.records)
