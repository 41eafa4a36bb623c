"""Linked columns: pairs where one column (nearly) fixes the other in the real data (census:
``education`` fixes ``education_num``).

Shared by the generator wrapper, which can derive such a column from its source instead of learning it,
and by the evaluation, which measures how often synthetic rows break the link.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthproof.values import as_text


@dataclass(frozen=True)
class Link:
    """``source`` fixes ``target`` in the real rows for a share ``consistency`` of them."""

    source: str
    target: str
    consistency: float
    one_to_one: bool
    mapping: dict  # source value -> the target value it goes with in the real data

    @property
    def name(self) -> str:
        return f"{self.source}->{self.target}"


# A source is evidence of a link only where its values repeat: at least this share of the rows must hold a
# value seen in at least MIN_SUPPORT rows. A value seen once "fixes" whatever its row holds, so a key-like
# column of a small table would otherwise fix every other column.
MIN_SUPPORT, MIN_SUPPORTED_SHARE = 3, 0.9


def find_links(
    real: pd.DataFrame,
    columns: list[str],
    min_consistency: float = 0.99,
    max_categories: int = 100,
) -> list[Link]:
    """Column pairs where ``source`` determines ``target`` in at least ``min_consistency`` of the rows.

    A source has between 2 and ``max_categories`` distinct values (an ID fixes everything and says
    nothing) that repeat (``MIN_SUPPORTED_SHARE`` of the rows hold a value seen ``MIN_SUPPORT`` times); a
    target counts only if its own most common value covers fewer rows than the link does, so that the
    link says more than "the target is nearly constant". A one-to-one pair is reported once.
    """
    codes, values = {}, {}
    for name in columns:
        codes[name], values[name] = pd.factorize(as_key(real[name]))
    distinct = {name: len(values[name]) for name in columns}
    candidates = [name for name in columns if 2 <= distinct[name] <= max_categories and _repeats(codes[name])]
    links: list[Link] = []
    for source in candidates:
        for target in columns:
            if target == source or distinct[target] > distinct[source]:
                continue
            # counts[s, t]: rows with source code s and target code t, by one bincount
            pair = codes[source] * distinct[target] + codes[target]
            counts = np.bincount(pair, minlength=distinct[source] * distinct[target])
            counts = counts.reshape(distinct[source], distinct[target])
            consistency = counts.max(axis=1).sum() / len(real)
            majority = np.bincount(codes[target]).max() / len(real)
            if consistency >= min_consistency and majority < consistency:
                best = counts.argmax(axis=1)
                mapping = {values[source][s]: values[target][t] for s, t in enumerate(best)}
                links.append(Link(source, target, float(consistency), False, mapping))
    pairs = {(link.source, link.target) for link in links}
    kept = []
    for link in links:
        reverse = (link.target, link.source) in pairs
        if reverse and columns.index(link.target) < columns.index(link.source):
            continue  # keep one direction of a one-to-one pair
        kept.append(Link(link.source, link.target, link.consistency, reverse, link.mapping))
    return kept


def broken_share(link: Link, frame: pd.DataFrame) -> float:
    """Share of rows of ``frame`` whose target is not the one the real data pairs with their source."""
    if len(frame) == 0:
        return 0.0
    expected = as_key(frame[link.source]).map(link.mapping)
    return float((expected != as_key(frame[link.target])).mean())


def _repeats(codes: np.ndarray) -> bool:
    """Whether most rows hold a value that several rows share (see ``MIN_SUPPORTED_SHARE``)."""
    rows_per_value = np.bincount(codes[codes >= 0])
    return rows_per_value[rows_per_value >= MIN_SUPPORT].sum() >= MIN_SUPPORTED_SHARE * len(codes)


def crosstab(link: Link, frame: pd.DataFrame) -> pd.DataFrame:
    """Counts of (source, target) value pairs, sources as rows."""
    return pd.crosstab(as_key(frame[link.source]), as_key(frame[link.target]))


def as_key(series: pd.Series) -> pd.Series:
    """Values as text, missing as '<NA>', so that missing is a value of its own."""
    return as_text(series, missing="<NA>")
