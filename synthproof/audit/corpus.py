"""The audit's corpus: public tables that install offline inside well-kept packages, each with its licence.

Each table is loaded from the package that ships it (``requirements-audit.txt`` installs them), written
to a file, and read by the pipeline's own ``ingest`` exactly as a user's table would be: the audit never
types a column by hand. The two embedded tables need nothing beyond the project itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from synthproof.datasets import BANK_MARKETING, CENSUS
from synthproof.errors import SynthproofError


@dataclass(frozen=True)
class CorpusTable:
    """A public table: where it ships, its target, its licence, and the ingest keys it needs."""

    name: str
    target: str
    package: str  # the package that ships it (an import name); "synthproof" for the embedded ones
    licence: str
    what: str  # the task and what makes it a test: keys, dates, missing values, width
    load: Callable[[], pd.DataFrame]
    ingest: dict = field(default_factory=dict)  # ingest keys (na_values, columns, target_type)

    def frame(self) -> pd.DataFrame:
        """The table as its package ships it; a one-line error names the extra that is missing."""
        return self.load()


def _missing(package: str) -> SynthproofError:
    return SynthproofError(
        f"the audit's corpus needs {package}, which is not installed: "
        "pip install -r requirements-audit.txt -c requirements.txt"
    )


def _statsmodels(name: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        try:
            import statsmodels.datasets
        except ImportError:
            raise _missing("statsmodels") from None
        return importlib.import_module(f"{statsmodels.datasets.__name__}.{name}").load_pandas().data

    return load


def _sklearn(name: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        import sklearn.datasets

        bunch = getattr(sklearn.datasets, f"load_{name}")(as_frame=True)
        return bunch.frame

    return load


def _vega(name: str) -> Callable[[], pd.DataFrame]:
    def load() -> pd.DataFrame:
        try:
            from vega_datasets import local_data
        except ImportError:
            raise _missing("vega_datasets") from None
        return getattr(local_data, name)()

    return load


def _penguins() -> pd.DataFrame:
    try:
        import palmerpenguins
    except ImportError:
        raise _missing("palmerpenguins") from None
    return palmerpenguins.load_penguins()


def _embedded(dataset) -> Callable[[], pd.DataFrame]:
    return lambda: pd.read_csv(dataset.path, na_values=["?"])


def _labelled(load: Callable[[], pd.DataFrame], column: str, labels: dict) -> Callable[[], pd.DataFrame]:
    """``load``'s table with the class codes of ``column`` named (a class target reads as one)."""

    def named() -> pd.DataFrame:
        frame = load()
        frame[column] = frame[column].map(labels)
        return frame

    return named


TABLES: dict[str, CorpusTable] = {
    table.name: table
    for table in [
        CorpusTable("census", "income", "synthproof", "CC BY 4.0 (UCI Adult)",
                    "binary; 48,842 rows; missing values ('?'); a column fixed by another",
                    _embedded(CENSUS), {"na_values": ["?"]}),
        CorpusTable("bank_marketing", "y", "synthproof", "CC BY 4.0 (UCI Bank Marketing)",
                    "binary, 88% one class; 45,211 rows", _embedded(BANK_MARKETING)),
        CorpusTable("randhie", "mdvis", "statsmodels", "public domain (RAND Health Insurance Experiment)",
                    "numeric target (doctor visits, zero-inflated); 20,190 rows", _statsmodels("randhie"),
                    {"target_type": "regression"}),  # ~50 counts: a sample can read as 50 classes
        CorpusTable("fair", "affairs", "statsmodels", "included in statsmodels with the author's permission",
                    "numeric target, mostly 0; 6,366 rows; coded categories", _statsmodels("fair"),
                    {"target_type": "regression"}),
        CorpusTable("seattle_weather", "weather", "vega_datasets", "BSD-3-Clause (vega-datasets; NOAA)",
                    "multiclass; 1,461 rows; a date column", _vega("seattle_weather")),
        CorpusTable("stocks", "symbol", "vega_datasets", "BSD-3-Clause (vega-datasets)",
                    "multiclass; 560 rows; dates", _vega("stocks")),
        CorpusTable("cars", "Origin", "vega_datasets", "BSD-3-Clause (vega-datasets; StatLib)",
                    "multiclass; 406 rows; names (a key), a date, missing values", _vega("cars")),
        CorpusTable("airports", "latitude", "vega_datasets", "BSD-3-Clause (vega-datasets; FAA)",
                    "numeric target (latitude); 3,376 rows; a key (iata), names, cities and states",
                    _vega("airports")),
        CorpusTable("penguins", "species", "palmerpenguins", "CC0-1.0 (Palmer Station LTER)",
                    "multiclass; 344 rows; missing values", _penguins),
        CorpusTable("digits", "target", "sklearn", "CC BY 4.0 (UCI; scikit-learn, BSD-3-Clause)",
                    "10 classes; 1,797 rows; 64 columns",
                    _labelled(_sklearn("digits"), "target", {d: f"digit_{d}" for d in range(10)})),
        CorpusTable("breast_cancer", "target", "sklearn", "CC BY 4.0 (UCI; scikit-learn, BSD-3-Clause)",
                    "binary; 569 rows; 30 numeric columns",
                    _labelled(_sklearn("breast_cancer"), "target", {0: "malignant", 1: "benign"})),
        CorpusTable("diabetes", "target", "sklearn", "scikit-learn, BSD-3-Clause (Efron et al. 2004)",
                    "numeric target; 442 rows", _sklearn("diabetes")),
        CorpusTable("anes96", "vote", "statsmodels", "public domain (American National Election Studies)",
                    "binary; 944 rows",
                    _labelled(_statsmodels("anes96"), "vote", {0.0: "clinton", 1.0: "dole"})),
        CorpusTable("modechoice", "choice", "statsmodels", "public domain (Greene, travel mode choice)",
                    "binary; 840 rows; a key (individual, 4 rows each)",
                    _labelled(_statsmodels("modechoice"), "choice", {0.0: "no", 1.0: "yes"})),
    ]
}  # fmt: skip


def corpus_table(name: str) -> CorpusTable:
    """The table named ``name``; a one-line error lists the others."""
    try:
        return TABLES[name]
    except KeyError:
        raise SynthproofError(
            f"audit.tables names {name!r}, which is not in the corpus: {list(TABLES)}"
        ) from None
