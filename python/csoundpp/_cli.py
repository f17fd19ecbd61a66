"""The ``csoundpp`` command (also ``python -m csoundpp``): render, play, check, info.

Argument parsing is the standard library's argparse (sub-commands, ``--help`` for each,
no dependency); the progress bar is tqdm on a terminal and plain lines otherwise.
Every failure prints one line ``csoundpp: error: ...`` to stderr and exits non-zero
(2 for bad usage, 1 for a .csd that does not compile or run, 130 after Ctrl-C).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, TextIO

EXAMPLE = Path(__file__).with_name("examples") / "chord.csd"
COMMANDS = ("render", "play", "check", "info")


class CliError(Exception):
    """One line for the user; exit status `code`."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# ----------------------------------------------------------------------------- progress
class Progress:
    """Seconds of audio done, shown as a tqdm bar on a terminal and as plain lines
    (at most one a second, and a last one) when the stream is not a terminal."""

    def __init__(self, label: str, total: Optional[float], stream: TextIO = sys.stderr,
                 enabled: bool = True, force_bar: Optional[bool] = None):
        self.label, self.total, self.stream, self.enabled = label, total, stream, enabled
        tty = stream.isatty() if force_bar is None else force_bar
        self.bar = None
        self.done = 0.0
        self.last_line = 0.0
        self.start = time.monotonic()
        if enabled and tty:
            from tqdm import tqdm

            import shutil

            # a terminal that reports no size (0x0, e.g. a fresh pty) gets 80x24: tqdm
            # would otherwise draw nothing
            size = shutil.get_terminal_size((80, 24))
            self.bar = tqdm(total=total, desc=label, unit="s", unit_scale=False, file=stream,
                            ncols=size.columns or 80, nrows=size.lines or 24, leave=True,
                            bar_format=("{desc}: {percentage:3.0f}%|{bar}| {n:.1f}/{total:.1f} s audio "
                                        "[{elapsed}<{remaining}, {rate_fmt}]") if total else
                            "{desc}: {n:.1f} s audio [{elapsed}, {rate_fmt}]")

    def update(self, seconds: float, total: Optional[float] = None) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(seconds - self.done)
            self.done = seconds
            return
        self.done = seconds
        now = time.monotonic()
        if now - self.last_line >= 1.0:
            self.last_line = now
            self._line()

    def _line(self) -> None:
        pct = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        print(f"{self.label}: {self.done:.1f} s of audio{pct}, {time.monotonic() - self.start:.1f} s elapsed",
              file=self.stream, flush=True)

    def close(self) -> None:
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.close()
        else:
            self._line()


