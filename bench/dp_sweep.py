"""What TabularARGN's differential-privacy guarantee costs on census: the pipeline's own stages, by params
only, once without DP and once per epsilon cap, each table judged against the same holdout and the same
real-row references.

Training is ended by epsilon or by the engine's own early stop, never by the clock
(``generator.max_training_minutes: null``), so the figures do not depend on the machine's load: 5,000
census training rows, one thread, DP-SGD with ``noise_multiplier`` 1.0 and ``value_protection_epsilon``
0.25, the model comparison on ``lr``, ``rf``, ``lightgbm`` and ``dummy`` with 5 folds. Writes
``bench/results/dp_sweep.json`` (each case's metrics, by stage) and ``bench/results/dp_sweep.png``. Needs the
``tabular_argn`` extra (``requirements-mostly.txt``).

    python bench/dp_sweep.py [--caps 10 3 1]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from _bench_tables import write_results
from _repository import copy_repository, run_stage

from synthproof.config import Params
from synthproof.experiments import sweep_figure

PATHS = Params().paths  # where each stage writes (synthproof/config/paths.py)
REAL_STAGES = ["ingest", "split", "score_real"]  # once: the real rows and their references
CASE_STAGES = ["train", "sample", "discriminate", "fidelity", "privacy", "compare"]  # once per case
SETTINGS = {  # every case's params beside the defaults
    "generator": {"name": "tabular_argn", "max_rows": 5000, "max_training_minutes": None, "threads": 1},
    "compare": {"models": ["lr", "rf", "lightgbm", "dummy"], "folds": 5},
}
DP = {"noise_multiplier": 1.0, "value_protection_epsilon": 0.25}
FIGURE_METRICS = ["discriminator_auc", "ratio_mcc", "marginal_accuracy_trivariate", "membership_auc"]


def set_params(workdir: Path, cap: float | None) -> None:
    """The sweep's params, with DP capped at ``cap`` (None: no DP)."""
    params = yaml.safe_load((workdir / "params.yaml").read_text())
    for section, values in SETTINGS.items():
        params[section].update(values)
    dp = params["generator"]["tabular_argn"]["differential_privacy"]
    dp.update(DP, enabled=cap is not None, max_epsilon=cap)
    (workdir / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


def read_case(workdir: Path) -> dict:
    """Each stage's metrics file of the case just run."""
    stages = ["train", "discriminate", "fidelity", "privacy", "compare"]
    return {stage: json.loads((workdir / getattr(PATHS.metrics, stage)).read_text()) for stage in stages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--caps", type=float, nargs="+", default=[10.0, 3.0, 1.0], help="epsilon caps")
    args = parser.parse_args()
    cases: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="synthproof-dp-") as folder:
        workdir = Path(folder)
        copy_repository(workdir)
        set_params(workdir, None)
        for stage in REAL_STAGES:
            print(run_stage(workdir, stage, "census"), flush=True)
        for cap in [None, *args.caps]:
            set_params(workdir, cap)
            for stage in CASE_STAGES:
                print(run_stage(workdir, stage, f"max_epsilon {cap}"), flush=True)
            cases["none" if cap is None else f"{cap:g}"] = read_case(workdir)
    write_results("dp_sweep", {"settings": SETTINGS, "differential_privacy": DP, "cases": cases})
    rows = [
        {"experiment": name, "max_epsilon": name, **{m: _metric(case, m) for m in FIGURE_METRICS}}
        for name, case in cases.items()
    ]
    figure = sweep_figure(pd.DataFrame(rows), "max_epsilon", FIGURE_METRICS)
    figure.savefig(Path(__file__).resolve().parent / "results" / "dp_sweep.png", dpi=100)


def _metric(case: dict, name: str) -> float | None:
    return next((stage[name] for stage in case.values() if name in stage), None)


if __name__ == "__main__":
    main()
