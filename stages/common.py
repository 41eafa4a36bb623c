"""What every stage script shares: loading params.yaml, holding a stage to the params it declares, and
turning bad input into one line."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from synthproof.compute import limit_threads, resolve_threads
from synthproof.config import Params, load_params, restricted
from synthproof.errors import SynthproofError
from synthproof.io import OutsideRepositoryError, confined, write_json
from synthproof.progress import mode as progress_mode


def run(main: Callable[[Params], str], declared: list[str]) -> None:
    """Run a stage's ``main(params)``; bad input exits 1 with a one-line message, no traceback.

    ``main`` returns what the stage did and its headline figure, in words; the stage's last line on stderr
    is that and its seconds (``compare: 14 models x 10 folds ...; TSTR/TRTR accuracy 0.957 (131 s)``).
    Progress (``synthproof.progress``) goes to stderr before it.

    ``declared`` is the stage's ``PARAMS``: the params keys it reads, as its ``dvc.yaml`` entry lists them
    (``tests/test_manifest.py`` checks both pipelines). Any other key raises when the stage touches it.
    ``--dataset NAME [--generator NAME]`` runs it for one cell of the grid (``grid/dvc.yaml``).
    ``params.compute.threads`` reaches ``main`` as a number, and every BLAS and OpenMP pool is capped at it.
    """
    stage = sys.modules["__main__"].__spec__.name.rpartition(".")[2]
    parser = argparse.ArgumentParser(
        description=sys.modules["__main__"].__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", help="a name in params.yaml: grid.datasets (a grid cell)")
    parser.add_argument("--generator", help="a name in params.yaml: grid.generators (a grid cell)")
    args = parser.parse_args()
    started = time.perf_counter()
    with MemoryWatch() as watch:
        try:
            progress_mode()  # a bad SYNTHPROOF_PROGRESS stops the stage here, in one line
            params = load_params()
            if args.dataset:
                params = params.in_grid(args.dataset, args.generator)
            elif args.generator:
                raise SynthproofError(
                    "--generator needs --dataset (a grid cell is a dataset and a generator)"
                )
            threads = resolve_threads(params.compute.threads)
            limit_threads(threads)  # BLAS and OpenMP pools; stages pass the number to LightGBM themselves
            params = dataclasses.replace(params, compute=dataclasses.replace(params.compute, threads=threads))
            for _key, path in params.paths.items():  # no write may leave the repository through a link
                confined(path)
            done = main(restricted(params, declared, stage))
        except SynthproofError as error:
            if isinstance(error, OutsideRepositoryError) and "params" in locals():  # name its param
                key = params.paths.key_of(error.path)
                error = f"{key} is {error.path!r}: {error}" if key else error
            print(f"error: {error}", file=sys.stderr)
            sys.exit(1)
        seconds = time.perf_counter() - started
    if hasattr(params.paths.cost, stage):  # the pipeline's stages (not the grid's tabulate)
        write_json({**stage_cost(stage, seconds, watch), **_COST}, getattr(params.paths.cost, stage))
    print(f"{stage}: {done} ({seconds:.0f} s)", file=sys.stderr, flush=True)


# What varies from run to run (or machine to machine) and so is no result: a result file holds none of it
COST_FIGURE = re.compile(r"(_seconds|seconds_per_epoch|_memory_mb|_threads)$")
_COST: dict = {}  # what the stage adds to its cost file (record_cost, cost_apart)


def record_cost(figures: dict) -> None:
    """Add ``figures`` (the stage's own timings, a leaderboard's fit seconds) to the stage's cost file
    (``paths.cost.<stage>``), beside :func:`stage_cost`'s: never to a result file, so that two runs with
    one seed write the same bytes."""
    _COST.update(figures)


def cost_apart(result: dict) -> dict:
    """``result`` without its seconds, memory and threads figures (:data:`COST_FIGURE`), which go to the
    stage's cost file instead (:func:`record_cost`)."""
    record_cost({key: value for key, value in result.items() if COST_FIGURE.search(key)})
    return {key: value for key, value in result.items() if not COST_FIGURE.search(key)}


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MB (what the stage cost, imports included).

    Linux's ``VmHWM``: ``ru_maxrss`` survives ``exec``, so under DVC (or a bench) it starts at the peak of
    the process that launched the stage."""
    peak_kb = _status_kb("self", "VmHWM")
    if peak_kb is None:
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: kilobytes
    return round(peak_kb / 1024, 1)


def _status_kb(pid: str, field: str) -> int | None:
    """A memory figure of ``/proc/<pid>/status``, in kB; None where there is none (not Linux, gone)."""
    try:
        found = re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return int(found.group(1)) if found else None


class MemoryWatch:
    """The peak of this process's workers' (joblib's loky processes, and theirs) resident memory together,
    and of this process's and its workers' together, sampled every ``interval`` seconds on a thread."""

    def __init__(self, interval: float = 0.2):
        self.peak_bytes, self.total_peak_bytes, self.interval = 0, 0, interval
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def peak_mb(self) -> float:
        return round(self.peak_bytes / 2**20, 1)

    @property
    def total_peak_mb(self) -> float:
        """The stage's and its workers' memory at the same moment: at least the larger of the two peaks
        (a sample can miss a short peak), at most their sum (the kernel updates its resident-memory counters
        a few pages late, which put a sample 0.1-0.3 MB above the sum in 2 of 5 test runs)."""
        own = peak_memory_mb()
        sampled = max(round(self.total_peak_bytes / 2**20, 1), self.peak_mb, own)
        return min(sampled, round(self.peak_mb + own, 1))

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        workers = 0
        for child in self._process.children(recursive=True):
            with contextlib.suppress(psutil.Error):  # a worker that ended between the listing and now
                workers += child.memory_info().rss
        self.peak_bytes = max(self.peak_bytes, workers)
        self.total_peak_bytes = max(self.total_peak_bytes, workers + self._process.memory_info().rss)


def stage_cost(stage: str, seconds: float, watch: MemoryWatch) -> dict:
    """The stage's wall seconds (``<stage>_stage_seconds``: a stage's ``<stage>_seconds``, which
    :func:`record_cost` adds, times its work alone), its own peak memory, its workers' peak together (0
    without any), and the peak of the stage and its workers at once (what the machine must hold)."""
    return {
        f"{stage}_stage_seconds": round(seconds, 1),  # the whole stage: imports, reading and writing too
        f"{stage}_peak_memory_mb": peak_memory_mb(),
        f"{stage}_workers_peak_memory_mb": watch.peak_mb,
        f"{stage}_total_peak_memory_mb": watch.total_peak_mb,
    }
