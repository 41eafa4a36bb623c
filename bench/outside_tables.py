"""A synthetic census table made outside this project, judged by params only, beside our own generators.

In a clone of this repository (its committed state; census, the embedded default, default params): split
here; SDV's GaussianCopulaSynthesizer (sdv 2.0.0, in a virtual environment of its own: bench/.venvs/sdv,
created once with torch held at 2.13.0; it needs the package index) trains on data/split/train.parquet and
samples as many rows, called directly, not through our wrapper; then ``dvc exp run`` judges that file as
``generator.name=provided`` (with the training part's fingerprint), and our own ``gaussian_copula`` on the
same split. Prints and writes JSON: each table's gate lines and headline figures, beside the committed
CTGAN run's (no timings: this measures what the gate says, not how fast).

    python bench/outside_tables.py [--out bench/results/outside_tables.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from _reference_venv import reference_python

ROOT = Path(__file__).resolve().parents[1]
SDV = ["sdv==2.0.0", "pyarrow", "torch==2.13.0"]  # torch pinned: any other spec pulls a CUDA build
HEADLINES = {
    "discriminate": ["discriminator_auc", "floor_auc"],
    "fidelity": ["quality_score"],
    "privacy": [
        "dcr_share",
        "exact_copy_share",
        "singling_out_risk",
        "linkability_risk",
        "inference_risk_max",
    ],
    "compare": ["ratio_accuracy", "ratio_mcc"],
}
# Runs in SDV's venv: its own metadata detection and defaults, one seed for numpy and torch.
SDV_SCRIPT = """
import sys, numpy, torch, pandas as pd
from sdv.metadata import Metadata
from sdv.single_table import GaussianCopulaSynthesizer
numpy.random.seed(0); torch.manual_seed(0)
train = pd.read_parquet(sys.argv[1])
synthesizer = GaussianCopulaSynthesizer(Metadata.detect_from_dataframes({"census": train}))
synthesizer.fit({"census": train})  # sdv 2.0 takes a table by name
synthetic = synthesizer.sample(num_rows=len(train))
synthetic = synthetic["census"] if isinstance(synthetic, dict) else synthetic
synthetic.to_parquet(sys.argv[2], index=False)
"""


def run(*args, cwd: Path, codes=(0,)) -> str:
    env = {key: value for key, value in os.environ.items() if key != "SYNTHPROOF_DATA_DIR"}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode not in codes:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def judged(repo: Path) -> dict:
    # the gate's own exit codes: pass, fail, inconclusive
    gate = run(sys.executable, "-m", "synthproof.gate", cwd=repo, codes=(0, 1, 3)).strip().splitlines()
    figures = {}
    for stage, keys in HEADLINES.items():
        metrics = json.loads((repo / "metrics" / f"{stage}.json").read_text())
        figures |= {key: metrics.get(key) for key in keys}
    return {"gate": gate, "figures": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench/results/outside_tables.json"))
    args = parser.parse_args()
    sdv_python = reference_python("sdv", SDV)
    dvc = [sys.executable, "-m", "dvc"]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        run("git", "clone", "-q", str(ROOT), str(repo), cwd=ROOT)
        results["ctgan (committed run)"] = judged(repo)
        run(*dvc, "repro", "split", cwd=repo)
        fingerprint = json.loads((repo / "metrics/details/split.json").read_text())["train_fingerprint"]
        (repo / "vendor").mkdir()
        run(str(sdv_python), "-c", SDV_SCRIPT, "data/split/train.parquet", "vendor/sdv.parquet", cwd=repo)
        cells = {
            "sdv GaussianCopulaSynthesizer (provided)": [
                "generator.name=provided",
                "generator.provided.source=vendor/sdv.parquet",
                f"generator.provided.trained_on={fingerprint}",
            ],
            "gaussian_copula (ours)": ["generator.name=gaussian_copula"],
        }
        for name, settings in cells.items():
            run(*dvc, "exp", "run", *[arg for s in settings for arg in ("-S", s)], cwd=repo)
            results[name] = judged(repo)
    text = json.dumps(results, indent=2)
    Path(args.out).write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
