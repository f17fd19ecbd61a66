"""The everyday tools around the binding, re-exported by ``csoundpp``: rendering to
arrays and files, batch rendering, logging, notebook display."""
from __future__ import annotations

from ._batch import render_many, run_job
from ._logging import LOGGER_NAME, MessageLogger, level_of, log_messages, quiet, silence
from ._notebook import TableSnapshot, table_snapshot
from ._render import Job, RenderResult, render, sound_file_format

__all__ = [
    "Job",
    "LOGGER_NAME",
    "MessageLogger",
    "RenderResult",
    "TableSnapshot",
    "level_of",
    "log_messages",
    "quiet",
    "render",
    "render_many",
    "run_job",
    "silence",
    "sound_file_format",
    "table_snapshot",
]
