import pandas as pd

from synthproof.links import broken_share, crosstab, find_links
from tests.conftest import small_table_with_a_key_like_number


def test_census_links(census):
    columns = [c for c in census.columns if c != "fnlwgt"]
    links = {link.name: link for link in find_links(census, columns)}
    assert "education->education_num" in links and "education_num->education" not in links
    link = links["education->education_num"]
    assert link.one_to_one and link.consistency == 1.0
    assert link.mapping["Bachelors"] == "13"
    assert broken_share(link, census) == 0.0


def test_a_nearly_constant_target_is_not_a_link():
    frame = pd.DataFrame({"a": list("xyz") * 100, "b": ["k"] * 299 + ["j"]})
    assert find_links(frame, ["a", "b"]) == []


def test_broken_share_and_crosstab():
    real = pd.DataFrame({"a": ["x", "y"] * 50, "b": [1, 2] * 50})
    (link,) = find_links(real, ["a", "b"])
    fake = pd.DataFrame({"a": ["x", "x", "y", "w"], "b": [1, 2, 2, 1]})
    assert broken_share(link, fake) == 0.5  # (x, 2) breaks the link; so does an unseen source w
    assert crosstab(link, fake).loc["x"].tolist() == [1, 1]


def test_a_column_with_a_value_per_row_fixes_nothing():
    """Seen once, a value is no evidence: a key-like column used to 'fix' every other column of a small
    table (each of its values maps to one row), and the wrapper then derived them all from it."""
    table = small_table_with_a_key_like_number()
    assert table["income"].is_unique and table["income"].nunique() < 500  # within the cutoff
    # the real link, with support (each city has many rows), is all there is
    (link,) = find_links(table, list(table.columns), min_consistency=1.0, max_categories=500)
    assert (link.source, link.target, link.one_to_one) == ("city", "country", True)
