"""The compare stage's model zoos: each model's class and constructor options, by PyCaret's id.

Two zoos, one per task (``PROBLEMS``): PyCaret's turbo list of classifiers and of regressors, from
scikit-learn and LightGBM. The ids and leaderboard columns live in ``synthproof.tasks`` (the params are
checked against them there); each zoo must hold exactly its task's ids, in order. No estimator is
imported until one is made.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, fields

from synthproof.tasks import CLASSIFICATION, REGRESSION, TASKS, TaskKind


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
    # predict is the most probable class of predict_proba (as scikit-learn defines knn's): taken from the
    # probabilities, so that the all-pairs search runs once, not twice
    predicts_most_probable: bool = False

    def make(self, seed: int, threads: int = 1):
        """A fresh, unfitted estimator; one with ``parallel`` runs on ``threads`` (a refit, alone on the
        machine; in a fold it shares the cores with the other fits)."""
        module, _, cls = self.estimator.partition(":")
        options = {**self.options, **({"random_state": seed} if self.seeded else {})}
        if self.parallel:
            options["n_jobs"] = threads
        return getattr(importlib.import_module(module), cls)(**options)


# PyCaret's turbo classifiers (compare.models).
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
        predicts_most_probable=True,
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

# PyCaret's turbo regressors (compare.regression_models), with PyCaret's options. lr and ridge stay dense:
# on sparse input scikit-learn solves them iteratively (lsqr, sparse_cg), which stops far from the answer
# beside unscaled numbers (census: R2 0.38 and 0.01 where the dense solvers reach 0.43); coordinate descent
# (lasso, en) converges on either.
REGRESSORS: dict[str, ZooEntry] = {
    "lr": ZooEntry(
        "Linear Regression", "sklearn.linear_model:LinearRegression", seeded=False, scale_sensitive=True
    ),
    "lasso": ZooEntry("Lasso Regression", "sklearn.linear_model:Lasso", scale_sensitive=True, sparse=True),
    "ridge": ZooEntry("Ridge Regression", "sklearn.linear_model:Ridge", scale_sensitive=True),
    "en": ZooEntry("Elastic Net", "sklearn.linear_model:ElasticNet", scale_sensitive=True, sparse=True),
    "lar": ZooEntry("Least Angle Regression", "sklearn.linear_model:Lars", scale_sensitive=True),
    "llar": ZooEntry("Lasso Least Angle Regression", "sklearn.linear_model:LassoLars", scale_sensitive=True),
    "omp": ZooEntry(
        "Orthogonal Matching Pursuit", "sklearn.linear_model:OrthogonalMatchingPursuit", seeded=False,
        scale_sensitive=True,
    ),
    "br": ZooEntry(
        "Bayesian Ridge", "sklearn.linear_model:BayesianRidge", seeded=False, scale_sensitive=True
    ),
    # PyCaret's PassiveAggressiveRegressor, which scikit-learn 1.8 deprecated for this very SGDRegressor
    "par": ZooEntry(
        "Passive Aggressive Regressor",
        "sklearn.linear_model:SGDRegressor",
        {"loss": "epsilon_insensitive", "penalty": None, "learning_rate": "pa1", "eta0": 1.0},
        scale_sensitive=True,
    ),
    "huber": ZooEntry(
        "Huber Regressor", "sklearn.linear_model:HuberRegressor", seeded=False, scale_sensitive=True
    ),
    "knn": ZooEntry(
        "K Neighbors Regressor",
        "sklearn.neighbors:KNeighborsRegressor",
        {"n_jobs": 1},
        seeded=False,
        scale_sensitive=True,
        parallel=True,
        max_fit_rows=50_000,  # prediction compares every test row with every fitted row
    ),
    "dt": ZooEntry("Decision Tree Regressor", "sklearn.tree:DecisionTreeRegressor", tree=True),
    "rf": ZooEntry(
        "Random Forest Regressor", "sklearn.ensemble:RandomForestRegressor", {"n_jobs": 1}, tree=True,
        parallel=True,
    ),
    "et": ZooEntry(
        "Extra Trees Regressor", "sklearn.ensemble:ExtraTreesRegressor", {"n_jobs": 1}, tree=True,
        parallel=True,
    ),
    "ada": ZooEntry("AdaBoost Regressor", "sklearn.ensemble:AdaBoostRegressor", tree=True),
    "gbr": ZooEntry("Gradient Boosting Regressor", "sklearn.ensemble:GradientBoostingRegressor", tree=True),
    "lightgbm": ZooEntry(
        "Light Gradient Boosting Machine", "lightgbm:LGBMRegressor", {"n_jobs": 1, "verbose": -1}, tree=True
    ),
    "dummy": ZooEntry("Dummy Regressor", "sklearn.dummy:DummyRegressor", {"strategy": "mean"}, seeded=False),
}  # fmt: skip


@dataclass(frozen=True)
class Problem(TaskKind):
    """A task's names (``TaskKind``) with its zoo: the models by id."""

    models: dict[str, ZooEntry] = field(default_factory=dict)

    def __post_init__(self):
        if tuple(self.models) != self.model_ids:  # one home: synthproof.tasks names the ids
            raise AssertionError(f"the {self.name} zoo holds {list(self.models)}, not {self.model_ids}")


def _problem(task: str, models: dict[str, ZooEntry]) -> Problem:
    kind = TASKS[task]
    return Problem(**{f.name: getattr(kind, f.name) for f in fields(TaskKind)}, models=models)


PROBLEMS: dict[str, Problem] = {
    CLASSIFICATION: _problem(CLASSIFICATION, MODELS),
    REGRESSION: _problem(REGRESSION, REGRESSORS),
}
