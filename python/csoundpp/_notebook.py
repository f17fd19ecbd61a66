"""Jupyter display: an audio player and a waveform for rendered audio, a plot for tables.

The HTML needs nothing but the standard library and numpy (the waveform is an inline
SVG of the per-pixel minimum and maximum, the player an ``<audio>`` element with the
WAV inlined), so it shows in any notebook front end and in exported HTML. ``plot()``
methods draw with matplotlib when it is installed.
"""
from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from ._core import Csound

__all__ = ["TableSnapshot", "table_snapshot", "waveform_svg"]

_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _envelope(x: np.ndarray, columns: int) -> "tuple[np.ndarray, np.ndarray]":
    n = x.shape[0]
    if n == 0:
        return np.zeros(1), np.zeros(1)
    cols = max(1, min(columns, n))
    edges = np.linspace(0, n, cols + 1).astype(int)
    edges[-1] = n
    lo = np.minimum.reduceat(x, edges[:-1])
    hi = np.maximum.reduceat(x, edges[:-1])
    return lo, hi


def waveform_svg(data: np.ndarray, width: int = 640, height: int = 120, lane_gap: int = 6,
                 symmetric: bool = True) -> str:
    """An inline SVG of a (frames, channels) array: one lane per channel, the min/max of
    the samples under each pixel column. `symmetric` scales lanes to ±max|x| (audio);
    otherwise to the data's own min..max (tables)."""
    data = np.asarray(data, dtype=np.float64)
    if data.ndim == 1:
        data = data.reshape(-1, 1)
    nch = max(1, data.shape[1])
    lane = (height - lane_gap * (nch - 1)) / nch
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="csoundpp-waveform">',
             f'<rect width="{width}" height="{height}" fill="#fafafa"/>']
    for c in range(data.shape[1]):
        lo, hi = _envelope(data[:, c], width)
        if symmetric:
            top = max(float(np.max(np.abs(data[:, c]))) if data.shape[0] else 0.0, 1e-12)
            bottom = -top
        else:
            top, bottom = (float(np.max(hi)), float(np.min(lo))) if data.shape[0] else (1.0, 0.0)
            if top - bottom < 1e-12:
                top, bottom = top + 0.5, bottom - 0.5
        y0 = c * (lane + lane_gap)

        def y(v: np.ndarray) -> np.ndarray:
            return y0 + (top - v) / (top - bottom) * lane

        xs = np.arange(len(hi)) * (width / max(len(hi), 1))
        upper = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs, y(hi)))
        lower = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs[::-1], y(lo)[::-1]))
        colour = _COLOURS[c % len(_COLOURS)]
        parts.append(f'<polygon points="{upper} {lower}" fill="{colour}" stroke="{colour}" stroke-width="0.6"/>')
        if symmetric:
            mid = y0 + lane / 2
            parts.append(f'<line x1="0" y1="{mid:.1f}" x2="{width}" y2="{mid:.1f}" stroke="#ccc" stroke-width="0.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def result_html(res: Any) -> str:
    """The notebook view of a RenderResult: a summary, a waveform and a player."""
    label = html.escape(res.label or "rendered audio")
    if not res.ok:
        return f"<div><b>{label}</b>: failed<pre>{html.escape(res.error or '')}</pre></div>"
    summary = (f"{res.duration:.3f} s, {res.channels} channel{'s' if res.channels != 1 else ''}, "
               f"{res.sr} Hz, peak {res.peak:.3f}" + (" (interrupted)" if res.interrupted else ""))
    if res.output:
        summary += f", saved to {html.escape(str(res.output))}"
    if res.audio.shape[0] == 0:
        return f"<div><b>{label}</b>: {summary} (no audio kept)</div>"
    wav = base64.b64encode(res.wav_bytes()).decode("ascii")
    return (f'<div class="csoundpp-result"><div><b>{label}</b>: {summary}</div>'
            f"{waveform_svg(res.audio)}<br/>"
            f'<audio controls preload="none" src="data:audio/wav;base64,{wav}"></audio></div>')


def plot_audio(audio: np.ndarray, sr: float, ax: Any = None, title: str = "") -> Any:
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(8, 2.5))
    t = np.arange(audio.shape[0]) / sr
    for c in range(audio.shape[1]):
        ax.plot(t, audio[:, c], linewidth=0.6, label=f"channel {c + 1}")
    ax.set_xlabel("seconds")
    ax.set_ylabel("amplitude (0dBFS = 1)")
    if title:
        ax.set_title(title)
    if audio.shape[1] > 1:
        ax.legend(loc="upper right")
    return ax


@dataclass
class TableSnapshot:
    """A copy of a Csound function table (``values``) that plots itself in a notebook."""

    number: int
    values: np.ndarray

    def _repr_html_(self) -> str:
        v = self.values
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 0.0)
        return (f"<div><b>ftable {self.number}</b>: {v.size} points, min {lo:.4g}, max {hi:.4g}<br/>"
                f"{waveform_svg(v, height=100, symmetric=False)}</div>")

    def plot(self, ax: Any = None) -> Any:
        """Plots the table with matplotlib; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 2.5))
        ax.plot(np.arange(self.values.size), self.values, linewidth=0.8)
        ax.set_xlabel("index")
        ax.set_title(f"ftable {self.number}")
        return ax

    def __repr__(self) -> str:
        return f"<TableSnapshot ftable {self.number}, {self.values.size} points>"


def table_snapshot(cs: Csound, number: int) -> TableSnapshot:
    """A copy of table `number` of a started instance, for display or plotting.
    Raises ValueError when the table does not exist."""
    if not isinstance(cs, Csound):
        raise TypeError("table_snapshot() needs a csoundpp.Csound instance")
    if cs.tableLength(int(number)) <= 0:
        raise ValueError(f"ftable {number} does not exist")
    view = cs.table(int(number))
    return TableSnapshot(int(number), np.array(view, dtype=np.float64, copy=True))
