"""Offline rendering: one job (a .csd, or an orchestra and a score, with parameters) to a
numpy array and/or a sound file.

This is the engine behind ``csoundpp render``, :func:`csoundpp.render` and
:func:`csoundpp.render_many`. Csound renders host-driven (``-n``: no device, no file of
its own) in chunks of k-cycles with the GIL released; each chunk is scaled by 1/0dBFS and
handed to the sinks (the result array, a libsndfile writer through the ``soundfile``
package, a progress display). Stopping early (Ctrl-C, ``duration``) keeps everything
rendered so far: the file is closed properly and stays valid.
"""
from __future__ import annotations

import io
import math
import os
import signal
import threading
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from ._core import CompileError, Csound, CsoundError

__all__ = ["Job", "RenderResult", "render", "sound_file_format"]

PathLike = Union[str, "os.PathLike[str]"]


# ----------------------------------------------------------------------------- jobs
@dataclass
class Job:
    """One thing to render.

    Give either ``csd`` (a path to a .csd file, or the text of one) or ``orc`` (orchestra
    text) with an optional ``sco`` (score text). ``params`` are set as Csound channels
    after the header is compiled and before the first k-cycle (numbers become control
    channels, strings string channels): read them with ``chnget`` in the orchestra.
    ``options`` are extra Csound options (``"--omacro:NAME=value"``, ``"-+rtmidi=null"``...).
    ``sr``/``ksmps`` override the orchestra header. ``duration`` (seconds) stops early;
    without it the job runs until the score ends, so a score that never ends needs one.
    ``output`` also writes a sound file (format from the extension unless ``format``/
    ``subtype`` name one, as :func:`sound_file_format`). ``keep_audio=False`` returns no
    array (useful when writing many files).
    """

    csd: Optional[PathLike] = None
    orc: Optional[str] = None
    sco: str = ""
    params: Mapping[str, Union[float, str]] = field(default_factory=dict)
    options: Sequence[str] = ()
    sr: Optional[int] = None
    ksmps: Optional[int] = None
    duration: Optional[float] = None
    output: Optional[PathLike] = None
    format: Optional[str] = None
    subtype: Optional[str] = None
    keep_audio: bool = True
    name: Optional[str] = None

    def __post_init__(self) -> None:
        if (self.csd is None) == (self.orc is None):
            raise ValueError("a Job needs exactly one of csd= (path or text) or orc= (with sco=)")
        if self.csd is not None and not isinstance(self.csd, (str, os.PathLike)):
            raise TypeError("csd must be a path or the text of a .csd")
        if self.orc is not None and not isinstance(self.orc, str):
            raise TypeError("orc must be a string")
        if not isinstance(self.sco, str):
            raise TypeError("sco must be a string")
        if isinstance(self.options, str):
            self.options = (self.options,)
        if self.sr is not None and (int(self.sr) != self.sr or self.sr <= 0):
            raise ValueError(f"sr must be a positive integer, not {self.sr!r}")
        if self.ksmps is not None and (int(self.ksmps) != self.ksmps or self.ksmps <= 0):
            raise ValueError(f"ksmps must be a positive integer, not {self.ksmps!r}")
        if self.duration is not None and not (self.duration > 0 and math.isfinite(self.duration)):
            raise ValueError(f"duration must be a positive number of seconds, not {self.duration!r}")
        for k, v in dict(self.params).items():
            if not isinstance(k, str) or not k:
                raise TypeError("params keys are channel names (non-empty strings)")
            if not isinstance(v, (int, float, str)) or isinstance(v, bool):
                raise TypeError(f"params[{k!r}] must be a number or a string, not {type(v).__name__}")

    @classmethod
    def of(cls, spec: Any) -> "Job":
        """A Job from a Job, a path, .csd text, or a dict of Job fields."""
        if isinstance(spec, Job):
            return spec
        if isinstance(spec, (str, os.PathLike)):
            return cls(csd=spec)
        if isinstance(spec, Mapping):
            return cls(**spec)
        raise TypeError(f"a job is a Job, a .csd path or text, or a dict of Job fields, not {type(spec).__name__}")

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.csd is not None and not _is_csd_text(self.csd):
            return str(self.csd)
        return "<csd text>" if self.csd is not None else "<orc>"


