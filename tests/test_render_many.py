"""render() and render_many(): results in order, per-job errors, a job that kills its
worker, thread and process executors, and a real dask LocalCluster on localhost."""
from __future__ import annotations

import concurrent.futures as cf
import sys

import numpy as np
import pytest
import soundfile as sf

import csoundpp

ORC = """
sr = 48000
ksmps = 32
nchnls = 2
0dbfs = 1
instr 1
  ifreq chnget "freq"
  Sname chnget "name"
  a1 vco2 0.3, ifreq
  a1 moogladder a1, 2000, 0.5
  outs a1, a1 * (strlen(Sname) / 10)
endin
"""

# A job that kills the process it runs in (as a crashing plugin would): SIGSEGV to the
# worker, from the shell that Csound's system_i starts. ($ is built at run time: the
# orchestra preprocessor would read "$PPID" as a macro.)
CRASH_ORC = ORC + """
instr 2
  Scmd sprintf "kill -SEGV %cPPID", 36
  ires system_i 1, Scmd
endin
"""


def sweep(n):
    return [csoundpp.Job(orc=ORC, sco="i1 0 0.5", params={"freq": 110.0 * (i + 1), "name": "x" * (i % 5)},
                         name=f"v{i}") for i in range(n)]


def test_render_returns_a_result():
    r = csoundpp.render(orc=ORC, sco="i1 0 0.25", params={"freq": 440, "name": "abcde"})
    assert r.ok and r.sr == 48000 and r.audio.shape == (12000, 2) and r.frames == 12000
    assert r.peak == pytest.approx(np.max(np.abs(r.audio)))
    np.testing.assert_allclose(r.audio[:, 1], r.audio[:, 0] * 0.5)
    assert np.asarray(r).shape == (12000, 2)


def test_render_to_a_file_and_save(tmp_path):
    r = csoundpp.render(orc=ORC, sco="i1 0 0.25", params={"freq": 440}, output=str(tmp_path / "a.flac"),
                        subtype="PCM_24")
    data, sr = sf.read(str(tmp_path / "a.flac"), always_2d=True)
    assert sr == 48000 and np.max(np.abs(data - r.audio)) < 1e-6
    r.save(tmp_path / "b.wav", subtype="FLOAT")
    data, _ = sf.read(str(tmp_path / "b.wav"), always_2d=True, dtype="float32")
    np.testing.assert_array_equal(data, r.audio.astype(np.float32))
    with pytest.raises(ValueError, match="unknown sound file extension"):
        r.save(tmp_path / "c.nosuch")


def test_bad_jobs_are_rejected_clearly():
    with pytest.raises(ValueError, match="exactly one of csd"):
        csoundpp.Job()
    with pytest.raises(TypeError, match="params"):
        csoundpp.Job(orc=ORC, params={"freq": [1, 2]})
    with pytest.raises(csoundpp.CompileError, match="did not compile"):
        csoundpp.render(orc="instr 1\n nosuch\nendin\n", sco="i1 0 1")
    with pytest.raises(FileNotFoundError):
        csoundpp.render("/nonexistent/x.csd")
    with cf.ThreadPoolExecutor(1) as ex:
        res = csoundpp.render_many([42], ex, progress=False)
    assert not res[0].ok and "TypeError" in res[0].error


def reference(jobs):
    return [csoundpp.render(j) for j in jobs]


def assert_same(results, refs):
    assert len(results) == len(refs)
    for got, want in zip(results, refs):
        assert got.ok, got.error
        assert got.label == want.label
        np.testing.assert_array_equal(got.audio, want.audio)  # sample for sample


def test_results_in_order_with_threads_and_processes():
    jobs = sweep(6)
    refs = reference(jobs)
    with cf.ThreadPoolExecutor(3) as ex:
        assert_same(csoundpp.render_many(jobs, ex, progress=False), refs)
    seen = []
    assert_same(csoundpp.render_many(jobs, max_workers=2, progress=lambda d, t, r: seen.append((d, t, r.label))),
                refs)
    assert [d for d, _, _ in seen] == list(range(1, 7)) and all(t == 6 for _, t, _ in seen)
    assert sorted(label for _, _, label in seen) == sorted(j.name for j in jobs)


