"""Shared fixtures: the real census table embedded in the package (synthproof/datasets), and tiny frames
built in code. Nothing here reads outside the repository."""

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from synthproof import datasets
from synthproof.io import read_table

REPO = Path(__file__).resolve().parents[1]
CENSUS = datasets.CENSUS.path
CENSUS_SHA256 = datasets.CENSUS.sha256
BANK = datasets.BANK_MARKETING.path
BANK_SHA256 = datasets.BANK_MARKETING.sha256


@pytest.fixture(scope="session")
def census_path() -> Path:
    return CENSUS


@pytest.fixture(scope="session")
def census(census_path) -> pd.DataFrame:
    return read_table(census_path, na_values=["?"])


@pytest.fixture
def mixed_frame() -> pd.DataFrame:
    """200 rows of every kind the wrapper handles: ints, floats with NaN, a rare category, a bool,
    dates, a constant, an empty column, an ID and a binary target."""
    rng = np.random.default_rng(0)
    n = 200
    age = rng.integers(18, 90, n)
    income = np.round(rng.lognormal(10, 0.5, n), 2)
    income[rng.random(n) < 0.1] = np.nan
    colour = rng.choice(["red", "green", "blue"], n, p=[0.6, 0.3, 0.1]).astype(object)
    colour[:3] = "violet"  # a rare category
    colour[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "age": age,
            "income": income,
            "colour": colour,
            "member": rng.random(n) < 0.3,
            "joined": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "country": ["NZ"] * n,
            "note": [np.nan] * n,
            "customer_id": [f"C{i:05d}" for i in range(n)],
            "label": np.where(age + rng.normal(0, 10, n) > 50, "yes", "no"),
        }
    )


def needs_extra(generator: str):
    """Marks for a test of ``generator``: skipped where its optional extra is not installed, and marked
    ``extra`` when it has one (CI runs those again once it has installed every extra)."""
    import importlib.util

    from synthproof.config import EXTRA_GENERATORS
    from synthproof.generators import GENERATORS

    extra = EXTRA_GENERATORS.get(generator)
    try:
        missing = extra is not None and importlib.util.find_spec(GENERATORS[generator].module) is None
    except ModuleNotFoundError:  # its parent package (mostlyai) is not there either
        missing = True
    skip = pytest.mark.skipif(missing, reason=f"{generator}'s extra is not installed ({extra})")
    return [skip] if extra is None else [pytest.mark.extra, skip]


def small_table_with_a_key_like_number(rows: int = 480, seed: int = 0) -> pd.DataFrame:
    """A small table with a key-like number (an income with cents: every value distinct), a city that
    fixes its country, an age, a flag and a binary target that depends on the age."""
    rng = np.random.default_rng(seed)
    city = rng.choice(["Auckland", "Lyon", "Quito", "Porto"], rows, p=[0.4, 0.3, 0.2, 0.1])
    age = rng.integers(18, 90, rows)
    return pd.DataFrame(
        {
            "income": np.round(rng.lognormal(10, 0.6, rows), 2),
            "city": city,
            "country": pd.Series(city).map({"Auckland": "NZ", "Lyon": "FR", "Quito": "EC", "Porto": "PT"}),
            "age": age,
            "member": rng.random(rows) < 0.4,
            "label": np.where(age + rng.normal(0, 15, rows) > 50, "yes", "no"),
        }
    )


