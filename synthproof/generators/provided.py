"""provided: a synthetic table made elsewhere (a vendor's, another library's, a colleague's), in the place
of a generator's training and sampling, so that every evaluation stage judges it as it would a table drawn
here.

It learns nothing: ``fit`` reads the file and brings it to the training part's columns and dtypes
(:func:`synthproof.conform.conform_table`); ``draw`` gives its rows as they are (all of them, or a seeded
subset). No wrapper touches them: no clipping, no re-encoding.
"""

from __future__ import annotations

import tempfile

import pandas as pd

from synthproof.conform import conform_table
from synthproof.errors import SynthproofError
from synthproof.generators.base import Fit, Generator
from synthproof.generators.wrapper import Draw
from synthproof.io import TableLimits, read_table, resolve_source, sha256_file
from synthproof.split import table_fingerprint

WHERE = "generator.provided.source"


class ProvidedTable(Generator):
    """The synthetic table at ``source`` (a CSV, CSV.gz or Parquet path, or an http(s) URL looked up in
    ``$SYNTHPROOF_DATA_DIR`` first), checked against ``sha256`` when given.

    Args:
        seed: Seeds the subset drawn when fewer rows than the table holds are asked for.
        target: The target column (named first when it is missing).
        source, sha256, format, na_values: Read as ``ingest``'s keys of the same names.
        extra_columns: ``error``: a column the real table lacks is an error; ``drop``: left out.
        trained_on: The training part's fingerprint its maker was given (:func:`check_provenance`).
        max_columns, max_cells: The table's bounds, ``ingest.max_columns`` and ``ingest.max_cells``
            (:class:`synthproof.io.TableLimits`), checked before it is read whole.
    """

    name = "provided"
    redraws = False  # its rows are what they are: no copy guard can draw others

    def __init__(
        self,
        seed: int = 0,
        target: str = "",
        source: str | None = None,
        sha256: str | None = None,
        format: str = "auto",
        na_values=(),
        extra_columns: str = "error",
        trained_on: str | None = None,
        max_columns: int = TableLimits.max_columns,
        max_cells: int = TableLimits.max_cells,
    ):
        self.seed, self.target, self.source, self.sha256, self.format = seed, target, source, sha256, format
        self.na_values, self.extra_columns, self.trained_on = list(na_values), extra_columns, trained_on
        self.max_columns, self.max_cells = max_columns, max_cells  # plain numbers: the model file holds them
        self._frame: pd.DataFrame | None = None

    def fit(self, df: pd.DataFrame, discrete_columns: list[str]) -> Fit:
        """Read the table and conform it to ``df`` (the training part); its figures for the metrics."""
        with tempfile.TemporaryDirectory() as downloads:
            local = resolve_source(
                self.source, self.sha256, downloads, keys=(WHERE, "generator.provided.sha256")
            )
            limits = TableLimits(max_columns=self.max_columns, max_cells=self.max_cells)
            table = read_table(local, self.format, self.na_values, limits, name=self.source)
            digest = sha256_file(local)
        conformed = conform_table(table, df, self.target, discrete_columns, WHERE, self.extra_columns)
        self._frame = conformed.frame
        return Fit({"provided_sha256": digest, **{f"provided_{k}": v for k, v in conformed.report().items()}})

    def rows_to_draw(self, requested: int | None, training_rows: int) -> int:
        """All its rows unless fewer are asked for; more is an error (it cannot draw others)."""
        held = len(self._frame)
        if requested is not None and requested > held:
            raise SynthproofError(
                f"sample.rows={requested} but the provided table has {held:,} rows, and cannot be drawn "
                f"again: set sample.rows to null (all of them) or at most {held}"
            )
        return held if requested is None else requested

    def sample(self, n: int, seed: int | None = None) -> pd.DataFrame:
        return self.draw(n, seed).frame

    def draw(self, n: int, seed: int | None = None) -> Draw:
        """The table itself when ``n`` is its length, else a seeded subset of ``n`` rows in table order."""
        frame = self._frame
        if n < len(frame):
            frame = frame.sample(n=n, random_state=self.seed if seed is None else seed).sort_index()
        return Draw(frame.reset_index(drop=True), {})


def check_provenance(train: pd.DataFrame, trained_on: str | None, split_given: bool, max_rows: int | None):
    """Refuse a provided table whose holdout the pipeline cannot vouch for.

    A synthetic table made from every real row has seen the holdout too, and then every privacy figure
    reads safe (the DCR share 0.5) by accident. The holdout is vouched for when the split was given with
    the table (``split.holdout_source``), or when the maker was handed this training part
    (``trained_on`` is its fingerprint, as split writes it). Privacy's attacks target the rows the maker
    saw: all of the training part, so ``generator.max_rows`` must not cut it.
    """
    fingerprint = table_fingerprint(train)
    if not split_given and trained_on is None:
        raise SynthproofError(
            "generator.provided: the holdout was split here, so nothing says the synthetic table's maker "
            "never saw it: either hand the maker data/split/train.parquet and set "
            f"generator.provided.trained_on: {fingerprint} (split's train_fingerprint), or give the split "
            "the maker used (ingest.source: its training part; split.holdout_source: its holdout)"
        )
    if not split_given and trained_on != fingerprint:
        raise SynthproofError(
            f"generator.provided.trained_on is {trained_on}, but this split's training part is "
            f"{fingerprint}: the maker was given other rows, so the holdout may be among them: make "
            "the synthetic table from this data/split/train.parquet, or give the split the maker used "
            "(split.holdout_source)"
        )
    if max_rows is not None and len(train) > max_rows:
        raise SynthproofError(
            f"generator.max_rows={max_rows} is below the training part's {len(train):,} rows: the "
            "provided table's maker saw them all, and the privacy attacks must target them all: set "
            "generator.max_rows to null"
        )
