"""The docs' tables of the benches against outside judges, rendered from the committed
``bench/results/*.json`` (``tools/docs.py`` registers them): no figure of a bench is typed into a page. Each
renderer takes the ``tools.docs.Results`` every renderer takes (its ``root``; the committed run's
``metrics`` and ``cost``, read once for all the pages)."""

from __future__ import annotations

import json
import re
from pathlib import Path

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


def pycaret_regression(results) -> str:
    """docs/evaluation.md: our regression leaderboard against PyCaret's compare_models on census's age: time,
    best model, rank agreement and where our seconds go (inline)."""
    found = _read(results, "compare_vs_pycaret_regression")
    r2, best, pycaret = found["r2"], found["best"], found["pycaret_seconds"]
    fits = {model: scores["ours_tt"] * found["folds"] for model, scores in r2.items()}
    slowest = sorted(fits, key=fits.get, reverse=True)[:3]
    per_fold = ", ".join(
        f"`{model}` {r2[model]['ours_tt']:.1f} s per fold (PyCaret's {r2[model]['pycaret_tt']:.1f})"
        for model in slowest
    )
    ours_best, their_best = r2[best["ours"]]["ours"], r2[best["pycaret"]]["pycaret"]
    return (
        f"ours {found['ours_seconds']} s, PyCaret 3.3.2 `setup` {pycaret['setup_seconds']} s + "
        f"`compare_models` {pycaret['compare_seconds']} s, a ratio of {found['speedup']}; best model ours "
        f"`{best['ours']}` (R2 {ours_best:.3f}), PyCaret's `{best['pycaret']}` ({their_best:.3f}); Spearman "
        f"{found['r2_spearman']} between the two R2 leaderboards ({found['r2_spearman_with_normalize']} with "
        f"`compare.normalize: true`). Our fits sum to {sum(fits.values()):.0f} s, {per_fold}: "
        f"{sum(fits[model] for model in slowest):.0f} s of them"
    )


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


def scale_cart(results) -> str:
    """docs/large-tables.md: each stage's seconds and peak memory (the stage and its workers at once) at
    each table size, with ``cart`` (block)."""
    runs = _read(results, "scale")["runs"]
    sizes = sorted(runs, key=int)
    lines = [
        f"| stage | {' | '.join(f'{int(size):,} rows' for size in sizes)} |",
        "|---|" + "---|" * len(sizes),
    ]

    def cell(seconds: float, memory_mb: float) -> str:
        return f"{seconds:.0f} s, {memory_mb / 1024:.1f} GiB"  # the stages measure MiB (/proc's kB / 1024)

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


RENDERERS = {
    "bench-gpu-training": gpu_training,
    "bench-gpu-pipeline": gpu_pipeline,
    "bench-scale-cart": scale_cart,
    "bench-argn-threads": argn_threads,
    "bench-ctgan-epoch": ctgan_epoch,
    "bench-pycaret-regression": pycaret_regression,
    "bench-privacy-vs-anonymeter": privacy_vs_anonymeter,
    "bench-quality-vs-mostlyai-qa": quality_vs_mostlyai_qa,
    "bench-accuracy-vs-mostlyai-qa": accuracy_vs_mostlyai_qa,
    "bench-coverage-vs-synthcity": coverage_vs_synthcity,
}