def wide_multiclass_table(rows: int = 5000, items: int = 134, seed: int = 0) -> pd.DataFrame:
    """A table shaped like the Gretel post's: ``items`` columns of item counts (a few with names as
    users write them), two categoricals and a four-class target with classes of 89.5%, 9%, 1.4% and
    0.16% of the rows (4474 / 449 / 69 / 8 of 5,000), which the first counts predict."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(rng.uniform(0.2, 3.0, items), size=(rows, items))
    names = [f"item_{i:03d}" for i in range(items)]
    names[:4] = ["label", "index", "größe (cm)", "a rather long column name of the kind people write"]
    table = pd.DataFrame(counts, columns=names)
    table["store"] = rng.choice(["north", "south", "east", "west", "online"], rows)
    table["segment"] = rng.choice([f"s{i}" for i in range(12)], rows)
    signal = counts[:, 4] + counts[:, 5] - counts[:, 6] + rng.normal(0, 0.5, rows)
    order = np.argsort(-signal, kind="stable")  # the highest signal, the rarest class
    sizes = np.round(np.array([0.0016, 0.0138, 0.0898]) * rows).astype(int)
    target = np.full(rows, "common", dtype=object)
    for name, start, end in zip(("rarest", "rare", "uncommon"), np.cumsum([0, *sizes[:-1]]), np.cumsum(sizes),
                                strict=True):  # fmt: skip
        target[order[start:end]] = name
    table["segment_class"] = target
    return table


def schema_of(target: str, categorical: list[str], ordered: list[str]):
    """A schema with these categorical and numeric columns (the evaluators read no more of it)."""
    from synthproof.schema import CATEGORICAL, NUMERIC, Column, Schema

    kinds = [(c, CATEGORICAL) for c in categorical] + [(c, NUMERIC) for c in ordered]
    return Schema(target, 0, [Column(name, kind, "", 0, 0, "inferred") for name, kind in kinds])


def disjoint_census(census: pd.DataFrame, sizes: tuple[int, ...], seed: int):
    """Disjoint random samples of real census rows of the given sizes, with the categorical and the
    numeric column names."""
    from synthproof.schema import prepare_table

    table, schema, _ = prepare_table(census, "income")
    shuffled = table.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    bounds = np.cumsum((0, *sizes))
    parts = [shuffled.iloc[start:end].reset_index(drop=True) for start, end in itertools.pairwise(bounds)]
    return parts, schema.names("categorical"), schema.names("numeric")


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium's path: the report and offline-plot tests render pages in it."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed: `apt-get install chromium` (Debian); CI installs it")
    return path


def render_dom(chromium: str, page: Path, wait_ms: int = 5000) -> str:
    """The DOM of ``page`` after headless Chromium has loaded it and run its scripts for ``wait_ms``."""
    import subprocess

    result = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
         f"--virtual-time-budget={wait_ms}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def decoded_images(chromium: str, page: Path) -> int:
    """How many of ``page``'s images headless Chromium decodes: a script added to a copy of the page
    counts them into its title."""
    counter = "[...document.images].filter(i => i.complete && i.naturalWidth > 0).length"
    probe = page.with_name(f"probe-{page.name}")
    script = f"<script>document.title = 'decoded:' + {counter}</script>"
    probe.write_text(page.read_text().replace("</body>", f"{script}</body>"))
    dom = render_dom(chromium, probe)
    probe.unlink()
    return int(dom.split("<title>decoded:", 1)[1].split("<", 1)[0])


# Hostile inputs (issue 47), shared by the tests of reading, of the stages that read tables, and of memory.


def one_line(error) -> str:
    """The message of a raised ``SynthproofError`` (``pytest.raises``' ``ExceptionInfo``), checked to be one
    line, not blank, with no space around it and no internals (:func:`plain`)."""
    text = str(error.value)
    assert "\n" not in text and text.strip() == text and text
    return plain(text)


def far_sheet(path: Path, cell: str = "XFD1048576") -> Path:
    """A small sheet with one more value at ``cell``: pandas pads every row to it (5.6 GB at XFD1048576)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["a", "b", "label"])
    for i in range(150):
        sheet.append([i, i * 2, "yes" if i % 2 else "no"])
    sheet[cell] = 1
    book.save(path)
    return path