def _is_csd_text(csd: PathLike) -> bool:
    return isinstance(csd, str) and "<CsoundSynthesizer" in csd


# ----------------------------------------------------------------------------- result
@dataclass
class RenderResult:
    """Rendered audio: ``audio`` is a (frames, channels) float64 array in full-scale units
    (1.0 = 0dBFS) and ``sr`` the sample rate. In Jupyter it shows an audio player and a
    waveform; :meth:`save` writes any format libsndfile knows.

    From :func:`csoundpp.render_many` a failed job gives a result whose ``error`` is the
    exception text (``audio`` is then empty) — check ``ok``.
    """

    audio: np.ndarray
    sr: int
    output: Optional[str] = None
    frames: int = -1      # -1: from audio
    channels: int = -1    # -1: from audio
    peak: float = -1.0    # -1: from audio
    interrupted: bool = False
    messages: str = ""
    error: Optional[str] = None
    label: str = ""

    def __post_init__(self) -> None:
        self.audio = np.asarray(self.audio, dtype=np.float64)
        if self.audio.ndim == 1:
            self.audio = self.audio.reshape(-1, 1)
        if self.audio.ndim != 2:
            raise ValueError("audio must be a (frames, channels) or (frames,) array")
        if self.frames < 0:
            self.frames = int(self.audio.shape[0])
        if self.channels < 0:
            self.channels = int(self.audio.shape[1])
        if self.peak < 0:
            self.peak = float(np.max(np.abs(self.audio))) if self.audio.size else 0.0

    @property
    def ok(self) -> bool:
        """True unless the job failed (then ``error`` says why)."""
        return self.error is None

    @property
    def duration(self) -> float:
        """Seconds rendered."""
        return self.frames / self.sr if self.sr else 0.0

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.audio if dtype is None else self.audio.astype(dtype)

    def __len__(self) -> int:
        return int(self.audio.shape[0])

    def raise_for_error(self) -> "RenderResult":
        """Raises CsoundError with the job's error text if the job failed; returns self."""
        if self.error is not None:
            raise CsoundError(f"{self.label}: {self.error}")
        return self

    def save(self, path: PathLike, format: Optional[str] = None, subtype: Optional[str] = None) -> str:
        """Writes the audio to `path` (format from the extension or `format`, sample type
        `subtype`, e.g. 'PCM_24', 'FLOAT'); returns the path."""
        self.raise_for_error()
        fmt, sub = sound_file_format(path, format, subtype)
        import soundfile

        soundfile.write(os.fspath(path), self.audio, self.sr, format=fmt, subtype=sub)
        return os.fspath(path)

    def wav_bytes(self) -> bytes:
        """The audio as a 16-bit WAV file in memory (what the notebook player plays)."""
        buf = io.BytesIO()
        data = np.clip(self.audio, -1.0, 1.0)
        pcm = np.round(data * 32767.0).astype("<i2")
        with wave.open(buf, "wb") as w:
            w.setnchannels(self.channels)
            w.setsampwidth(2)
            w.setframerate(int(self.sr))
            w.writeframes(pcm.tobytes())
        return buf.getvalue()

    def _repr_html_(self) -> str:
        from ._notebook import result_html

        return result_html(self)

    def plot(self, ax: Any = None) -> Any:
        """Plots the waveform with matplotlib (one line per channel); returns the Axes."""
        from ._notebook import plot_audio

        return plot_audio(self.audio, self.sr, ax=ax, title=self.label)

    def __repr__(self) -> str:
        if self.error is not None:
            return f"<RenderResult {self.label!r} failed: {self.error.splitlines()[0] if self.error else ''}>"
        return (f"<RenderResult {self.duration:.3f} s, {self.channels} ch at {self.sr} Hz, "
                f"peak {self.peak:.3f}{', interrupted' if self.interrupted else ''}>")


# ----------------------------------------------------------------------------- formats
_EXTENSIONS = {
    "aif": "AIFF", "aiff": "AIFF", "aifc": "AIFF", "au": "AU", "snd": "AU", "caf": "CAF",
    "flac": "FLAC", "ogg": "OGG", "oga": "OGG", "opus": "OGG", "wav": "WAV", "wave": "WAV",
    "w64": "W64", "rf64": "RF64", "mp3": "MP3", "raw": "RAW", "pcm": "RAW", "sd2": "SD2",
    "paf": "PAF", "svx": "SVX", "nist": "NIST", "sph": "NIST", "voc": "VOC", "ircam": "IRCAM",
    "sf": "IRCAM", "w": "WVE", "mat": "MAT5", "mat4": "MAT4", "mat5": "MAT5", "pvf": "PVF",
    "xi": "XI", "htk": "HTK", "sds": "SDS", "avr": "AVR", "wavex": "WAVEX", "mpc": "MPC2K",
}


