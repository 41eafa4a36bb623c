"""Fake or real? A classifier trained to tell synthetic rows from real ones, scored on a holdout.

The better the synthetic table, the closer the discriminator's holdout AUC gets to the floor: the AUC
of the same discriminator asked to tell two disjoint samples of real rows apart (about 0.5).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from synthproof.errors import SynthproofError
from synthproof.evaluation.pairs import unseen_pairs
from synthproof.evaluation.uncertainty import delong
from synthproof.names import fresh_name
from synthproof.progress import Silent
from synthproof.split import limit_rows
from synthproof.values import as_float, as_text, histogram_table, sorted_categories

REAL, FAKE = "REAL", "FAKE"
TOP_PAIRS = 20  # the most frequent unseen category pairs the metrics' details list
# The columns the most-fake / most-real records carry before the row's own (renamed if the table has them).
LABEL, PROBABILITY = "label", "probability_fake"


def to_features(frames: list[pd.DataFrame], categorical: list[str], ordered: list[str]) -> list[pd.DataFrame]:
    """The model's view of each frame: categoricals as pandas categoricals sharing one category set
    (as the MOSTLY AI notebook does), numerics and datetimes as float."""
    out = [pd.DataFrame(index=frame.index) for frame in frames]
    for name in categorical:
        texts = [as_text(frame[name]) for frame in frames]
        categories = sorted_categories(texts)
        for target, text in zip(out, texts, strict=True):
            target[name] = pd.Categorical(text, categories)
    for name in ordered:
        for target, frame in zip(out, frames, strict=True):
            target[name] = as_float(frame[name])
    return out


class LightGBMDiscriminator:
    """LightGBM as in the notebook: categoricals native, binary objective, AUC, early stopping on an
    inner 80/20 validation split."""

    name = "lightgbm"

    def __init__(self, seed: int = 0, early_stopping_rounds: int = 5, threads: int = 2):
        self.seed, self.early_stopping_rounds, self.threads = seed, early_stopping_rounds, threads

    def fit(self, features: pd.DataFrame, is_fake: np.ndarray) -> LightGBMDiscriminator:
        self.columns = list(features.columns)
        x_fit, x_valid, y_fit, y_valid = train_test_split(
            _positional(features), is_fake, test_size=0.2, random_state=self.seed, stratify=is_fake
        )
        params = {
            "objective": "binary",
            "metric": "auc",
            "verbose": -1,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "num_threads": self.threads,
        }
        self.model = lgb.train(
            params,
            lgb.Dataset(x_fit, label=y_fit),
            num_boost_round=1000,
            valid_sets=[lgb.Dataset(x_valid, label=y_valid)],
            callbacks=[lgb.early_stopping(self.early_stopping_rounds, verbose=False)],
        )
        return self

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        return self.model.predict(_positional(features), num_iteration=self.model.best_iteration)

    def importance(self) -> dict[str, float]:
        gains = self.model.feature_importance(importance_type="gain")
        return dict(zip(self.columns, gains, strict=True))


def _positional(features: pd.DataFrame) -> pd.DataFrame:
    """``features`` with columns named by position: LightGBM refuses names with JSON's specials
    (``price, usd``, ``a:b``, a quote), and a user's table may hold any name."""
    return features.set_axis([f"column_{j}" for j in range(features.shape[1])], axis=1)


class RandomForestDiscriminator:
    """scikit-learn's random forest on category codes (the notebook's suggested exercise)."""

    name = "random_forest"

    def __init__(self, seed: int = 0, threads: int = 2, **_):
        self.model = RandomForestClassifier(
            n_estimators=200, min_samples_leaf=5, n_jobs=threads, random_state=seed
        )

    @staticmethod
    def _codes(features: pd.DataFrame) -> pd.DataFrame:
        coded = features.copy()
        for name in coded.columns:
            if isinstance(coded[name].dtype, pd.CategoricalDtype):
                coded[name] = coded[name].cat.codes.replace(-1, np.nan).astype(float)
        return coded

    def fit(self, features: pd.DataFrame, is_fake: np.ndarray) -> RandomForestDiscriminator:
        self.model.fit(self._codes(features), is_fake)
        return self

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(self._codes(features))[:, 1]


class LogisticDiscriminator:
    """Logistic regression on one-hot categoricals and standardised numerics: a linear floor.

    Like the random forest, it reports permutation importance (LightGBM reports its gain).
    """

    name = "logistic"

    def __init__(self, seed: int = 0, **_):
        self.seed = seed

    def fit(self, features: pd.DataFrame, is_fake: np.ndarray) -> LogisticDiscriminator:
        categorical = [c for c in features if isinstance(features[c].dtype, pd.CategoricalDtype)]
        numeric = [c for c in features if c not in categorical]
        encode = ColumnTransformer(
            [
                ("categorical", OneHotEncoder(handle_unknown="ignore", min_frequency=5), categorical),
                (
                    "numeric",
                    make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
                    numeric,
                ),
            ]
        )
        self.model = make_pipeline(encode, LogisticRegression(max_iter=500, random_state=self.seed))
        self.model.fit(self._objects(features), is_fake)
        return self

    @staticmethod
    def _objects(features: pd.DataFrame) -> pd.DataFrame:
        out = features.copy()
        for name in out.columns:
            if isinstance(out[name].dtype, pd.CategoricalDtype):
                out[name] = out[name].astype(object).where(out[name].notna(), "<missing>")
        return out

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(self._objects(features))[:, 1]