def wide_csv(path: Path, columns: int = 10_001, rows: int = 300) -> Path:
    """A CSV of ``rows`` x ``columns`` ones under the header ``c0,c1,...`` (300 x 10,001 ran train for 400+ s
    without a word)."""
    row = ",".join(["1"] * columns)
    path.write_text(",".join(f"c{i}" for i in range(columns)) + "\n" + "\n".join([row] * rows) + "\n")
    return path


# What a user reads never shows the program's insides (issue 45): an object's default repr, an address, a
# dataclass or path repr, a traceback. A message of a run in a temporary repository names its files as the
# params do, relative, never a temporary folder outside it.
INTERNALS = re.compile(
    r"<object|<class '|<function |<module | at 0x|\b0x[0-9a-fA-F]{6,}|Traceback|"
    r"\b(?:Params|Paths|PosixPath|WindowsPath|TableLimits)\(|\b[A-Z]\w*\([a-z_]\w*="
)
_ABSOLUTE = re.compile(r"(?:^|(?<=[\s'\"(\[=]))/[^\s'\"()\[\],;]+")


def plain(message: str, repo: Path | None = None, allowed: tuple[Path, ...] = ()) -> str:
    """``message``, checked to show no internals (``INTERNALS``); with ``repo``, every absolute path in it
    lies inside ``repo`` or one of ``allowed`` (where a message must name a place outside: a link's end)."""
    found = INTERNALS.search(message)
    assert found is None, f"{found.group()!r} in a user-facing message: {message}"
    if repo is not None:
        roots = [str(Path(root).resolve()) for root in (repo, *allowed)]
        for path in _ABSOLUTE.findall(message):
            resolved = str(Path(path).resolve())
            assert any(resolved == r or resolved.startswith(r + "/") for r in roots), (
                f"{path} (outside the repository) in a user-facing message: {message}"
            )
    return message


@dataclass
class StageRun:
    """A stage's run in a subprocess: its exit code, its stderr, and its peak memory (the most resident
    memory it and the children it waited for held, from the kernel's own count: ``wait4``)."""

    returncode: int
    stderr: str
    peak_mb: float

    @property
    def error(self) -> str:
        """The one line a failed stage ends with (``error: ...``), checked to be its whole stderr."""
        assert self.returncode == 1 and self.stderr.startswith("error: "), self.stderr[-3000:]
        assert self.stderr.count("\n") == 1, self.stderr[-3000:]
        return self.stderr.removeprefix("error: ").removesuffix("\n")


def run_stage(
    repo: Path,
    stage: str,
    params: dict,
    address_space: int | None = None,
    timeout: float = 120,
    env: dict[str, str] | None = None,
) -> StageRun:
    """``python -m stages.<stage>`` in ``repo`` (a folder holding its inputs, not a copy of the project:
    the code is imported from here) with ``params`` as its params.yaml; ``address_space`` caps the child's
    virtual memory (``RLIMIT_AS``, bytes): past it, an allocation fails instead of the machine swapping.
    ``env`` adds to its environment. The child is reaped with ``os.wait4``, which gives its own peak
    memory (``ru_maxrss``), not the largest of every child this test process ever ran
    (``RUSAGE_CHILDREN``)."""
    import os
    import resource
    import subprocess
    import sys
    import tempfile
    import threading

    import yaml

    (repo / "params.yaml").write_text(yaml.safe_dump(params))

    def cap():
        if address_space is not None:
            resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    env = {
        **{key: value for key, value in os.environ.items() if key != "SYNTHPROOF_DATA_DIR"},
        "PYTHONPATH": str(REPO),
        "SYNTHPROOF_PROGRESS": "off",
        **(env or {}),
    }
    with tempfile.TemporaryFile("w+") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", f"stages.{stage}"],
            cwd=repo,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            preexec_fn=cap,
        )
        killed = threading.Event()
        timer = threading.Timer(timeout, lambda: (killed.set(), process.kill()))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        assert not killed.is_set(), f"stage {stage} ran past {timeout} s"
        stderr.seek(0)
        text = stderr.read()
    return StageRun(process.returncode, text, usage.ru_maxrss / 1024)  # Linux counts kilobytes