def sound_file_format(path: PathLike, format: Optional[str] = None,
                      subtype: Optional[str] = None) -> "tuple[str, str]":
    """(format, subtype) libsndfile will write for `path`: `format` (e.g. 'FLAC', 'WAV',
    'OGG', case-insensitive) or the one the extension names; `subtype` (e.g. 'PCM_16',
    'PCM_24', 'FLOAT', 'VORBIS') or the format's default. Raises ValueError naming the
    choices when libsndfile cannot write the combination."""
    import soundfile

    formats = soundfile.available_formats()
    if format is None:
        ext = Path(os.fspath(path)).suffix.lower().lstrip(".")
        if not ext:
            raise ValueError(f"{os.fspath(path)!r} has no extension: name the format (one of "
                             f"{', '.join(sorted(formats))})")
        format = _EXTENSIONS.get(ext, ext.upper())
        if format not in formats:
            raise ValueError(f"unknown sound file extension {'.' + ext!r}: name the format (one of "
                             f"{', '.join(sorted(formats))})")
    fmt = format.upper()
    if fmt not in formats:
        raise ValueError(f"unknown sound file format {format!r}: one of {', '.join(sorted(formats))}")
    if subtype is None:
        sub = soundfile.default_subtype(fmt)
        if sub is None:
            raise ValueError(f"format {fmt} has no default sample type: name one "
                             f"({', '.join(soundfile.available_subtypes(fmt))})")
    else:
        sub = subtype.upper()
        if sub not in soundfile.available_subtypes(fmt) or not soundfile.check_format(fmt, sub):
            raise ValueError(f"format {fmt} cannot hold sample type {subtype!r}: one of "
                             f"{', '.join(soundfile.available_subtypes(fmt))}")
    return fmt, sub


# ----------------------------------------------------------------------------- rendering
def _compile(cs: Csound, job: Job) -> None:
    if job.sr is not None:
        cs.setOption(f"--sample-rate={int(job.sr)}")
    if job.ksmps is not None:
        cs.setOption(f"--ksmps={int(job.ksmps)}")
    for opt in job.options:
        if not isinstance(opt, str):
            raise TypeError("options are strings")
        if cs.setOption(opt) != 0:
            raise ValueError(f"Csound did not accept the option {opt!r}")
    if job.csd is not None:
        if _is_csd_text(job.csd):
            status = cs.compileCsdText(str(job.csd))
        else:
            p = Path(os.fspath(job.csd))
            if not p.is_file():
                raise FileNotFoundError(f"no such .csd file: {p}")
            status = cs.compileCsd(str(p))
    else:
        status = cs.compileOrc(job.orc or "")
        if status == 0 and job.sco:
            status = cs.readScore(job.sco)
    if status != 0:
        err = CompileError(f"{job.label} did not compile:\n{cs.lastErrors().rstrip()}".rstrip())
        err.status = status
        raise err
    # After the .csd's own <CsOptions>: render host-driven, without a device or file of
    # Csound's own (we write the file), and without the real-time MIDI a .csd may ask for.
    cs.setOption("-n")
    cs.setOption("-d")
    cs.setOption("-+rtmidi=null")


def _set_params(cs: Csound, params: Mapping[str, Union[float, str]]) -> None:
    for name, value in params.items():
        if isinstance(value, str):
            cs.setStringChannel(name, value)
        else:
            cs.setControlChannel(name, float(value))


