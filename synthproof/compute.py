"""Where and how wide evaluation runs: the threads of a stage's process, and where the compare stage's
(model, fold) fits run (joblib's own processes, or a Dask or Ray cluster).

The backend is a joblib backend, set only around that loop (ctgan's transformer also uses joblib and
stays local). Both live in ``params.yaml: compute``, which no stage lists as a DVC param: moving the
same work to a cluster or to more threads must not invalidate cached results, and gives the same figures
(LightGBM's ``deterministic`` mode gives the same bits with 1 and 2 threads; tests/test_compute.py).
Torch is the exception: its losses' last bits depend on its thread count, which is therefore a generator
param (``generator.threads``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from joblib import parallel_config
from joblib.externals.loky import get_reusable_executor
from joblib.parallel import get_active_backend
from threadpoolctl import threadpool_limits

from synthproof.errors import SynthproofError

BACKENDS = ("loky", "dask", "ray")
EXTRA = "pip install -r requirements-cluster.txt"
# joblib backends on this machine, which take a lazy generator of tasks (a cluster's may deadlock on one)
LAZY_BACKENDS = {"LokyBackend", "SequentialBackend", "MultiprocessingBackend", "ThreadingBackend"}


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers and taskset narrow)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def resolve_threads(setting: int | str) -> int:
    """``compute.threads`` as a number: ``auto`` is :func:`usable_cores`."""
    return usable_cores() if setting == "auto" else int(setting)


def limit_threads(threads: int) -> None:
    """Cap every BLAS and OpenMP pool of this process at ``threads`` from here on."""
    threadpool_limits(limits=threads)


@contextlib.contextmanager
def backend(name: str = "loky", address: str | None = None, timeout_seconds: float = 10) -> Iterator[None]:
    """Run the joblib ``Parallel`` calls inside this block on ``name``'s workers.

    ``dask`` connects to the scheduler at ``address`` (``tcp://host:8786``); ``ray`` joins the cluster at
    ``address`` (``auto`` or ``ray://host:10001``). An unreachable address is an error, never a silent
    local run.
    """
    if name == "loky":
        yield
    elif name == "dask":
        with _dask_client(address, timeout_seconds), parallel_config(backend="dask"):
            yield
    elif name == "ray":
        with _ray_cluster(address), parallel_config(backend="ray"):
            yield
    else:
        raise SynthproofError(f"compute.backend must be one of {list(BACKENDS)}, got {name!r}")


@contextlib.contextmanager
def _dask_client(address: str | None, timeout_seconds: float) -> Iterator[None]:
    try:
        from distributed import Client  # dask.distributed re-exports it from here
    except ImportError:
        raise SynthproofError(f"compute.backend dask needs dask.distributed: {EXTRA}") from None
    if not address:
        raise SynthproofError("compute.backend dask needs compute.address, the scheduler (tcp://host:8786)")
    try:
        client = Client(address, timeout=f"{timeout_seconds}s")
    except (OSError, TimeoutError) as error:
        raise SynthproofError(
            f"compute.address {address!r}: no Dask scheduler answered ({type(error).__name__}): start one "
            "there, or set compute.backend: loky"
        ) from None
    with client:
        yield


@contextlib.contextmanager
def _ray_cluster(address: str | None) -> Iterator[None]:
    try:
        import ray
        from ray.util.joblib import register_ray
    except ImportError:
        raise SynthproofError(f"compute.backend ray needs ray: {EXTRA}") from None
    if not address:
        raise SynthproofError("compute.backend ray needs compute.address (auto, or ray://host:10001)")
    try:
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise SynthproofError(f"compute.address {address!r}: cannot join the Ray cluster ({error})") from None
    register_ray()
    try:
        yield
    finally:
        ray.shutdown()


def release_local_workers() -> None:
    """Stop joblib's local (loky) worker processes, where they are the backend. loky keeps them idle for
    five minutes with the memory they hold (0.5 GB after a 300,000-row table's leaderboard), which a
    stage's refit, its largest single step, would run beside. A process that runs one leaderboard (a
    stage) loses nothing; one that runs many (the tests) would start new workers each time."""
    if backend_name() == "LokyBackend":
        get_reusable_executor().shutdown(wait=True)


def backend_name() -> str:
    """The class name of joblib's active backend (``LokyBackend``, Dask's, Ray's, ...)."""
    return type(get_active_backend()[0]).__name__