def with_interval(name, value, half):
    """A figure with its 95% interval, ``half`` either side, as a metrics file holds it."""
    return {name: value, f"{name}_low": round(value - half, 4), f"{name}_high": round(value + half, 4)}


def gate_metrics(auc_above_floor=0.1, ratio_accuracy=0.97, ratio_mcc=0.9, dcr_share=0.5, copies_above=0.0,
            trtr_mcc=0.5, half=0.005, attack_risk=0.02, near_above=0.0, unseen_above=0.0):  # fmt: skip
    return {
        "discriminate": {
            **with_interval("auc_above_floor", auc_above_floor, half),
            "floor_auc": 0.51,
            **with_interval("unseen_pair_share_above_holdout", unseen_above, 0.002),
            "holdout_unseen_pair_share": 0.03,
        },
        "compare": {
            **with_interval("ratio_accuracy", ratio_accuracy, half),
            **with_interval("ratio_mcc", ratio_mcc, half),
            **with_interval("trtr_mcc", trtr_mcc, half),
            "trtr_accuracy": 0.85,
        },
        "privacy": {
            **with_interval("dcr_share", dcr_share, half),
            **with_interval("exact_copy_share_above_holdout", copies_above, half),
            "holdout_exact_copy_share": 0.27,
            "real_exact_copy_share": 0.26,
            **with_interval("near_copy_share_above_holdout", near_above, 0.002),
            "holdout_near_copy_share": 0.01,
            "real_near_copy_share": 0.011,
            **with_interval("singling_out_risk", attack_risk, half),
            **with_interval("singling_out_univariate_risk", attack_risk, half),
            **with_interval("linkability_risk", attack_risk, half),
            **with_interval("inference_risk_max", attack_risk, half),
            **with_interval("membership_auc", 0.5 + attack_risk, half),
        },
    }


def write_prepared_table(frame: pd.DataFrame, target: str, table_path: str) -> pd.DataFrame:
    """``frame`` as ingest leaves it, at ``table_path`` (the raw table or the training part), with its
    schema at params' schema path, as a stage that reads them finds them (in the current folder)."""
    from synthproof.config import Params
    from synthproof.io import write_json
    from synthproof.schema import prepare_table

    table, schema, _ = prepare_table(frame, target)
    Path(table_path).parent.mkdir(parents=True, exist_ok=True)
    table.to_parquet(table_path, index=False)
    write_json(schema.to_dict(), Params().paths.schema)
    return table


# The pipeline in a temporary repository (the integration tier): its files, its stages, the tiny params.
TRACKED = [
    "dvc.yaml",
    "grid/dvc.yaml",
    "grid/.dvc/config",  # grid/ is a DVC subrepo
    "grid/.dvc/.gitignore",
    "grid/.dvcignore",
    "params.yaml",
    "stages",
    "synthproof",
    ".dvc/config",
    ".dvc/offline_plots.html",
    ".dvc/plots",
    ".dvcignore",
    ".gitignore",
]
STAGES = {
    "ingest",
    "split",
    "train",
    "sample",
    "score_real",
    "discriminate",
    "fidelity",
    "privacy",
    "compare",
    "report",
}
# What a generator change reruns: everything but the split and the real rows' own scores (the references).
GENERATOR_STAGES = STAGES - {"ingest", "split", "score_real"}