def render(job: Any = None, *, progress: Optional[Callable[[float, Optional[float]], None]] = None,
           quiet: bool = True, return_on_interrupt: bool = False, chunk_cycles: int = 256,
           **fields: Any) -> RenderResult:
    """Renders one job and returns a :class:`RenderResult`.

    ``job`` is a :class:`Job`, a .csd path or text, or a dict of Job fields; keyword
    ``fields`` are Job fields (``render("a.csd", sr=44100, output="a.flac")``).
    ``progress(seconds, total)`` is called after every chunk (total is ``duration`` or
    None: Csound does not know where a score ends before it gets there). ``quiet``
    discards Csound's messages (they are kept in the result's ``messages`` when the job
    fails). Raises CompileError/CsoundError/ValueError/FileNotFoundError. Ctrl-C
    (KeyboardInterrupt) stops the rendering: the file written so far is closed and valid,
    and the exception propagates — or, with ``return_on_interrupt=True``, the shorter
    result is returned with ``interrupted=True``.
    """
    if job is None:
        job = Job(**fields)
    elif fields:
        job = Job(**{**_job_fields(Job.of(job)), **fields})
    else:
        job = Job.of(job)
    writer = None
    fmt = sub = None
    if job.output is not None:
        fmt, sub = sound_file_format(job.output, job.format, job.subtype)
    captured: List[str] = []
    with Csound() as cs:
        if quiet:
            cs.setMessageStringCallback(0, lambda attr, text: captured.append(text))
        _compile(cs, job)
        if cs.start() != 0:
            raise CsoundError(f"{job.label} could not start:\n{cs.lastErrors().rstrip()}".rstrip())
        _set_params(cs, job.params)
        nch, ksmps, sr, zdb = cs.nchnls(), cs.ksmps(), cs.sr(), cs.get0dBFS()
        if sr != int(sr):
            raise CsoundError(f"sample rate {sr} is not an integer")
        sr = int(sr)
        limit = None if job.duration is None else int(round(job.duration * sr))
        block = np.empty(chunk_cycles * ksmps * nch)
        chunks: List[np.ndarray] = []
        frames = 0
        peak = 0.0
        interrupted = False
        stop = _CtrlC()
        try:
            if job.output is not None:
                import soundfile

                writer = soundfile.SoundFile(os.fspath(job.output), "w", samplerate=sr, channels=nch,
                                             format=fmt, subtype=sub)
            finished = False
            while not finished and not stop.pressed:
                n, finished = cs.performKsmpsInto(block)
                if not n:
                    break
                got = n * ksmps
                if limit is not None and frames + got >= limit:
                    got = limit - frames
                    finished = True
                data = block[: got * nch].reshape(got, nch)
                if zdb != 1.0:
                    data = data / zdb
                if job.keep_audio:
                    chunks.append(np.array(data, copy=True))
                if writer is not None:
                    writer.write(data)
                if got:
                    peak = max(peak, float(np.max(np.abs(data))))
                frames += got
                if progress is not None:
                    progress(frames / sr, job.duration)
        except KeyboardInterrupt:  # with a SIGINT handler of the user's own
            interrupted = True
            if not return_on_interrupt:
                raise
        finally:
            stop.restore()
            if writer is not None:
                writer.close()
                # Ctrl-C may land between two statements of the loop: the file is the truth
                frames = writer.frames
            elif job.keep_audio:
                frames = sum(len(c) for c in chunks)
            try:
                cs.flushMessages(1.0)
            except Exception:
                pass
        cs.cleanup()
    if stop.pressed:
        interrupted = True
        if not return_on_interrupt:
            raise KeyboardInterrupt
    audio = np.concatenate(chunks)[:frames] if chunks else np.zeros((0, nch))
    return RenderResult(audio=audio, sr=sr, output=os.fspath(job.output) if job.output else None,
                        frames=frames, channels=nch, peak=peak, interrupted=interrupted, messages="".join(captured),
                        label=job.label)


class _CtrlC:
    """While rendering on the main thread with Python's default SIGINT handler, Ctrl-C
    sets a flag that the loop checks between chunks, so it never lands half-way through
    writing one (the file and the counts agree); render() then stops cleanly."""

    def __init__(self) -> None:
        self.pressed = False
        self._prev: Any = None
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._prev = signal.signal(signal.SIGINT, self._on_sigint)

    def _on_sigint(self, signum: int, frame: Any) -> None:
        self.pressed = True

    def restore(self) -> None:
        if self._prev is not None:
            signal.signal(signal.SIGINT, self._prev)
            self._prev = None


def _job_fields(job: Job) -> Dict[str, Any]:
    return {f: getattr(job, f) for f in job.__dataclass_fields__}
