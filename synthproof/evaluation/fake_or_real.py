"""The whole fake-or-real test, as the discriminate stage runs it: the discriminator on synthetic vs real
training rows beside its floor (real vs real), one-column AUCs on the same rows, the most fake and most real
records, the linked columns the synthetic rows break and the category pairs no real row holds.
``FakeOrRealTest`` holds its settings (``params.yaml: discriminate``); ``FakeOrReal`` is its result."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.config.evaluation import DiscriminateParams
from synthproof.evaluation.discriminate import (
    TOP_PAIRS,
    Discrimination,
    Floor,
    Labelled,
    check_model,
    column_aucs,
    extreme_records,
    probability_histogram,
    real_vs_real_floor,
)
from synthproof.evaluation.pairs import UnseenPairs, unseen_pairs
from synthproof.evaluation.uncertainty import interval_metrics, normal_interval, share_difference, wilson
from synthproof.links import Link, broken_share, find_links
from synthproof.progress import Silent
from synthproof.schema import CATEGORICAL, DATETIME, NUMERIC, Schema


@dataclass(frozen=True)
class FakeOrRealTest:
    """The fake-or-real test with its settings (the discriminate section of ``params.yaml``, plus the seed
    and threads), run on a table's ``Schema``; :meth:`floor` is the same discriminator on real vs real
    rows, which score_real computes once per split."""

    model: str = "lightgbm"
    holdout_fraction: float = 0.2
    balance: bool = True
    early_stopping_rounds: int = 5
    max_rows: int | None = 50_000
    n_examples: int = 100
    linked_min_consistency: float = 0.99
    linked_max_categories: int = 100
    seed: int = 0
    threads: int = 2

    @classmethod
    def for_run(cls, params: DiscriminateParams, seed: int, threads: int) -> FakeOrRealTest:
        return cls(
            model=params.model,
            holdout_fraction=params.holdout_fraction,
            balance=params.balance,
            early_stopping_rounds=params.early_stopping_rounds,
            max_rows=params.max_rows,
            n_examples=params.n_examples,
            linked_min_consistency=params.linked_min_consistency,
            linked_max_categories=params.linked_max_categories,
            seed=seed,
            threads=threads,
        )

    def floor(self, schema: Schema, train: pd.DataFrame, holdout: pd.DataFrame) -> Floor:
        """The real-vs-real floor: the discriminator on the holdout against the training rows."""
        return real_vs_real_floor(
            train, holdout, schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME), model=self.model,
            holdout_fraction=self.holdout_fraction, early_stopping_rounds=self.early_stopping_rounds,
            seed=self.seed, threads=self.threads, max_rows=self.max_rows,
        )  # fmt: skip

    def run(
        self,
        schema: Schema,
        train: pd.DataFrame,
        holdout: pd.DataFrame,
        synthetic: pd.DataFrame,
        reference: Floor | None = None,
        progress=None,
    ) -> FakeOrReal:
        """Discriminate synthetic from real training rows (as :func:`discriminate`), against ``reference``
        (the floor; computed here when not given); one-column AUCs on the same rows and split; the most
        fake and most real records; linked columns the synthetic rows break. ``progress`` advances by one
        per discriminator."""
        categorical, ordered = schema.names(CATEGORICAL), schema.names(NUMERIC, DATETIME)
        progress = Silent() if progress is None else progress
        progress.total = 1 + (reference is None) + len(categorical) + len(ordered)
        progress.set_postfix_str("fake vs real", refresh=False)
        check_model(self.model)
        fit = {
            "seed": self.seed,
            "early_stopping_rounds": self.early_stopping_rounds,
            "threads": self.threads,
        }
        labelled = Labelled.of(
            train, synthetic, categorical, ordered, self.holdout_fraction, self.balance, self.seed,
            self.max_rows,
        )  # fmt: skip
        fake_vs_real = labelled.score(model=self.model, **fit)  # the one-column discriminators share its rows
        progress.update(1)
        if reference is None:
            progress.set_postfix_str("floor: real vs real", refresh=False)
        floor = reference or self.floor(schema, train, holdout)
        progress.update(reference is None)
        column_auc = column_aucs(labelled, progress, **fit)
        links = find_links(
            train, list(categorical) + list(ordered), self.linked_min_consistency, self.linked_max_categories
        )
        link_broken = {
            link.name: {
                "real_consistency": round(link.consistency, 4),
                "one_to_one": link.one_to_one,
                "synthetic_broken_share": round(broken_share(link, synthetic), 4),
                "holdout_broken_share": round(broken_share(link, holdout), 4),
            }
            for link in links
        }
        most_fake, most_real = extreme_records(fake_vs_real, self.n_examples)
        return FakeOrReal(
            fake_vs_real,
            floor,
            column_auc,
            links,
            link_broken,
            most_fake,
            most_real,
            probability_histogram(fake_vs_real),
            unseen_pairs(train, synthetic, list(categorical), list(ordered)),
        )


@dataclass
class FakeOrReal:
    """Everything the discriminate stage reports."""

    fake_vs_real: Discrimination
    floor: Floor  # the real-vs-real floor and the holdout's own unseen pairs
    column_auc: dict[str, float]
    links: list[Link]
    link_broken: dict[str, dict[str, float]]
    most_fake: pd.DataFrame
    most_real: pd.DataFrame
    histogram: pd.DataFrame
    unseen_pairs: UnseenPairs  # the synthetic rows' value pairs (numbers by bin) no real training row holds

    def unseen_pair_rows(self, synthetic: pd.DataFrame, n: int) -> pd.DataFrame:
        """The first ``n`` synthetic rows that carry a category pair never seen in the real rows."""
        return synthetic[self.unseen_pairs.flagged].head(n)

    def metrics(self) -> dict:
        """Headline numbers first, detail nested, rounded for `dvc metrics diff`."""
        ranked = sorted(self.fake_vs_real.importance.items(), key=lambda item: -item[1])
        fake, floor = self.fake_vs_real, self.floor
        above = fake.auc - floor.auc
        # the two discriminators are scored on disjoint rows: their variances add
        above_se = float(np.hypot(fake.auc_se, floor.auc_se))
        return {
            "discriminator_auc": round(fake.auc, 4),
            **interval_metrics("discriminator_auc", normal_interval(fake.auc, fake.auc_se)),
            "discriminator_accuracy": round(fake.accuracy, 4),
            "floor_auc": round(floor.auc, 4),
            **interval_metrics("floor_auc", normal_interval(floor.auc, floor.auc_se)),
            "floor_accuracy": round(floor.accuracy, 4),
            "auc_above_floor": round(above, 4),
            **interval_metrics("auc_above_floor", normal_interval(above, above_se)),
            "top_giveaway_column": ranked[0][0] if ranked else None,
            "top_giveaway_columns": [name for name, _ in ranked[:3]],
            "rows": {"fake_vs_real": self.fake_vs_real.rows, "floor": self.floor.rows},
            "column_importance": {name: round(share, 4) for name, share in ranked},
            "column_auc": {name: round(auc, 4) for name, auc in self.column_auc.items()},
            "linked_columns": self.link_broken,
            "unseen_pair_share": round(self.unseen_pairs.share, 4),
            **interval_metrics("unseen_pair_share", self.unseen_pairs.interval()),
            "unseen_pair_share_above_holdout": round(
                self.unseen_pairs.share - floor.holdout_unseen_pair_share, 4
            ),
            **interval_metrics(
                "unseen_pair_share_above_holdout",
                share_difference(
                    self.unseen_pairs.count,
                    len(self.unseen_pairs.flagged),
                    floor.holdout_unseen_pair_rows,
                    floor.holdout_rows,
                ),
            ),
            "holdout_unseen_pair_share": round(floor.holdout_unseen_pair_share, 4),
            **interval_metrics(
                "holdout_unseen_pair_share", wilson(floor.holdout_unseen_pair_rows, floor.holdout_rows)
            ),
            "unseen_pairs_top": self.unseen_pairs.pairs.head(TOP_PAIRS).to_dict(orient="records"),
        }

    def columns_table(self) -> pd.DataFrame:
        """Per column: importance share and one-column AUC."""
        names = list(self.column_auc)
        return pd.DataFrame(
            {
                "column": names,
                "importance": [round(self.fake_vs_real.importance.get(n, 0.0), 4) for n in names],
                "auc": [round(self.column_auc[n], 4) for n in names],
            }
        )
