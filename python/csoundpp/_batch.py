"""render_many: many jobs (.csd files, parameter sweeps) on local cores or any
``concurrent.futures.Executor`` — a dask.distributed ``Client.get_executor()`` included.

Each job runs in :func:`run_job`, a top-level function that never raises: a failing job
gives a :class:`RenderResult` with ``error`` set, so one bad job never stops the others.
With the default executor (a process pool that render_many owns), a job that kills its
worker process (a segfault in a plugin, os._exit) is detected: the pool is replaced, and
the jobs that were not finished are run again each in a process of its own, so the
crashing job gets an error result and every other job completes.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import sys
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, List, Optional, Sequence, Union

import numpy as np

from ._render import Job, RenderResult, render

__all__ = ["render_many", "run_job"]

ProgressArg = Union[None, bool, Callable[[int, int, RenderResult], None]]


def run_job(job: Any) -> RenderResult:
    """Renders one job where it is called (a worker process, a thread, a dask worker);
    returns a RenderResult, with ``error`` set instead of raising when the job fails."""
    try:
        job = Job.of(job)
    except Exception as e:  # a malformed job spec is that job's error
        return RenderResult(audio=np.zeros((0, 0)), sr=0, error=f"{type(e).__name__}: {e}", label=repr(job)[:80])
    try:
        return render(job, quiet=True)
    except Exception as e:
        return RenderResult(audio=np.zeros((0, 0)), sr=0, error=f"{type(e).__name__}: {e}", label=job.label)


def _crashed(job: Job, why: str) -> RenderResult:
    return RenderResult(audio=np.zeros((0, 0)), sr=0, label=job.label,
                        error=f"the worker process running this job died ({why}); the other jobs are unaffected")


def _default_context() -> Any:
    # forkserver: workers start from a clean server process (no inherited Csound
    # threads or locks, unlike fork) and much faster than spawn after the first.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Display:
    def __init__(self, total: int, progress: ProgressArg):
        self.fn: Optional[Callable[[int, int, RenderResult], None]] = None
        self.bar = None
        self.total, self.done = total, 0
        if callable(progress):
            self.fn = progress
        elif progress or (progress is None and sys.stderr.isatty()):
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="render_many", unit="job", file=sys.stderr)

    def step(self, result: RenderResult) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
            if not result.ok:
                self.bar.set_postfix_str(f"failed: {result.label}")
        if self.fn is not None:
            self.fn(self.done, self.total, result)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def render_many(jobs: Iterable[Any], executor: Optional[cf.Executor] = None, *,
                max_workers: Optional[int] = None, progress: ProgressArg = None) -> List[RenderResult]:
    """Renders every job and returns their results in the order of ``jobs``.

    A job is a :class:`Job`, a .csd path or text, or a dict of Job fields, e.g.
    ``{"orc": ORC, "sco": SCO, "params": {"cutoff": 800}, "output": "v1.flac"}``.

    ``executor``: None uses a process pool of ``max_workers`` (default: every core) that
    render_many creates and shuts down, and that survives jobs that crash their worker.
    Any ``concurrent.futures.Executor`` works instead — a ``ThreadPoolExecutor`` (csoundpp
    releases the GIL while Csound renders), your own ``ProcessPoolExecutor``, or
    ``dask.distributed.Client(...).get_executor()`` to render on a cluster; with an
    executor you give, a crashed worker is handled by that executor (dask retries the task
    elsewhere and finally reports it; a ProcessPoolExecutor breaks and the unfinished jobs
    get its error).

    ``progress``: None shows a bar (tqdm) when stderr is a terminal, True always, False
    never; a callable is called as ``progress(done, total, result)`` as each job finishes.

    A job that fails returns a result with ``ok`` False and ``error`` saying why; it never
    stops the others. Ctrl-C cancels the jobs not yet started and raises KeyboardInterrupt.
    """
    specs = list(jobs)
    prepared: List[Any] = []
    for spec in specs:
        try:
            prepared.append(Job.of(spec))
        except Exception:
            prepared.append(spec)  # run_job turns it into that job's error result
    if max_workers is not None and max_workers < 1:
        raise ValueError("max_workers must be at least 1")
    results: List[Optional[RenderResult]] = [None] * len(prepared)
    display = _Display(len(prepared), progress)
    try:
        if executor is not None:
            _run_on(executor, prepared, range(len(prepared)), results, display)
        else:
            _run_own_pool(prepared, results, display, max_workers or os.cpu_count() or 1)
    finally:
        display.close()
    out: List[RenderResult] = []
    for i, r in enumerate(results):
        if r is None:  # cannot happen unless an executor drops a future; never hide it
            r = RenderResult(audio=np.zeros((0, 0)), sr=0, error="the executor returned no result for this job")
        out.append(r)
    return out


def _collect(futures: dict, results: List[Optional[RenderResult]], display: _Display) -> None:
    try:
        for fut in cf.as_completed(futures):
            i = futures[fut]
            try:
                res = fut.result()
            except Exception as e:  # the executor's own failure for this job
                res = RenderResult(audio=np.zeros((0, 0)), sr=0, error=f"{type(e).__name__}: {e}")
            results[i] = res
            display.step(res)
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        raise


def _run_on(executor: cf.Executor, jobs: Sequence[Any], indices: Iterable[int],
            results: List[Optional[RenderResult]], display: _Display) -> None:
    futures = {executor.submit(run_job, jobs[i]): i for i in indices}
    _collect(futures, results, display)
    for i in futures.values():
        r = results[i]
        if r is not None and not r.label:
            r.label = jobs[i].label if isinstance(jobs[i], Job) else repr(jobs[i])[:80]


def _run_own_pool(jobs: Sequence[Any], results: List[Optional[RenderResult]], display: _Display,
                  workers: int) -> None:
    ctx = _default_context()
    pending = list(range(len(jobs)))
    with cf.ProcessPoolExecutor(max_workers=min(workers, max(1, len(jobs))), mp_context=ctx) as pool:
        futures = {pool.submit(run_job, jobs[i]): i for i in pending}
        broken: List[int] = []
        try:
            for fut in cf.as_completed(futures):
                i = futures[fut]
                try:
                    res = fut.result()
                except BrokenProcessPool:
                    broken.append(i)
                    continue
                results[i] = res
                display.step(res)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    if not broken:
        return
    # A worker died: every unfinished job of that pool got BrokenProcessPool, and which
    # one killed it is unknown. Run each of them in a process of its own (still
    # `workers` at a time), so only the culprit fails.
    with cf.ThreadPoolExecutor(max_workers=workers) as runners:
        futures = {runners.submit(_isolated, ctx, jobs[i]): i for i in sorted(broken)}
        _collect(futures, results, display)


def _isolated(ctx: Any, job: Any) -> RenderResult:
    pool = cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    try:
        fut = pool.submit(run_job, job)
        try:
            return fut.result()
        except BrokenProcessPool:
            why = "killed"
            procs = getattr(pool, "_processes", None) or {}
            for p in list(procs.values()):
                code = p.exitcode
                if code is not None and code < 0:
                    import signal

                    try:
                        why = f"signal {signal.Signals(-code).name}"
                    except ValueError:
                        why = f"signal {-code}"
                elif code:
                    why = f"exit status {code}"
            return _crashed(job if isinstance(job, Job) else Job.of(job), why)
    finally:
        pool.shutdown(wait=True)