DISCRIMINATORS = {
    cls.name: cls for cls in (LightGBMDiscriminator, RandomForestDiscriminator, LogisticDiscriminator)
}


@dataclass
class Discrimination:
    """A discriminator's holdout scores and what it looked at."""

    auc: float
    auc_se: float  # DeLong's standard error over the discriminator's holdout rows
    accuracy: float
    holdout: pd.DataFrame  # the discriminator's holdout rows (the table's columns only)
    is_fake: np.ndarray  # their truth: 1 for a synthetic row
    probability: np.ndarray  # the discriminator's probability that each is synthetic
    importance: dict[str, float]  # per column, summing to 1
    rows: dict[str, int]


@dataclass
class Labelled:
    """Real and fake rows side by side, labelled, in the model's view, and split into the rows a
    discriminator learns from and those it is scored on: prepared once for every discriminator of a
    pair of tables (the one on every column and each one-column one)."""

    rows: pd.DataFrame  # the tables' columns, real rows first
    features: pd.DataFrame  # to_features of rows
    is_fake: np.ndarray
    train_index: np.ndarray
    holdout_index: np.ndarray
    counts: dict[str, int]

    @classmethod
    def of(
        cls, real, fake, categorical, ordered, holdout_fraction=0.2, balance=True, seed=0, max_rows=None
    ) -> Labelled:
        """``real`` and ``fake`` labelled (balanced: the larger one subsampled to the smaller's size; each
        subsampled to at most ``max_rows``, seeded) and split on a seeded, stratified holdout of
        ``holdout_fraction``."""
        available = {"real_available": len(real), "fake_available": len(fake)}
        sizes = [min(len(real), len(fake))] * 2 if balance else [len(real), len(fake)]
        if max_rows is not None:  # a row budget: the fits' cost stops growing with the table
            sizes = [min(size, max_rows) for size in sizes]
        real, fake = (limit_rows(frame, size, seed) for frame, size in zip((real, fake), sizes, strict=True))
        columns = list(categorical) + list(ordered)
        rows = pd.concat([real[columns], fake[columns]], ignore_index=True)
        is_fake = np.r_[np.zeros(len(real), dtype=int), np.ones(len(fake), dtype=int)]
        if min(len(real), len(fake)) < 10:
            raise SynthproofError(f"too few rows to discriminate ({len(real)} real, {len(fake)} fake)")
        train_index, holdout_index = train_test_split(
            np.arange(len(rows)), test_size=holdout_fraction, random_state=seed, stratify=is_fake
        )
        (features,) = to_features([rows], categorical, ordered)
        counts = {"real": len(real), "fake": len(fake), "holdout": len(holdout_index), **available}
        return cls(rows, features, is_fake, train_index, holdout_index, counts)

    def score(
        self, columns: list[str] | None = None, model: str = "lightgbm", seed: int = 0, **options
    ) -> Discrimination:
        """Train ``model`` (``options``: early_stopping_rounds, threads) on ``columns`` (every one when
        None) of the learning rows and score it on the holdout rows."""
        features = self.features if columns is None else self.features[columns]
        discriminator = DISCRIMINATORS[model](seed=seed, **options)
        discriminator.fit(features.iloc[self.train_index], self.is_fake[self.train_index])
        probability = discriminator.predict(features.iloc[self.holdout_index])
        truth = self.is_fake[self.holdout_index]
        if hasattr(discriminator, "importance"):
            importance = discriminator.importance()
        else:
            importance = permutation_importance(discriminator, features.iloc[self.holdout_index], truth, seed)
        return Discrimination(
            auc=float(roc_auc_score(truth, probability)),
            auc_se=delong(truth, probability)[1],
            accuracy=float(accuracy_score(truth, probability > 0.5)),
            holdout=self.rows.iloc[self.holdout_index].reset_index(drop=True),
            is_fake=truth,
            probability=np.round(probability, 6),
            importance=_normalised(importance),
            rows=self.counts,
        )


def check_model(model: str) -> None:
    if model not in DISCRIMINATORS:
        raise SynthproofError(
            f"discriminate.model {model!r} is not known: choose one of {sorted(DISCRIMINATORS)}"
        )


