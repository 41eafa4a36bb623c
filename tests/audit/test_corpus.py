"""Every corpus table reads through the pipeline's own ingest, as a user's table would."""

import importlib.util

import pytest

from synthproof.audit.corpus import TABLES, corpus_table
from synthproof.errors import SynthproofError
from synthproof.schema import prepare_table


@pytest.mark.extra  # the corpus's packages: requirements-audit.txt
@pytest.mark.parametrize("name", list(TABLES))
def test_each_table_ingests_with_its_target_and_licence(name):
    table = TABLES[name]
    if importlib.util.find_spec(table.package) is None:
        pytest.skip(
            f"{table.package} is not installed: pip install -r requirements-audit.txt (CI installs it)"
        )
    frame = table.frame()
    prepared, schema, _ = prepare_table(
        frame, table.target, **{k: v for k, v in table.ingest.items() if k != "na_values"}
    )
    assert 300 <= len(prepared) <= 50000
    assert schema.target == table.target and table.licence


def test_the_corpus_spans_every_task_and_enough_tables():
    assert len(TABLES) >= 12
    what = " ".join(table.what for table in TABLES.values())
    for needed in ("binary", "multiclass", "numeric target", "key", "date", "missing values"):
        assert needed in what


def test_an_unknown_table_is_one_line():
    with pytest.raises(SynthproofError, match="not in the corpus"):
        corpus_table("titanic")