# ----------------------------------------------------------------------------- helpers
def _params(items: Sequence[str]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise CliError(f"--param expects NAME=VALUE, not {item!r}", 2)
        try:
            out[name] = float(value)
        except ValueError:
            out[name] = value
    return out


def _csd_path(p: Path) -> Path:
    if not p.is_file():
        raise CliError(f"no such file: {p}", 2)
    return p


def _dbfs(x: float) -> str:
    return f"{20 * math.log10(x):.2f} dBFS" if x > 0 else "-inf dBFS"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("-r", "--sr", type=int, metavar="HZ", help="sample rate (overrides the orchestra's sr)")
    p.add_argument("-k", "--ksmps", type=int, metavar="N", help="samples per k-cycle (overrides ksmps)")
    p.add_argument("--duration", type=float, metavar="SECONDS",
                   help="stop after this many seconds (needed for a score that never ends)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="set a channel before the first k-cycle (numbers: control, else string); repeatable")
    p.add_argument("--option", action="append", default=[], metavar="OPT",
                   help="an extra Csound option, e.g. --option=--omacro:N=3; repeatable")
    p.add_argument("-v", "--verbose", action="store_true", help="show Csound's messages")
    p.add_argument("--no-progress", action="store_true", help="no progress display")


# ----------------------------------------------------------------------------- commands
def cmd_render(a: argparse.Namespace) -> int:
    from ._render import Job, render, sound_file_format

    csd = _csd_path(a.csd)
    out = a.output or Path.cwd() / (csd.stem + "." + (a.format or "wav").lower())
    try:
        fmt, sub = sound_file_format(out, a.format, a.subtype)
        job = Job(csd=str(csd), output=str(out), format=fmt, subtype=sub, sr=a.sr, ksmps=a.ksmps,
                  duration=a.duration, params=_params(a.param), options=tuple(a.option), keep_audio=False)
    except (ValueError, TypeError) as e:
        raise CliError(str(e), 2) from None
    prog = Progress(f"render {csd.name}", a.duration, enabled=not a.no_progress)
    def on_block(seconds: float, total: Optional[float]) -> None:
        prog.update(seconds, total)

    try:
        res = render(job, progress=on_block, quiet=not a.verbose, return_on_interrupt=True)
    finally:
        prog.close()
    print(f"rendered  {csd}")
    print(f"output    {res.output} ({fmt}, {sub})")
    print(f"duration  {res.duration:.3f} s ({res.frames} frames at {res.sr} Hz)")
    print(f"channels  {res.channels}")
    print(f"peak      {res.peak:.4f} of 0dBFS ({_dbfs(res.peak)})")
    if res.interrupted:
        print("csoundpp: interrupted: the file holds what was rendered until Ctrl-C", file=sys.stderr)
        return 130
    return 0


def cmd_play(a: argparse.Namespace) -> int:
    from . import Csound, StateError, TimeoutError as CsTimeout
    from ._render import Job, _compile, _set_params

    csd = _csd_path(a.csd)
    try:
        job = Job(csd=str(csd), sr=a.sr, ksmps=a.ksmps, duration=a.duration, params=_params(a.param),
                  options=tuple(a.option))
    except (ValueError, TypeError) as e:
        raise CliError(str(e), 2) from None
    captured: List[str] = []
    with Csound() as cs:
        if not a.verbose:
            cs.setMessageStringCallback(0, lambda attr, text: captured.append(text))
        _compile(cs, job)
        # _compile leaves Csound host-driven (-n); play asks for the device again.
        cs.setOption(f"-o{a.device}")
        if a.rtaudio:
            cs.setOption(f"-+rtaudio={a.rtaudio}")
        if a.buffer:
            cs.setOption(f"-b{a.buffer}")
            cs.setOption(f"-B{4 * a.buffer}")
        if cs.start() != 0:
            raise CliError(f"{csd} could not start: {_last_line(cs.lastErrors() or ''.join(captured))}")
        _set_params(cs, job.params)
        sr, ksmps = cs.sr(), cs.ksmps()
        prog = Progress(f"play {csd.name}", a.duration, enabled=not a.no_progress)
        interrupted = False
        pt = cs.performanceThread()
        try:
            pt.play()
            deadline = None if a.duration is None else a.duration
            while True:
                try:
                    pt.join(timeout=0.1)
                    break
                except CsTimeout:
                    pass
                seconds = pt.cycles * ksmps / sr
                prog.update(seconds, a.duration)
                if deadline is not None and seconds >= deadline:
                    pt.stop()
        except KeyboardInterrupt:
            interrupted = True
        finally:
            pt.stop()
            try:
                pt.join(timeout=10)
            except (CsTimeout, StateError):
                pass
            prog.update(pt.cycles * ksmps / sr, a.duration)
            prog.close()
        played = pt.cycles * ksmps / sr
        cs.flushMessages(1.0)
    print(f"played    {csd}")
    print(f"duration  {played:.3f} s at {sr:g} Hz through {a.rtaudio or 'the default audio module'}")
    return 130 if interrupted else 0


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    return lines[-1] if lines else "no message from Csound"


def cmd_check(a: argparse.Namespace) -> int:
    from . import Csound

    failed = 0
    for path in a.csd:
        csd = _csd_path(path)
        captured: List[str] = []
        with Csound() as cs:
            cs.setMessageStringCallback(0, lambda attr, text: captured.append(text))
            for opt in a.option:
                cs.setOption(opt)
            status = cs.compileCsd(str(csd))
            if status == 0:
                cs.setOption("-n")
                cs.setOption("-+rtmidi=null")
                status = cs.start()
            cs.flushMessages(1.0)
            diag = cs.lastErrors() if status != 0 else ""
        if status == 0:
            print(f"ok        {csd}")
            continue
        failed += 1
        text = diag or "".join(captured)
        print(f"FAILED    {csd} (Csound status {status})")
        for line in text.splitlines():
            if line.strip():
                print(f"  {line.rstrip()}")
    if failed:
        print(f"csoundpp: error: {failed} of {len(a.csd)} file(s) did not compile", file=sys.stderr)
    return 1 if failed else 0


def _gather_info(devices: bool) -> Dict[str, Any]:
    from . import Csound, __version__, csound_version

    info: Dict[str, Any] = {"csoundpp": __version__}
    with Csound() as cs:
        cs.setMessageStringCallback(0, lambda attr, text: None)
        major, minor, patch = csound_version()
        info["csound"] = f"{major}.{minor:02d}.{patch}" if major < 7 else f"{major}.{minor}.{patch}"
        # Csound 7 has no API version number
        info["csound_api"] = f"{cs.APIVersion() // 100}.{cs.APIVersion() % 100}" if major < 7 else None
        info["sample_size"] = cs.sizeOfMYFLT()
        modules: Dict[str, List[str]] = {}
        n = 0
        while True:
            name, kind, err = cs.module(n)
            if err != 0 or name is None:
                break
            modules.setdefault(kind or "?", []).append(name)
            n += 1
        info["modules"] = modules
        plugin_var = f"OPCODE{major}DIR64"  # OPCODE6DIR64 or OPCODE7DIR64
        info["plugin_folder"] = os.environ.get(plugin_var) or _default_plugin_folder(major)
        info["opcodes"] = len(cs.newOpcodeList()[0] or [])
        info["env"] = {k: os.environ[k] for k in (plugin_var, "SFDIR", "SSDIR", "SADIR", "INCDIR",
                                                  "JACK_DEFAULT_SERVER") if k in os.environ}
    if devices:
        info["devices"] = _devices(modules.get("audio", []), modules.get("midi", []))
    return info


def _default_plugin_folder(major: int = 6) -> str:
    import sysconfig

    from ._bundle import bundled_plugin_dir

    bundled = bundled_plugin_dir()  # a wheel's own plugins, which csoundpp uses (see _bundle)
    if bundled is not None:
        return bundled
    folder = f"plugins64-{major}.0"
    candidates = [Path(sysconfig.get_config_var("LIBDIR") or "/usr/lib") / "csound" / folder,
                  Path("/usr/lib") / (sysconfig.get_config_var("MULTIARCH") or "") / "csound" / folder,
                  Path("/usr/local/lib/csound") / folder]
    for c in candidates:
        if c.is_dir():
            return str(c)
    return f"(not found: set OPCODE{major}DIR64)"


def _devices(audio: List[str], midi: List[str]) -> Dict[str, Any]:
    from . import Csound

    out: Dict[str, Any] = {}
    for mod in audio:
        if mod in ("null",):
            continue
        with Csound() as cs:
            cs.setMessageStringCallback(0, lambda attr, text: None)
            cs.setOption(f"-+rtaudio={mod}")
            cs.setOption("-+rtmidi=null")
            try:
                outs = [d.device_name for d in cs.audioDevList(True)]
                ins = [d.device_name for d in cs.audioDevList(False)]
            except Exception as e:  # a module that cannot list is reported, not fatal
                outs, ins = [f"({e})"], []
        out[f"audio:{mod}"] = {"output": outs, "input": ins}
    return out


def cmd_info(a: argparse.Namespace) -> int:
    info = _gather_info(a.devices)
    if a.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"csoundpp      {info['csoundpp']}")
    api = f"API {info['csound_api']}, " if info["csound_api"] else ""
    print(f"csound        {info['csound']} ({api}{8 * info['sample_size']}-bit samples)")
    print(f"plugins       {info['plugin_folder']}")
    print(f"opcodes       {info['opcodes']}")
    for kind, names in sorted(info["modules"].items()):
        print(f"{kind + ' modules':<13} {' '.join(names)}")
    for k, v in info["env"].items():
        print(f"{k:<13} {v}")
    for mod, d in info.get("devices", {}).items():
        print(f"{mod:<13} out: {', '.join(d['output']) or '-'}; in: {', '.join(d['input']) or '-'}")
    return 0


# ----------------------------------------------------------------------------- parser
def build_parser(prog: str = "csoundpp") -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=prog, description="Render, play, check and inspect Csound files with csoundpp. "
        "Without a command, renders (the bundled example when no .csd is given).")
    from . import __version__

    ap.add_argument("--version", action="version", version=f"csoundpp {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("render", help="render a .csd to a sound file",
                       description="Render a .csd to a sound file, faster than real time. The format comes "
                       "from the extension (wav, flac, ogg, aiff, caf, w64, mp3, ...) or --format; "
                       "Ctrl-C stops and leaves a valid, shorter file.")
    r.add_argument("csd", nargs="?", type=Path, default=EXAMPLE, help="input .csd (default: the bundled example)")
    r.add_argument("-o", "--output", type=Path, help="output file (default: <csd name>.wav here)")
    r.add_argument("-f", "--format", help="file format, e.g. WAV, FLAC, OGG, AIFF (default: from the extension)")
    r.add_argument("-t", "--subtype", help="sample type, e.g. PCM_16, PCM_24, FLOAT, DOUBLE, VORBIS "
                   "(default: the format's own)")
    _common(r)
    r.set_defaults(func=cmd_render)

    p = sub.add_parser("play", help="play a .csd in real time",
                       description="Play a .csd in real time through JACK or the default audio module.")
    p.add_argument("csd", type=Path, help="input .csd")
    p.add_argument("-m", "--rtaudio", help="real-time audio module: jack, alsa, pulse, portaudio, ... "
                   "(default: the .csd's or Csound's own)")
    p.add_argument("-o", "--device", default="dac", help="output device, e.g. dac, dac:hw:1 (default: dac)")
    p.add_argument("-b", "--buffer", type=int, metavar="FRAMES", help="software buffer size in frames")
    _common(p)
    p.set_defaults(func=cmd_play)

    c = sub.add_parser("check", help="compile .csd files without performing",
                       description="Compile each .csd (orchestra, score and header) without performing. "
                       "Prints Csound's diagnostics with line numbers; exit status 1 if any fails.")
    c.add_argument("csd", nargs="+", type=Path, help="input .csd files")
    c.add_argument("--option", action="append", default=[], metavar="OPT", help="an extra Csound option")
    c.set_defaults(func=cmd_check)

    i = sub.add_parser("info", help="versions, modules, plugin folder and devices",
                       description="Show csoundpp's and Csound's versions, the real-time modules, the plugin "
                       "folder and (with --devices) the audio devices of each module.")
    i.add_argument("--devices", action="store_true", help="also list the devices of each audio module")
    i.add_argument("--json", action="store_true", help="print JSON")
    i.set_defaults(func=cmd_info)
    return ap


def main(argv: Optional[Sequence[str]] = None, prog: str = "csoundpp") -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    # `csoundpp`, `csoundpp x.csd -o y.wav`: render (what `./run demo` has always done).
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "render")
    parser = build_parser(prog)
    a = parser.parse_args(args)
    from ._core import CsoundError

    try:
        return int(a.func(a))
    except CliError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return e.code
    except CsoundError as e:
        print(f"{prog}: error: {_one_line(str(e))}", file=sys.stderr)
        return 1
    except (OSError, ValueError, TypeError, RuntimeError) as e:
        print(f"{prog}: error: {_one_line(str(e))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130


def _one_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return "unknown error"
    if len(lines) == 1:
        return lines[0]
    # "x did not compile:" + Csound's diagnostics: the first line and the first error line.
    err = next((ln for ln in lines[1:] if "error" in ln.lower()), lines[1])
    return f"{lines[0]} {err}"