def sh(*args, cwd, check=True, env=None):
    env = {
        **os.environ,
        **(env or {}),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("SYNTHPROOF_DATA_DIR", None)
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def dvc(*args, cwd, check=True, env=None):
    return sh(sys.executable, "-m", "dvc", *args, cwd=cwd, check=check, env=env)


def copy_repo(dest: Path, source: Path | None = None, **overrides) -> Path:
    """A git repository at ``dest`` with the pipeline's tracked files (the embedded tables among them) and
    the tiny params; ``source`` replaces the default input (the embedded census, by its relative path)."""
    for name in TRACKED:
        tracked = REPO / name
        if tracked.is_dir():
            shutil.copytree(tracked, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(tracked, dest / name)
    tiny = {
        "generator__epochs": 2,
        "generator__max_rows": 2000,
        "sample__rows": 3000,
        "compare__models": ["lr", "dt", "lightgbm", "qda", "dummy"],
        "compare__folds": 3,
        # the evaluators' row budgets, scaled to the tiny run (the default census holdout has 9,769 rows):
        # every stage still runs all its code, on fewer rows
        "compare__max_rows": 4000,
        "discriminate__max_rows": 5000,
        "fidelity__coverage__max_rows": 2000,
        "fidelity__coverage__max_real_rows": 5000,
        "fidelity__accuracy__max_rows": 5000,
        "fidelity__accuracy__rounds": 10,
        "privacy__dcr__max_rows": 5000,
        "privacy__n_attacks": 500,
        "privacy__n_targets": 2000,
        "privacy__membership__n_targets": 1000,
    }
    if source is not None:
        tiny["ingest__source"] = str(source)  # absolute: also right from DVC's temp copies
    set_params(dest, **{**tiny, **overrides})
    sh("git", "init", "-q", cwd=dest)
    sh("git", "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A", cwd=dest)
    sh("git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init", cwd=dest)
    return dest


def set_params(repo: Path, **overrides) -> None:
    """Set keys of ``repo``'s params.yaml, each written ``section__key`` (``generator__epochs=2``)."""
    params = yaml.safe_load((repo / "params.yaml").read_text())
    for dotted, value in overrides.items():
        *parents, key = dotted.split("__")
        node = params
        for parent in parents:
            node = node[parent]
        node[key] = value
    (repo / "params.yaml").write_text(yaml.safe_dump(params, sort_keys=False))


def ran_stages(output: str) -> set[str]:
    return {line.split("'")[1] for line in output.splitlines() if line.startswith("Running stage")}


def read_metrics(repo, stage):
    """A stage's tidy metrics in a pipeline repository."""
    return json.loads((repo / "metrics" / f"{stage}.json").read_text())


def read_details(repo, stage):
    """A stage's whole result (its details file)."""
    return json.loads((repo / "metrics" / "details" / f"{stage}.json").read_text())


# What `dvc exp show --json` gives for a sweep (the experiments table and plot read it).
def entry(name, params, metrics):
    return {
        "rev": f"{name:0<40}"[:40],
        "name": name,
        "data": {
            "params": {"params.yaml": {"data": params}},
            "metrics": {f"metrics/{stage}.json": {"data": values} for stage, values in metrics.items()},
        },
    }


def exp_show(runs):
    experiments = [
        {"revs": [entry(f"exp-{i}", {"seed": seed, "generator": {"name": "cart", "max_rows": rows},
                                     "paths": {"raw": f"x{i}"}},
                        {"discriminate": {"discriminator_auc": auc, "floor_auc": 0.5},
                         "fidelity": {"quality_score": 90.0 + i, "columns": {"a": 1}}})]}
        for i, (seed, rows, auc) in enumerate(runs)
    ]  # fmt: skip
    workspace = {"rev": "workspace", "data": {"params": {}, "metrics": {}}}
    baseline = {**entry("main", {"seed": 1}, {}), "experiments": experiments}
    return [workspace, baseline]


RUNS = [(1, 1000, 0.80), (2, 1000, 0.84), (1, 5000, 0.70), (2, 5000, 0.72)]


def every_file(node) -> list[str]:
    """Every file the main pipeline writes (synthproof/config/paths.py, the grid's own aside)."""
    files = []
    for name, value in vars(node).items():
        if isinstance(value, str):
            files.append(value)
        elif name != "grid":
            files += every_file(value)
    return files
