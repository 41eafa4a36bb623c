"""Model files hold data, never code: a pickle, a file naming an untrusted class and a truncated file are
each refused with a one-line error, and nothing they name runs."""

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest

from synthproof.generators import CARTGenerator, Generator, TableWrapper
from synthproof.generators.model_file import FORMAT, TREE, ModelFileError, read, write


class _Runs:
    """A pickle payload: unpickling it runs a command that leaves a file behind."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.fixture
def saved(mixed_frame, tmp_path):
    generator = TableWrapper(CARTGenerator(seed=0), id_columns=["customer_id"])
    generator.fit(mixed_frame, ["colour", "member", "label"])
    generator.save(tmp_path / "model.zip")
    return generator, tmp_path / "model.zip"


def test_a_pickle_is_refused_and_runs_nothing(tmp_path):
    marker, path = tmp_path / "ran", tmp_path / "model.zip"
    path.write_bytes(pickle.dumps(_Runs(marker)))
    with pytest.raises(ModelFileError, match="is a pickle, which synthproof never loads") as error:
        Generator.load(path)
    assert "\n" not in str(error.value) and not marker.exists()


def test_a_file_naming_a_class_no_generator_holds_is_refused_before_anything_is_built(saved, tmp_path):
    _, path = saved
    with zipfile.ZipFile(path) as archive:
        tree = json.loads(archive.read(TREE))
    # the wrapper's inner generator replaced by a class whose construction could run code
    tree["root"]["state"]["items"][0][1] = {
        "$": "object",
        "class": "subprocess:Popen",
        "state": {"$": "dict", "items": []},
    }
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(forged, "w") as archive:
        archive.writestr(TREE, json.dumps(tree))
    with pytest.raises(
        ModelFileError, match=r"names the class 'subprocess:Popen', which no synthproof model"
    ):
        Generator.load(forged)


def test_a_truncated_or_foreign_file_is_a_one_line_error(saved, tmp_path):
    _, path = saved
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr(TREE, json.dumps({"format": "something/9", "root": None}))
    for bad, message in [(truncated, "is damaged"), (other, f"is not a {FORMAT} model file")]:
        with pytest.raises(ModelFileError, match=message) as error:
            Generator.load(bad)
        assert "\n" not in str(error.value)


def test_the_same_model_gives_the_same_bytes_and_the_same_rows(saved, tmp_path):
    generator, path = saved
    generator.save(tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == path.read_bytes()
    assert not zipfile.ZipFile(path).namelist()[0].endswith(".pkl")
    pd.testing.assert_frame_equal(Generator.load(path).sample(50, seed=3), generator.sample(50, seed=3))


def test_values_of_every_kind_come_back_as_they_were(tmp_path):
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None, 3], dtype="Int64"),
            "s": pd.array(["a", None, "c"], dtype="string"),
            "c": pd.Categorical(["x", "y", "x"]),
            "t": pd.to_datetime(["2020-01-01", "2021-06-30", None]).tz_localize("Europe/Berlin"),
            "f": [0.5, np.nan, np.inf],
        },
        index=pd.Index(["r1", "r2", "r3"], name="row"),
    )
    rng = np.random.RandomState(4)
    value = {
        "frame": frame,
        "series": frame["t"],
        "dtypes": [np.dtype("int8"), frame["c"].dtype, frame["t"].dtype],
        "scalars": (np.float32(1.5), np.int64(-2), True, None, float("nan"), pd.NaT, pd.NA),
        "text": np.array(["é", "../x", "<script>"]),
        "objects": np.array([1, "two", None], dtype=object),
        "bytes": b"\x00\x80 raw",
        ("tuple", 1): {3, 1, 2},
        "state": rng,
    }
    path = tmp_path / "values.zip"
    write(value, path, frozenset())
    back = read(path, frozenset())
    pd.testing.assert_frame_equal(back["frame"], frame)
    pd.testing.assert_series_equal(back["series"], frame["t"])
    assert back["dtypes"] == value["dtypes"] and back[("tuple", 1)] == {1, 2, 3}
    assert back["scalars"][:4] == (1.5, -2, True, None) and type(back["scalars"][0]) is np.float32
    assert np.isnan(back["scalars"][4]) and back["scalars"][5] is pd.NaT and back["scalars"][6] is pd.NA
    assert back["text"].tolist() == value["text"].tolist() and back["objects"].tolist() == [1, "two", None]
    assert back["bytes"] == value["bytes"] and back["state"].random() == rng.random()


def test_an_undeclared_class_is_an_error_when_saving(tmp_path):
    with pytest.raises(ModelFileError, match="which no generator names in state_types"):
        write({"x": io.StringIO()}, tmp_path / "x.zip", frozenset())
