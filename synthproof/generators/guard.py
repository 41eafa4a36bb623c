"""A privacy guard at sampling: synthetic rows equal to a training row are drawn again."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from synthproof.generators.wrapper import TableWrapper
from synthproof.progress import Silent
from synthproof.rows import copy_mask, row_hashes


@dataclass(frozen=True)
class GuardReport:
    rejected: int  # rows drawn again because they equalled a training row
    rounds: int  # sampling rounds after the first
    copies_left: int  # copies still there when the rounds ran out
    drawn: int  # rows drawn over every round
    out_of_range: dict[str, int]  # values put out of range, per column, over every round

    def metrics(self) -> dict:
        return {
            "copies_rejected": self.rejected,
            "rejection_rounds": self.rounds,
            "copies_left": self.copies_left,
        }


def sample_without_copies(
    generator: TableWrapper,
    n: int,
    seed: int,
    train: pd.DataFrame,
    columns: list[str],
    max_rounds: int = 10,
    progress=None,
) -> tuple[pd.DataFrame, GuardReport]:
    """``n`` rows from ``generator``; those equal to a row of ``train`` on ``columns`` get ``columns``
    drawn afresh (round ``k`` seeded ``seed + k``), for at most ``max_rounds`` rounds.

    Columns outside ``columns`` (fresh IDs) keep their first draw, so they stay unique. ``progress``
    advances by one per round, the copies still to redraw beside it.
    """
    progress = Silent() if progress is None else progress
    progress.total = max_rounds
    training_rows = set(row_hashes(train[columns]))  # hashed once for every round
    first = generator.draw(n, seed=seed)
    synthetic, draws = first.frame, [first]
    copies = copy_mask(synthetic[columns], training_rows)
    rejected = rounds = 0
    while copies.any() and rounds < max_rounds:
        rounds += 1
        rejected += int(copies.sum())
        draws.append(generator.draw(int(copies.sum()), seed=seed + rounds))
        redraw = draws[-1].frame[columns]
        redraw.index = synthetic.index[copies]
        synthetic.loc[copies, columns] = redraw
        copies[copies] = copy_mask(redraw, training_rows)
        progress.set_postfix_str(f"{int(copies.sum())} copies left", refresh=False)
        progress.update(1)
    out_of_range = {name: sum(d.out_of_range[name] for d in draws) for name in first.out_of_range}
    report = GuardReport(
        rejected=rejected,
        rounds=rounds,
        copies_left=int(copies.sum()),
        drawn=sum(len(d.frame) for d in draws),
        out_of_range=out_of_range,
    )
    return synthetic, report
