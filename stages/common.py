"""What every stage script shares: loading params.yaml, holding a stage to the params it declares, and
turning bad input into one line."""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from collections.abc import Callable

from synthproof.compute import limit_threads, resolve_threads
from synthproof.config import Params, load_params, restricted
from synthproof.errors import SynthproofError
from synthproof.io import write_json
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
    try:
        progress_mode()  # a bad SYNTHPROOF_PROGRESS stops the stage here, in one line
        params = load_params()
        if args.dataset:
            params = params.in_grid(args.dataset, args.generator)
        elif args.generator:
            raise SynthproofError("--generator needs --dataset (a grid cell is a dataset and a generator)")
        threads = resolve_threads(params.compute.threads)
        limit_threads(threads)  # BLAS and OpenMP pools; stages pass the number to LightGBM themselves
        params = dataclasses.replace(params, compute=dataclasses.replace(params.compute, threads=threads))
        done = main(restricted(params, declared, stage))
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    seconds = time.perf_counter() - started
    write_json(stage_cost(stage, seconds), getattr(params.paths.cost, stage))
    print(f"{stage}: {done} ({seconds:.0f} s)", file=sys.stderr, flush=True)


def peak_memory_mb() -> float:
    """This process's peak resident memory so far, in MB (what the stage cost, imports included)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: kilobytes


def stage_cost(stage: str, seconds: float) -> dict:
    """The stage's wall seconds, its peak memory and its largest worker's (joblib's loky processes,
    shut down first so that they count; 0 for a stage without workers)."""
    if "joblib" in sys.modules:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        f"{stage}_seconds": round(seconds, 1),
        f"{stage}_peak_memory_mb": peak_memory_mb(),
        f"{stage}_workers_peak_memory_mb": round(workers, 1),
    }
