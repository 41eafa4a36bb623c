import pandas as pd

from synthproof.evaluation.ranges import column_sanity, out_of_range_share, unseen_category_share


def test_out_of_range_share_counts_values_past_either_end():
    real = pd.Series([0, 5, 10, None])
    assert out_of_range_share(real, pd.Series([-1, 0, 10, 11, None])) == 0.5
    assert out_of_range_share(real, pd.Series([None, None])) == 0.0


def test_unseen_categories_and_column_report():
    real = pd.DataFrame({"x": [1.0, 2.0, 3.0], "c": ["a", "b", None]})
    fake = pd.DataFrame({"x": [0.0, 2.0, 2.5], "c": ["a", "z", "z"]})
    assert unseen_category_share(real["c"], fake["c"]) == 2 / 3
    report = column_sanity(real, fake, ordered=["x"], discrete=["c"])
    assert report["x"]["out_of_range_share"] == round(1 / 3, 4)
    assert report["c"]["missing_share_real"] == round(1 / 3, 4)
    assert report["c"]["unseen_category_share"] == round(2 / 3, 4)