def test_a_failing_job_does_not_stop_the_others():
    jobs = sweep(3)
    jobs.insert(1, csoundpp.Job(orc="instr 1\n nosuchopcode\nendin\n", sco="i1 0 1", name="bad"))
    jobs.append({"csd": "/nonexistent.csd"})
    res = csoundpp.render_many(jobs, max_workers=2, progress=False)
    assert [r.ok for r in res] == [True, False, True, True, False]
    assert "CompileError" in res[1].error and "nosuchopcode" in res[1].error
    assert "FileNotFoundError" in res[4].error
    with pytest.raises(csoundpp.CsoundError, match="bad"):
        res[1].raise_for_error()
    assert_same([res[0], res[2], res[3]], reference(sweep(3)))


@pytest.mark.timeout(300)
def test_a_job_that_kills_its_worker_fails_alone():
    jobs = sweep(4)
    jobs.insert(2, csoundpp.Job(orc=CRASH_ORC, sco="i2 0 0\ni1 0 0.5", params={"freq": 220}, name="crash"))
    res = csoundpp.render_many(jobs, max_workers=2, progress=False)
    assert [r.ok for r in res] == [True, True, False, True, True], [r.error for r in res]
    assert "worker process" in res[2].error and "SIGSEGV" in res[2].error
    assert_same([r for r in res if r.ok], reference(sweep(4)))


@pytest.mark.timeout(300)
def test_dask_local_cluster_matches_the_local_run(tmp_path):
    distributed = pytest.importorskip("distributed")
    jobs = sweep(4)
    refs = reference(jobs)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, worker_dashboard_address=None,
                                  local_directory=str(tmp_path)) as cluster, \
            distributed.Client(cluster) as client:
        ran_on = set()
        res = csoundpp.render_many(jobs, client.get_executor(), progress=lambda d, t, r: None)
        assert_same(res, refs)
        # the work ran in the cluster's worker processes, not here
        ran_on = set(client.run(lambda: __import__("os").getpid()).values())
        assert ran_on and not (ran_on & {__import__("os").getpid()})
        # a failing job on the cluster is that job's error too
        bad = csoundpp.render_many([{"orc": "instr 1\n nosuch\nendin", "sco": "i1 0 1"}], client.get_executor(),
                                   progress=False)
        assert not bad[0].ok and "CompileError" in bad[0].error


def test_progress_bar_when_asked(capsys):
    csoundpp.render_many(sweep(2), cf.ThreadPoolExecutor(2), progress=True)
    err = capsys.readouterr().err
    assert "render_many" in err and "2/2" in err


@pytest.mark.timeout(300)
def test_the_readme_example_runs(tmp_path):
    import os
    import subprocess
    from pathlib import Path

    example = Path(__file__).parent / "readme_examples" / "tools.py"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    r = subprocess.run([sys.executable, str(example)], capture_output=True, text=True, env=env, cwd=tmp_path,
                       timeout=240)
    assert r.returncode == 0, r.stderr
    assert "(48000, 2) 48000" in r.stdout and r.stdout.count(" True ") == 3, r.stdout
    if csoundpp.csound_version()[0] < 7:  # Csound 7 tags `prints` output CSOUNDMSG_DEFAULT: DEBUG, not shown
        assert "INFO:csoundpp.csound:hello" in r.stderr
    else:
        assert "Csound version 7" in r.stderr  # its banner: CSOUNDMSG_ERROR in Csound 7
    assert sf.info(str(tmp_path / "bass.flac")).subtype == "PCM_24"
    assert all((tmp_path / f"cut{c}.wav").is_file() for c in (200, 800, 3200))
