"""The quality gate on the command line: the three answers, then each check of ``params.yaml: gate``.

    python -m synthproof.gate          # after `dvc repro`: the three answers, then each check

Made for CI review: a pull request that changes params or code reruns the pipeline, and the gate says
whether the synthetic table is still useful (TSTR/TRTR), hard to tell from real rows (discriminator AUC
above its floor) and safe to share (DCR share, exact copies above the holdout's own, and the risks of the
singling-out, linkability and inference attacks beyond their control). How each check judges its figure's
interval is :mod:`synthproof.checks`'.

The figures must be fresh: when a stage's record in ``dvc.lock`` no longer matches the workspace (params
or code edited since, an interrupted ``dvc repro``), the gate names the stale stages and judges nothing.

Exit codes: 0 every check passed (or does not apply), 1 a check failed or its metric is missing,
2 bad params or metrics files, 3 none failed but one is inconclusive, 4 the metrics are stale; 141 its reader
stopped early (``| head``; :func:`synthproof.commands.run_command`).
"""

from __future__ import annotations

import sys

from synthproof.answers import three_answers
from synthproof.checks import EXIT_STALE, evaluate, exit_code, summary
from synthproof.commands import run_command
from synthproof.config import load_params
from synthproof.errors import SynthproofError
from synthproof.freshness import describe, stale_stages
from synthproof.stage_files import read_stage_details, read_stage_metrics


def main() -> int:
    try:
        params = load_params()
        metrics = read_stage_metrics(params.paths)
        outcomes = evaluate(params.gate, metrics)
        answers = three_answers(outcomes, metrics, read_stage_details(params.paths))
    except SynthproofError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale = stale_stages()
    if stale:
        print(f"stale: {describe(stale)}", file=sys.stderr)
        return EXIT_STALE
    for answer in answers:
        print(answer.line())
    print()
    for outcome in outcomes:
        print(outcome.line())
    print(f"gate: {summary(outcomes)}")
    return exit_code(outcomes)


if __name__ == "__main__":
    run_command(main)
