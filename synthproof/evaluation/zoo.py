"""The compare stage's model zoo and leaderboard columns: the one home of these names.

The zoo is PyCaret's turbo list of classifiers, from scikit-learn and LightGBM, under PyCaret's ids.
This module imports no estimator until one is made, so that ``synthproof.config`` can validate
``compare.models`` and ``compare.sort`` against it without loading scikit-learn.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

# PyCaret's compare_models columns: the model's name, then the scores, then the mean fit seconds per fold.
LEADERBOARD_COLUMNS = ["Model", "Accuracy", "AUC", "Recall", "Prec.", "F1", "Kappa", "MCC", "TT (Sec)"]
SCORE_COLUMNS = LEADERBOARD_COLUMNS[1:-1]  # what one set of predictions is scored on
SORTABLE_COLUMNS = LEADERBOARD_COLUMNS[1:]  # what compare.sort may name


@dataclass(frozen=True)
class ZooEntry:
    """A classifier of the zoo: its name, its class (``module:Class``) and constructor options, whether
    it takes a seed, whether it is a tree model (ordinal-encoded categoricals), whether scale matters
    to it (standardised inputs under ``normalize``), whether it fits on sparse one-hot columns, and a
    row budget of its own for a model whose cost grows with the square of the rows (every fit, in a fold
    or a refit, on a seeded sample of at most ``max_fit_rows``)."""

    name: str
    estimator: str
    options: dict = field(default_factory=dict)
    seeded: bool = True
    scale_sensitive: bool = False
    tree: bool = False
    # fits on sparse one-hot columns: lbfgs's cost grows with the non-zeros (one per categorical)
    # rather than with the indicator columns (up to 25 per categorical)
    sparse: bool = False
    max_fit_rows: int | None = None
    parallel: bool = False  # the same fit on any number of threads (n_jobs): scikit-learn's forests, knn

    def make(self, seed: int, threads: int = 1):
        """A fresh, unfitted estimator; one with ``parallel`` runs on ``threads`` (a refit, alone on the
        machine; in a fold it shares the cores with the other fits)."""
        module, _, cls = self.estimator.partition(":")
        options = {**self.options, **({"random_state": seed} if self.seeded else {})}
        if self.parallel:
            options["n_jobs"] = threads
        return getattr(importlib.import_module(module), cls)(**options)


MODELS: dict[str, ZooEntry] = {
    "lr": ZooEntry(
        "Logistic Regression",
        "sklearn.linear_model:LogisticRegression",
        {"max_iter": 1000},
        scale_sensitive=True,
        sparse=True,
    ),
    "knn": ZooEntry(
        "K Neighbors Classifier",
        "sklearn.neighbors:KNeighborsClassifier",
        {"n_jobs": 1},
        seeded=False,
        scale_sensitive=True,
        parallel=True,
        max_fit_rows=50_000,  # prediction compares every test row with every fitted row
    ),
    "nb": ZooEntry("Naive Bayes", "sklearn.naive_bayes:GaussianNB", seeded=False),
    "dt": ZooEntry("Decision Tree Classifier", "sklearn.tree:DecisionTreeClassifier", tree=True),
    "svm": ZooEntry(
        "SVM - Linear Kernel",
        "sklearn.linear_model:SGDClassifier",
        {"loss": "hinge", "n_jobs": 1},
        scale_sensitive=True,  # dense: SGD damps the intercept's steps on sparse input, another model
    ),
    "ridge": ZooEntry("Ridge Classifier", "sklearn.linear_model:RidgeClassifier", scale_sensitive=True),
    "rf": ZooEntry(
        "Random Forest Classifier",
        "sklearn.ensemble:RandomForestClassifier",
        {"n_jobs": 1},
        tree=True,
        parallel=True,
    ),
    "qda": ZooEntry(
        "Quadratic Discriminant Analysis",
        "sklearn.discriminant_analysis:QuadraticDiscriminantAnalysis",
        seeded=False,
        scale_sensitive=True,
    ),
    "ada": ZooEntry("Ada Boost Classifier", "sklearn.ensemble:AdaBoostClassifier", tree=True),
    "gbc": ZooEntry("Gradient Boosting Classifier", "sklearn.ensemble:GradientBoostingClassifier", tree=True),
    "lda": ZooEntry(
        "Linear Discriminant Analysis",
        "sklearn.discriminant_analysis:LinearDiscriminantAnalysis",
        seeded=False,
        scale_sensitive=True,
    ),
    "et": ZooEntry(
        "Extra Trees Classifier",
        "sklearn.ensemble:ExtraTreesClassifier",
        {"n_jobs": 1},
        tree=True,
        parallel=True,
    ),
    "lightgbm": ZooEntry(
        "Light Gradient Boosting Machine",
        "lightgbm:LGBMClassifier",
        {"n_jobs": 1, "verbose": -1},  # one thread: joblib runs the fits side by side
        tree=True,
    ),
    "dummy": ZooEntry(
        "Dummy Classifier", "sklearn.dummy:DummyClassifier", {"strategy": "prior"}, seeded=False
    ),
}