def discriminate(
    real: pd.DataFrame,
    fake: pd.DataFrame,
    categorical: list[str],
    ordered: list[str],
    *,
    model: str = "lightgbm",
    holdout_fraction: float = 0.2,
    balance: bool = True,
    early_stopping_rounds: int = 5,
    seed: int = 0,
    threads: int = 2,
    max_rows: int | None = None,
) -> Discrimination:
    """Train ``model`` to tell ``fake`` rows from ``real`` ones and score it on a seeded holdout.

    Args:
        real, fake: The two tables; only the ``categorical`` and ``ordered`` (numeric, datetime)
            columns are used.
        balance: Subsample the larger table to the size of the smaller, so that an AUC of 0.5 and an
            accuracy of 0.5 both mean "cannot tell".
        threads: The discriminator's threads (LightGBM's deterministic mode gives the same bits with any).
        max_rows: The most rows of each table labelled (a seeded sample); None: every row.
    """
    check_model(model)
    labelled = Labelled.of(real, fake, categorical, ordered, holdout_fraction, balance, seed, max_rows)
    return labelled.score(
        model=model, seed=seed, early_stopping_rounds=early_stopping_rounds, threads=threads
    )


def column_aucs(labelled: Labelled, progress=None, *, seed: int = 0, **options) -> dict[str, float]:
    """For each column alone, the holdout AUC of a LightGBM discriminator that sees only it, on the
    rows and split of ``labelled`` (``options``: early_stopping_rounds, threads); ``progress`` advances by
    one per column."""
    progress = Silent() if progress is None else progress
    aucs = {}
    for name in labelled.features.columns:
        progress.set_postfix_str(f"one-column AUC: {name}", refresh=False)
        aucs[name] = labelled.score([name], model="lightgbm", seed=seed, **options).auc
        progress.update(1)
    return aucs


def extreme_records(scored: Discrimination, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` holdout rows that look most fake and the ``n`` that look most real, each led by its
    true label and probability (columns named ``LABEL`` and ``PROBABILITY`` unless the table has those)."""
    rows = scored.holdout
    taken = set(rows.columns)
    label, probability = fresh_name(LABEL, taken), fresh_name(PROBABILITY, taken)
    records = pd.concat(
        [
            pd.DataFrame({label: np.where(scored.is_fake == 1, FAKE, REAL), probability: scored.probability}),
            rows,
        ],
        axis=1,
    )
    ordered = records.iloc[np.argsort(scored.probability, kind="stable")]
    return ordered.tail(n).iloc[::-1].reset_index(drop=True), ordered.head(n).reset_index(drop=True)


def probability_histogram(scored: Discrimination, bins: int = 20) -> pd.DataFrame:
    """Counts of holdout rows per probability bin, REAL and FAKE side by side."""
    samples = {name.lower(): scored.probability[scored.is_fake == (name == FAKE)] for name in (REAL, FAKE)}
    return histogram_table(np.linspace(0, 1, bins + 1), samples)


def permutation_importance(discriminator, features: pd.DataFrame, truth: np.ndarray, seed: int) -> dict:
    """Per column, how much the holdout AUC drops when that column is shuffled (0 if it rises)."""
    baseline = roc_auc_score(truth, discriminator.predict(features))
    rng = np.random.default_rng(seed)
    drops = {}
    for name in features.columns:
        shuffled = features.copy()
        shuffled[name] = pd.Series(features[name].array.take(rng.permutation(len(features))), features.index)
        drops[name] = max(0.0, baseline - roc_auc_score(truth, discriminator.predict(shuffled)))
    return drops


def _normalised(importance: dict[str, float]) -> dict[str, float]:
    total = sum(importance.values())
    return {k: (v / total if total > 0 else 0.0) for k, v in importance.items()}


@dataclass
class Floor:
    """What real rows score against real rows, which no generator changes: the floor (the same
    discriminator asked to tell the holdout from training rows) and the holdout's own share of rows with
    a category pair no training row holds. The ``score_real`` stage computes it once per split."""

    auc: float
    auc_se: float
    accuracy: float
    rows: dict[str, int]
    holdout_unseen_pair_rows: int
    holdout_rows: int

    @property
    def holdout_unseen_pair_share(self) -> float:
        return self.holdout_unseen_pair_rows / self.holdout_rows if self.holdout_rows else 0.0

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Floor:
        return cls(**data)


def real_vs_real_floor(
    train: pd.DataFrame, holdout: pd.DataFrame, categorical: list[str], ordered: list[str], **options
) -> Floor:
    """The floor: :func:`discriminate` (with ``options``, always balanced) on holdout vs training rows;
    and the holdout's unseen category pairs."""
    floor = discriminate(train, holdout, categorical, ordered, **{**options, "balance": True})
    pairs = unseen_pairs(train, holdout, list(categorical), list(ordered))
    return Floor(floor.auc, floor.auc_se, floor.accuracy, floor.rows, pairs.count, len(holdout))
