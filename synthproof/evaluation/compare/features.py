"""What the models see: the target's type, the feature columns, and the preprocessing PyCaret's setup does
(missing values imputed, categoricals one-hot or ordinal-encoded, numbers optionally standardised)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

from synthproof.errors import SynthproofError
from synthproof.tasks import CLASSIFICATION, REGRESSION
from synthproof.values import as_float, as_text, sorted_categories

MAX_ONE_HOT = 25


MISSING_CATEGORY = "missing"  # a missing categorical value is a category of its own, as PyCaret imputes it


def target_type(target: pd.Series, task: str = CLASSIFICATION) -> str:
    """``regression``, or ``binary`` or ``multiclass``, as PyCaret decides: by the number of distinct
    target values."""
    if task == REGRESSION:
        return REGRESSION
    classes = target.dropna().nunique()
    if classes < 2:
        raise SynthproofError(f"target {target.name!r} has fewer than two classes: nothing to classify")
    return "binary" if classes == 2 else "multiclass"


def preprocessor(
    categorical: list[str], numeric: list[str], tree: bool, scaled: bool, sparse: bool = False
) -> ColumnTransformer:
    """Imputation, then ordinal codes (``tree``) or one-hot columns for categoricals (a sparse matrix
    when ``sparse`` and the table is mostly indicators), and standardisation when ``scaled``: to fit on
    one fold."""
    numeric_steps = [SimpleImputer(strategy="mean")] + ([StandardScaler()] if scaled else [])
    encoder = (  # on the codes of features(): the very columns, in the same order, that text would give
        OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1, dtype=np.float32)
        if tree
        else OneHotEncoder(
            handle_unknown="infrequent_if_exist", max_categories=MAX_ONE_HOT, sparse_output=sparse
        )
    )
    categorical_steps = [encoder] + ([StandardScaler()] if scaled else [])
    return ColumnTransformer(
        [
            ("numeric", make_pipeline(*numeric_steps), numeric),
            ("categorical", make_pipeline(*categorical_steps), categorical),
        ],
        sparse_threshold=0.3,  # sparse output only where under 30% of the cells are non-zero
    )


def features(frames: list[pd.DataFrame], categorical: list[str], numeric: list[str]) -> list[pd.DataFrame]:
    """Each of ``frames`` in the model's view: each categorical as the position of its text (missing as
    ``missing``) among the texts of every frame, numerics and datetimes as float (missing as NaN). The
    codes keep the texts' order, so that the encoders fitted on them build the columns text would,
    without scikit-learn's sorting and counting of text in Python (15 s to fit one on 192k rows)."""
    texts = [{name: as_text(frame[name], MISSING_CATEGORY) for name in categorical} for frame in frames]
    categories = {name: sorted_categories([text[name] for text in texts]) for name in categorical}
    return [
        pd.DataFrame(  # at once: a column at a time fragments a wide frame
            {
                **{
                    name: pd.Categorical(text[name], categories[name]).codes.astype(np.int64)
                    for name in categorical
                },
                **{name: as_float(frame[name]) for name in numeric},
            },
            index=frame.index,
        )
        for frame, text in zip(frames, texts, strict=True)
    ]


def feature_columns(target: str, categorical: list[str], numeric: list[str]) -> tuple[list[str], list[str]]:
    """The feature columns by kind: every column of the schema's kinds but the target."""
    return [c for c in categorical if c != target], [c for c in numeric if c != target]


def class_labels(target: pd.Series, task: str) -> np.ndarray:
    """The target's classes as text, sorted; none for regression."""
    return np.array([]) if task == REGRESSION else np.array(sorted(target.dropna().astype(str).unique()))
