"""The docs' tables of the benches against outside judges, rendered from the committed
``bench/results/*.json`` (``tools/docs.py`` registers them): no figure of a bench is typed into a page. Each
renderer takes the ``tools.docs.Results`` every renderer takes (its ``root``; the committed run's
``metrics`` and ``cost``, read once for all the pages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from synthproof.generators.wrapper import SAMPLE_CHUNK_ROWS

RESULTS = Path("bench/results")
MISSING = "(not in the committed metrics)"  # what a page says of a figure its results file lacks


def _read(results, name: str) -> dict:
    """A bench's committed results (a missing file fails the render, as every results file does)."""
    return json.loads((results.root / RESULTS / f"{name}.json").read_text())


def _interval(value: float, bounds: list[float], digits: int = 4) -> str:
    return f"{value:.{digits}f} [{bounds[0]:.{digits}f}, {bounds[1]:.{digits}f}]"


def _share(share: float) -> str:
    return "0" if share == 0 else f"{100 * share:.3g}%"


def span(values, digits: int = 1) -> str:
    """``low-high`` of ``values`` (a list or a pandas Series), or the one value when they round alike."""
    low, high = f"{min(values):.{digits}f}", f"{max(values):.{digits}f}"
    return low if low == high else f"{low}-{high}"


def quoted_names(items) -> str:
    """``items`` quoted as code: `a`, `b` and `c`."""
    quoted = [f"`{item}`" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def quality_vs_mostlyai_qa(results) -> str:
    """docs/generators.md: our figures beside mostlyai-qa's report, per generator on census (block)."""
    found = _read(results, "quality_vs_mostlyai_qa")
    cells = sorted(found["census"].items(), key=lambda item: -item[1]["ours"]["quality"])
    ours, theirs = cells[0][1]["ours"], cells[0][1]["mostlyai_qa"]
    lines = [
        f"| generator | our quality (ceiling {ours['quality_ceiling']:.2f}) | its accuracy (ceiling "
        f"{theirs['accuracy_ceiling']:.3f}) | our discriminator AUC (floor "
        f"{ours['discriminator_auc_floor']:.3f}) "
        f"| its AUC (floor {theirs['discriminator_auc_floor']:.3g}) | our DCR share [95%] | its DCR share "
        "| exact copies | our / its seconds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for generator, cell in cells:
        ours, theirs = cell["ours"], cell["mostlyai_qa"]
        lines.append(
            f"| `{generator}` | {ours['quality']:.2f} | {theirs['accuracy']:.3f} | "
            f"{ours['discriminator_auc']:.3f} | {theirs['discriminator_auc']:.3f} | "
            f"{_interval(ours['dcr_share'], ours['dcr_share_interval'])} | {theirs['dcr_share']:.3f} | "
            f"{_share(ours['exact_copy_share'])} | {ours['seconds']:.1f} / {theirs['seconds']:.1f} |"
        )
    seconds = (
        [cell["ours"]["seconds"] for _, cell in cells],
        [cell["mostlyai_qa"]["seconds"] for _, cell in cells],
    )
    lines += [
        "",
        f"Our figures took {span(seconds[0])} s per table on one thread; its report {span(seconds[1])} s "
        "(its embedding model and HTML).",
    ]
    return "\n".join(lines)


def _same_order(cells: list, ours: str, theirs: str) -> bool:
    def order(side: str, name: str) -> list[str]:
        return [g for g, _ in sorted(cells, key=lambda item: item[1][side][name])]

    return order("ours", ours) == order("mostlyai_qa", theirs)


def quality_vs_mostlyai_qa_reading(results) -> str:
    """docs/generators.md: where the two judges agree and where they part, from the same results (block)."""
    found = _read(results, "quality_vs_mostlyai_qa")["census"]
    cells = list(found.items())
    auc_gap = max(
        abs(c["ours"]["discriminator_auc"] - c["mostlyai_qa"]["discriminator_auc"]) for _, c in cells
    )
    copies, cart = found["resample"], found["cart"]
    clean = {g: c for g, c in cells if c["ours"]["exact_copy_share"] == 0}  # not one training row copied
    clean_dcr = {
        side: span([c[side]["dcr_share"] for c in clean.values()], 3) for side in ("ours", "mostlyai_qa")
    }
    order = {True: "the same order", False: "different orders"}
    fidelity_order = order[_same_order(cells, "quality", "accuracy")]
    auc_order = order[_same_order(cells, "discriminator_auc", "discriminator_auc")]
    return "\n".join(
        [
            f"The two judges rank the {len(cells)} generators in {fidelity_order} on fidelity (our quality "
            f"against its accuracy) and in {auc_order} on the discriminator (within {auc_gap:.2f} AUC of "
            "each other: LightGBM on the columns against its classifier on each row's text embedding). "
            "Where they part on the DCR share:",
            "",
            f"- Copies (`resample`): ours {copies['ours']['dcr_share']:.4f} (every synthetic row is a "
            "training row, so nearly all are closer to training than to the holdout), its "
            f"{copies['mostlyai_qa']['dcr_share']:.3f}. mostlyai-qa first subsamples the training rows "
            "to the holdout's size: only the copies whose source survives the subsample still find it, "
            "and the rest split evenly between the two sides. Ours searches every training row and "
            "adjusts for the sizes instead, so a table of copies reads as one.",
            f"- Generators that copy no row ({quoted_names(clean)}): its {clean_dcr['mostlyai_qa']} "
            f"against our {clean_dcr['ours']}. It reports the highest share over several column groups, "
            "a maximum of noisy shares, which is biased upward; ours has an interval.",
            f"- `cart` (every value a real one, {_share(cart['ours']['exact_copy_share'])} whole-row "
            "copies): ours "
            f"{_interval(cart['ours']['dcr_share'], cart['ours']['dcr_share_interval'], 3)}, its "
            f"{cart['mostlyai_qa']['dcr_share']:.3f}.",
        ]
    )


ACCURACY_PARTS = ("accuracy", "univariate", "bivariate", "trivariate")


def accuracy_vs_mostlyai_qa(results) -> str:
    """docs/evaluation.md: our accuracy (columns, pairs, triples) beside mostlyai-qa's on census (block)."""
    found = _read(results, "accuracy_vs_mostlyai_qa")
    lines = [
        "| table | accuracy | univariate | bivariate | trivariate [our 95% interval] "
        "| trivariate gap (points) |",
        "|---|---|---|---|---|---|",
    ]
    gaps, inside, seconds = [], 0, []
    for table, cell in found["census"].items():
        ours, theirs = cell["ours"], cell["mostlyai_qa"]
        shown = []
        for part in ACCURACY_PARTS:
            key = "accuracy" if part == "accuracy" else f"accuracy_{part}"
            low, high = ours[f"{key}_interval"]
            inside += low <= theirs[part] <= high
            figure = (
                _interval(ours[key], ours[f"{key}_interval"]) if part == "trivariate" else f"{ours[key]:.4f}"
            )
            shown.append(f"{figure} / {theirs[part]:.4f}")
        gaps += [abs(cell["difference_points"][part]) for part in ACCURACY_PARTS]
        seconds.append(ours["seconds"])
        label = table if table == "holdout" else f"`{table}`"
        lines.append(f"| {label} | {' | '.join(shown)} | {cell['difference_points']['trivariate']:.2f} |")
    n = len(found["census"]) * len(ACCURACY_PARTS)
    lines += [
        "",
        f"- **Agreement.** Every figure is within {max(gaps):.2f} points of mostlyai-qa's; {inside} of its "
        f"{n} figures lie inside our 95% interval.",
        f"- **Speed.** Our figures took {span(seconds)} s per table, with a 50-round bootstrap for the "
        "intervals.",
    ]
    return "\n".join(lines)


COVERAGE_LABELS = {"holdout": "holdout (real rows never seen)", "resample": "`resample` (copies)"}


def coverage_vs_synthcity(results) -> str:
    """docs/evaluation.md: alpha-precision, beta-recall and authenticity beside synthcity's code (block)."""
    found = _read(results, "coverage_vs_synthcity")
    lines = ["| table | alpha-precision | beta-recall | authenticity |", "|---|---|---|---|"]
    for table, cell in found["cases"].items():
        ours, theirs = cell["ours"], cell["synthcity"]
        figures = [
            f"{ours[key]:.4f} / {theirs[key]:.4f}"
            for key in ("alpha_precision", "beta_recall", "authenticity")
        ]
        lines.append(f"| {COVERAGE_LABELS.get(table, f'`{table}`')} | {' | '.join(figures)} |")
    return "\n".join(lines)


ATTACKS = ("singling_out", "linkability", "inference_target")


def privacy_vs_anonymeter(results) -> str:
    """docs/evaluation.md: our three attacks' risks beside anonymeter's, per dataset and generator (block)."""
    found = _read(results, "privacy_vs_anonymeter")

    def risk(figures: list[float]) -> str:  # [risk, low, high]
        return _interval(figures[0], figures[1:], digits=2)

    lines = [
        "| dataset | generator | singling out: ours / anonymeter | linkability: ours / anonymeter "
        "| inference of the target: ours / anonymeter | seconds: ours / anonymeter |",
        "|---|---|---|---|---|---|",
    ]
    for dataset, cells in found.items():
        for generator, cell in cells.items():
            risks = [f"{risk(cell['ours'][a])} / {risk(cell['anonymeter'][a])}" for a in ATTACKS]
            seconds = f"{cell['ours_seconds']} / {cell['anonymeter_seconds']} ({cell['time_ratio']}x)"
            lines.append(f"| {dataset} | {generator} | {' | '.join(risks)} | {seconds} |")
    cells = [cell for cells in found.values() for cell in cells.values()]
    ratios, seconds = [cell["time_ratio"] for cell in cells], [cell["ours_seconds"] for cell in cells]
    lines += [
        "",
        f"Ours took {span(seconds)} s per table, {min(ratios)}-{max(ratios)}x less than anonymeter's.",
    ]
    return "\n".join(lines)


def _against_pycaret(found: dict, score: str, score_name: str) -> str:
    """Our leaderboard against PyCaret's compare_models: time, best model, rank agreement and where the
    seconds go on each side."""
    scores, best, pycaret = found[score], found["best"], found["pycaret_seconds"]
    fits = {model: row["ours_tt"] * found["folds"] for model, row in scores.items()}
    slowest = sorted(fits, key=fits.get, reverse=True)[:3]
    per_fold = ", ".join(
        f"`{model}` {scores[model]['ours_tt']:.1f} s per fold (PyCaret's {scores[model]['pycaret_tt']:.1f})"
        for model in slowest
    )
    theirs = max(scores, key=lambda model: scores[model]["pycaret_tt"] or 0)
    ours_best, their_best = scores[best["ours"]]["ours"], scores[best["pycaret"]]["pycaret"]
    return (
        f"ours {found['ours_seconds']} s, PyCaret 3.3.2 `setup` {pycaret['setup_seconds']} s + "
        f"`compare_models` {pycaret['compare_seconds']} s, a ratio of {found['speedup']}; best model ours "
        f"`{best['ours']}` ({score_name} {ours_best:.3f}), PyCaret's `{best['pycaret']}` ({their_best:.3f}); "
        f"Spearman {found[f'{score}_spearman']} between the two {score_name} leaderboards "
        f"({found[f'{score}_spearman_with_normalize']} with `compare.normalize: true`). Our fits sum to "
        f"{sum(fits.values()):.0f} s, {per_fold}: {sum(fits[model] for model in slowest):.0f} s of them; "
        f"PyCaret's slowest, `{theirs}`, {scores[theirs]['pycaret_tt']:.1f} s per fold (ours "
        f"{scores[theirs]['ours_tt']:.2f})"
    )


def pycaret_regression(results) -> str:
    """docs/evaluation.md: our regression leaderboard against PyCaret's on census's age (inline)."""
    return _against_pycaret(_read(results, "compare_vs_pycaret_regression"), "r2", "R2")


def pycaret_classification(results) -> str:
    """docs/evaluation.md: our classification leaderboard against PyCaret's on census's income (inline)."""
    return _against_pycaret(_read(results, "compare_vs_pycaret_classification"), "accuracy", "Accuracy")


ARGN_CASES = {
    "alone_1_threads": "alone, 1 thread",
    "alone_2_threads": "alone, 2 threads",
    "two_at_once_1_threads": "two fits at once, 1 thread each",
    "two_at_once_2_threads": "two fits at once, 2 threads each",
}


def argn_threads(results) -> str:
    """docs/generators.md: TabularARGN's seconds per epoch by threads, alone and two fits at once (block)."""
    found = _read(results, "argn_threads")
    lines = [
        f"| {found['rows']:,} census training rows | seconds per epoch | epochs (its own early stop) |",
        "|---|---|---|",
    ]
    for case, label in ARGN_CASES.items():
        fits = found["cases"][case]
        per_epoch = sorted(fit["seconds_per_epoch"] for fit in fits)
        said = f"{per_epoch[0]}" if len(per_epoch) == 1 else f"{per_epoch[0]}-{per_epoch[-1]}"
        epochs = ", ".join(str(round(fit["epochs"])) for fit in fits)
        lines.append(f"| {label} | {said} | {epochs} |")
    return "\n".join(lines)


def ctgan_epoch(results) -> str:
    """docs/generators.md: where a CTGAN epoch's seconds go, and the data transformer's (inline)."""
    found = _read(results, "ctgan_epoch")
    package, in_process = found["cases"]["package"], found["cases"]["in_process"]
    epoch = sorted(case["seconds_per_epoch"] for case in (package, in_process))
    share = {part: f"{100 * value:.1f}%" for part, value in found["epoch_shares"].items()}
    low, high = sorted(case["transformer_seconds"] for case in (package, in_process))
    same = "with the same losses bit for bit" if found["same_losses"] else "but the losses differ"
    return (
        f"An epoch took {epoch[0]:.2f}-{epoch[1]:.2f} s. Of it, the conditional sampler "
        f"(`DataSampler.sample_condvec` and `sample_data`) took {share['sampler']}, data movement "
        f"(numpy casts, `torch.from_numpy`) {share['data_movement']}, the conditional loss "
        f"{share['conditional_loss']}, and the networks' own forward, backward and optimiser steps the other "
        f"{share['networks_and_rest']}. The data transformer runs once per fit, before the first epoch: "
        f"{low:.1f}-{high:.1f} s. Encoding the columns in the wrapper's own process "
        f"(`_transform_in_process`) rather than in ctgan's new joblib workers took it from "
        f"{package['transformer_seconds']:.1f} s to "
        f"{in_process['transformer_seconds']:.1f} s, {same}"
    )


def _gib(memory_mb: float) -> str:
    return f"{memory_mb / 1024:.1f} GiB"  # the stages measure MiB (/proc's kB / 1024)


def _scale_table(runs: dict) -> str:
    """Each stage's seconds and peak memory (the stage and its workers at once) at each table size."""
    sizes = sorted(runs, key=int)
    lines = [
        f"| stage | {' | '.join(f'{int(size):,} rows' for size in sizes)} |",
        "|---|" + "---|" * len(sizes),
    ]

    def cell(seconds: float, memory_mb: float) -> str:
        return f"{seconds:,.0f} s, {_gib(memory_mb)}"

    for stage in runs[sizes[0]]:
        lines.append(
            f"| {stage} | "
            + " | ".join(
                cell(runs[s][stage]["seconds"], runs[s][stage]["total_peak_memory_mb"]) for s in sizes
            )
            + " |"
        )
    totals = [
        cell(
            sum(c["seconds"] for c in runs[s].values()),
            max(c["total_peak_memory_mb"] for c in runs[s].values()),
        )
        for s in sizes
    ]
    lines.append(f"| all | {' | '.join(totals)} |")
    return "\n".join(lines)


def scale_cart(results) -> str:
    """docs/large-tables.md: each stage's cost at each table size, with ``cart`` (block)."""
    return _scale_table(_read(results, "scale")["runs"])


CTGAN_GOAL_SECONDS = 9 * 60 + 10 * 60  # the goal: the 9-minute training budget plus 10 minutes
SLOWEST_FITS = 4  # how many of the leaderboard's slowest models the paragraph names


def scale_ctgan(results) -> str:
    """docs/large-tables.md: CTGAN at 300,000 rows, each stage's cost and what it adds up to (block)."""
    runs = _read(results, "scale_ctgan")["runs"]
    (size,) = runs
    stages = runs[size]
    total = sum(stage["seconds"] for stage in stages.values())
    after_train = sum(
        stage["seconds"] for name, stage in list(stages.items())[list(stages).index("train") + 1 :]
    )
    epochs = re.search(r"(\d+)/(\d+) epochs", stages["train"]["said"]).groups()
    auc = re.search(r"discriminator_auc = ([\d.]+)", stages["discriminate"]["said"]).group(1)
    fits = stages["score_real"]["fit_seconds"]
    slowest = sorted((m for m in fits if fits[m] is not None), key=lambda m: -fits[m])[:SLOWEST_FITS]
    train = stages["train"]
    sampled = re.search(r"([\d,]+) synthetic rows", stages["sample"]["said"]).group(1)
    within = "inside" if total <= CTGAN_GOAL_SECONDS else "over"
    return "\n".join(
        [
            _scale_table(runs),
            "",
            f"All stages: {total:,.0f} s, {within} the goal of the 9-minute budget plus 10 minutes "
            f"({CTGAN_GOAL_SECONDS:,} s); the stages after `train` took {after_train:,.0f} s. CTGAN ran "
            f"{epochs[0]} of {epochs[1]} epochs in its budget (its discriminator AUC here: {auc}). Most of "
            f"the rest is the two leaderboards (`score_real` {stages['score_real']['seconds']:.0f} s, "
            f"`compare` {stages['compare']['seconds']:.0f} s, 14 models x 10 folds each); their slowest fits "
            "are the ones PyCaret runs the same way: "
            + ", ".join(f"`{m}` {fits[m]:.1f} s a fold" for m in slowest)
            + f". `train` held {_gib(train['peak_memory_mb'])} itself and its transformer workers "
            f"{_gib(train['workers_peak_memory_mb'])}, {_gib(train['total_peak_memory_mb'])} at once; "
            f"`sample` {sampled} rows in "
            f"{_gib(stages['sample']['peak_memory_mb'])}, {SAMPLE_CHUNK_ROWS:,} at a time.",
        ]
    )


def _committed_figure(figures: dict, name: str, digits: int) -> str:
    """A figure of the committed run, or the words tools/docs.py writes for one it lacks."""
    value = figures.get(name)
    return MISSING if value is None else f"{value:.{digits}f}"


def _epochs_of(key: str) -> int:
    """The epochs a gpu_training case ran, from its key (``side_by_side_10_epochs``)."""
    return int(re.search(r"(\d+)_epochs", key).group(1))


def gpu_training(results) -> str:
    """docs/cluster.md: CTGAN's seconds per epoch on an H100 and its CPU cores, beside the committed run
    on this project's 2 cores (block)."""
    found, committed = _read(results, "gpu_training_h100"), results.metrics
    side_key = next(key for key in found if key.startswith("side_by_side"))
    side, five = found[side_key], found["5_epochs_one_run_each"]
    side_epochs, five_epochs = _epochs_of(side_key), _epochs_of("5_epochs_one_run_each")

    def aucs(case: dict) -> str:
        return ", ".join(dict.fromkeys(f"{run['discriminator_auc']:.3f}" for run in case["runs"]))

    def same(case: dict) -> str:
        return "yes" if case["same_seed_same_table"] else "no"

    cuda, cpu = side["cuda"], side["cpu"]
    train = {**committed.get("train", {}), **results.cost.get("train", {})}
    rows = [
        ("H100, batch 500 (2 runs)", side_epochs, f"{cuda['seconds_per_epoch']:.2f}", same(cuda), aucs(cuda)),
        (
            "the same machine's 16 CPU cores, batch 500 (2 runs)",
            side_epochs,
            f"{cpu['seconds_per_epoch']:.2f} ({side['cpu_over_cuda_seconds_per_epoch']}x the GPU's)",
            same(cpu),
            aucs(cpu),
        ),
        *(
            (
                label,
                five_epochs,
                f"{five[key]['seconds_per_epoch']:.2f}",
                "-",
                f"{five[key]['discriminator_auc']:.3f}",
            )
            for key, label in (
                ("cpu_threads2", "the same machine's CPU, 2 threads, batch 500"),
                ("cuda_batch500", "H100, batch 500"),
                ("cuda_batch5000", "H100, batch 5000 (a tenth of the steps)"),
            )
        ),
        (
            "this project's 2-core machine, batch 500 (the committed `dvc repro`)",
            _committed_figure(train, "epochs_run", 0),
            _committed_figure(train, "seconds_per_epoch", 2),
            "no: its time budget ends it at an epoch the machine's load decides",
            _committed_figure(committed.get("discriminate", {}), "discriminator_auc", 3),
        ),
    ]
    lines = [
        "| CTGAN, census training part | epochs | seconds per epoch | same seed, same table "
        "| discriminator AUC |",
        "|---|---|---|---|---|",
    ]
    return "\n".join(lines + [f"| {' | '.join(str(cell) for cell in row)} |" for row in rows])


def gpu_pipeline(results) -> str:
    """docs/cluster.md: the whole default pipeline with ``generator.device: cuda`` on the H100, beside the
    committed CPU run (inline)."""
    stages = _read(results, "gpu_training_h100")["pipeline_stages_device_cuda_100_epochs"]
    train, cpu = stages["train"], results.metrics
    return (
        f"train {train['train_seconds']:.0f} s ({train['epochs_run']} epochs, "
        f"{train['seconds_per_epoch']:.2f} s per epoch, {train['transformer_fit_seconds']:.0f} s of it "
        f"fitting ctgan's data transformer on a slower CPU), discriminator AUC "
        f"{stages['discriminate']['discriminator_auc']:.3f} (the committed CPU run: "
        f"{_committed_figure(cpu.get('discriminate', {}), 'discriminator_auc', 3)}), quality "
        f"{stages['fidelity']['quality_score']:.1f} "
        f"({_committed_figure(cpu.get('fidelity', {}), 'quality_score', 1)}), DCR share "
        f"{stages['fidelity']['dcr_share']:.3f} ({_committed_figure(cpu.get('privacy', {}), 'dcr_share', 3)})"
    )


def fidelity_vs_sdmetrics(results) -> str:
    """docs/evaluation.md: our fidelity sub-scores and seconds against SDMetrics' QualityReport on the
    default run's tables, a perturbed census and census widened (inline)."""
    run, perturbed, wide = (
        _read(results, f"fidelity_vs_sdmetrics_{label}") for label in ("run", "perturbed", "wide")
    )
    points, theirs = run["difference_in_points"], run["sdmetrics"]

    def speed(found: dict) -> str:
        return (
            f"ours {found['ours']['seconds']:.2f} s, SDMetrics {found['sdmetrics']['seconds']:.2f} s "
            f"({found['speedup']}x)"
        )

    def size(found: dict) -> str:
        return f"{found['rows'][0]:,} x {found['rows'][1]:,} rows"

    pairs, scored = f"{theirs['pairs']:,.0f}", f"{theirs['pairs_scored']:,.0f}"
    return (
        f"on the default run's census tables ({size(run)}), column shapes differ by "
        f"{abs(points['column_shapes']):.2f} points and pair trends by {abs(points['pair_trends']):.1f} "
        "points, because SDMetrics averages only the pairs whose real association passes its thresholds "
        f"(|Pearson| > 0.5, Cramér's V > 0.3: {scored} of {pairs} pairs) where we average all {pairs}. "
        "SDMetrics also drops missing values before its TVD; we count them as a category. Speed: "
        f"{speed(run)} on those tables; {speed(perturbed)} on {size(perturbed)} of perturbed census; "
        f"{speed(wide)} on census widened to {wide['columns']} columns "
        f"({wide['sdmetrics']['pairs']:,.0f} pairs)"
    )


DP_COLUMNS = [  # (title, stage, metric, with its interval)
    ("discriminator AUC", "discriminate", "discriminator_auc", True),
    ("TSTR / TRTR accuracy", "compare", "ratio_accuracy", True),
    ("TSTR / TRTR MCC", "compare", "ratio_mcc", True),
    ("trivariate accuracy", "fidelity", "marginal_accuracy_trivariate", False),
    ("beta-recall", "fidelity", "beta_recall", False),
    ("worst inference risk", "privacy", "inference_risk_max", True),
    ("membership AUC", "privacy", "membership_auc", True),
]


def _figure(stage: dict, name: str, with_interval: bool = True) -> str:
    """A stage's figure to 3 digits, with its 95% interval where the stage wrote one."""
    figure, low, high = stage.get(name), stage.get(f"{name}_low"), stage.get(f"{name}_high")
    if figure is None:
        return MISSING
    if not with_interval or low is None or high is None:
        return f"{figure:.3g}" if figure != 0 else "0"
    return f"{figure:.3g} [{low:.3g}, {high:.3g}]"


def _dp_ending(cap: str, train: dict) -> str:
    """What ended a case's training: the engine's early stop, the cap, or one epoch already over it."""
    if cap == "none" or train["dp_epsilon"] < float(cap) - 0.05:
        return "early stop"
    return "the cap" if train["dp_epsilon"] <= float(cap) else "over the cap"


def dp_sweep(results) -> str:
    """docs/generators.md: TabularARGN with and without DP on census, a row per epsilon cap, and what the
    figures say (block)."""
    cases = _read(results, "dp_sweep")["cases"]
    lines = [
        "| `max_epsilon` | epsilon spent | epochs | " + " | ".join(c[0] for c in DP_COLUMNS) + " |",
        "|---|---|---|" + "---|" * len(DP_COLUMNS),
    ]
    for cap, case in cases.items():
        train = case["train"]
        spent = f"{train['dp_epsilon']:.2f}" if train.get("differential_privacy") else "none"
        cells = [_figure(case[stage], name, interval) for _, stage, name, interval in DP_COLUMNS]
        lines.append(
            f"| {'no DP' if cap == 'none' else cap} | {spent} | {train['epochs_run']:.0f} "
            f"({_dp_ending(cap, train)}) | " + " | ".join(cells) + " |"
        )
    plain = cases["none"]
    private = {cap: case for cap, case in cases.items() if cap != "none"}
    membership = plain["privacy"]
    holds_a_coin = [cap for cap, case in private.items() if case["privacy"]["membership_auc_low"] <= 0.5]
    lines += [
        "",
        f"- Membership inference: without DP {_figure(membership, 'membership_auc')}, an interval that "
        + ("excludes" if membership["membership_auc_low"] > 0.5 else "holds")
        + " a coin's 0.5; with DP the interval holds 0.5 "
        + (
            "at every cap"
            if len(holds_a_coin) == len(private)
            else f"at `max_epsilon` {', '.join(holds_a_coin)}"
            if holds_a_coin
            else "at no cap"
        )
        + ".",
        f"- The synthetic-trained model's skill beyond chance (MCC ratio): "
        f"{_figure(plain['compare'], 'ratio_mcc', False)} without DP, "
        + ", ".join(
            f"{_figure(case['compare'], 'ratio_mcc', False)} at epsilon {case['train']['dp_epsilon']:.2f}"
            for case in private.values()
        )
        + ".",
        "- The discriminator's AUC: "
        f"{_figure(plain['discriminate'], 'discriminator_auc', False)} without DP, "
        f"{span([c['discriminate']['discriminator_auc'] for c in private.values()], 2)} with it; three-way "
        f"accuracy {_figure(plain['fidelity'], 'marginal_accuracy_trivariate', False)} and "
        f"{span([c['fidelity']['marginal_accuracy_trivariate'] for c in private.values()], 2)}.",
        "- The caps: "
        + "; ".join(
            f"{cap} spent {case['train']['dp_epsilon']:.2f} ({_dp_ending(cap, case['train'])})"
            for cap, case in private.items()
        )
        + ".",
    ]
    return "\n".join(lines)


RENDERERS = {
    "bench-dp-sweep": dp_sweep,
    "bench-gpu-training": gpu_training,
    "bench-gpu-pipeline": gpu_pipeline,
    "bench-scale-cart": scale_cart,
    "bench-scale-ctgan": scale_ctgan,
    "bench-argn-threads": argn_threads,
    "bench-ctgan-epoch": ctgan_epoch,
    "bench-pycaret-regression": pycaret_regression,
    "bench-pycaret-classification": pycaret_classification,
    "bench-fidelity-vs-sdmetrics": fidelity_vs_sdmetrics,
    "bench-privacy-vs-anonymeter": privacy_vs_anonymeter,
    "bench-quality-vs-mostlyai-qa": quality_vs_mostlyai_qa,
    "bench-quality-vs-mostlyai-qa-reading": quality_vs_mostlyai_qa_reading,
    "bench-accuracy-vs-mostlyai-qa": accuracy_vs_mostlyai_qa,
    "bench-coverage-vs-synthcity": coverage_vs_synthcity,
}
