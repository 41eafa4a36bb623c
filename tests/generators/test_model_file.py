"""Model files hold data, never code: a pickle, a file naming an untrusted class and a truncated file are
each refused with a one-line error, and nothing they name runs; a hostile file (a zip bomb, a huge
declared array, deep JSON, a wrong tag) is refused within bounds, before it is read or built."""

import io
import json
import os
import pickle
import zipfile

import numpy as np
import pandas as pd
import pytest

from synthproof.generators import ARFGenerator, CARTGenerator, Generator, TableWrapper, model_file
from synthproof.generators.model_file import FORMAT, TREE, ModelFileError, read, write
from tests.conftest import plain

CART = "synthproof.generators.cart:CARTGenerator"


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
    assert "\n" not in plain(str(error.value)) and not marker.exists()


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
        assert "\n" not in plain(str(error.value))


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


# Hostile files (issue 47): each is refused by Generator.load with one line that names the file.


def tree_of(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read(TREE))


def rewrite(path, out, tree=None, entries=None, tree_text=None):
    """A copy of the model file ``path`` at ``out``: its tree (or raw text) and entries replaced."""
    entries = entries or {}
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        text = tree_text if tree_text is not None else json.dumps(tree or json.loads(source.read(TREE)))
        archive.writestr(TREE, text)
        for name in source.namelist():
            if name != TREE and name not in entries:
                archive.writestr(name, source.read(name))
        for name, data in entries.items():
            archive.writestr(name, data)
    return out


def nodes(node):
    """Every dict of a model's tree, in order."""
    if isinstance(node, list):
        for item in node:
            yield from nodes(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)


def objects(tree, suffix):
    """Every object node of a class whose name ends with ``suffix``, in the order of the tree."""
    return (n for n in nodes(tree) if n.get("$") == "object" and n["class"].endswith(suffix))


def first_blob(tree):
    return next(node for node in nodes(tree) if node.get("$") == "array")["blob"]


def attribute(node, name):
    """The ``[name, value]`` pair of an object node's attribute ``name``."""
    return next(pair for pair in node["state"]["items"] if pair[0] == name)


def npy(values) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, values)
    return buffer.getvalue()


def refused(path, match):
    """The one-line error Generator.load gives for ``path``, which names it and shows no internals."""
    with pytest.raises(ModelFileError, match=match) as error:
        Generator.load(path)
    message = str(error.value)
    assert "\n" not in message and message.startswith(str(path)), message
    return plain(message)


def forbid_reading(monkeypatch):
    """From now on any entry opened (ZipFile.read opens too) fails the test: a bound checked first."""
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("an entry read before refused"))


def test_a_tree_json_bomb_is_refused_before_it_is_read(saved, tmp_path, monkeypatch):
    """The issue's 1.6 MB zip whose tree.json unpacks to 1.5 GB, with the bound scaled down to 1 MiB."""
    _, path = saved
    monkeypatch.setattr(model_file, "MAX_TREE_BYTES", 1 << 20)
    text = json.dumps(tree_of(path)) + " " * (2 << 20)  # valid JSON that compresses a thousandfold
    bomb = rewrite(path, tmp_path / "bomb.zip", tree_text=text)
    assert bomb.stat().st_size < 200_000
    forbid_reading(monkeypatch)
    refused(bomb, r"has a tree.json of 2,\d{3},\d{3} bytes, more than 1,048,576")


def test_an_npy_bomb_is_refused_before_anything_is_read(saved, tmp_path, monkeypatch):
    """The issue's .npy entry unpacking to 3.4 GB, with the total bound scaled down to 4 MiB."""
    _, path = saved
    monkeypatch.setattr(model_file, "MAX_UNPACKED_BYTES", 4 << 20)
    bomb = rewrite(path, tmp_path / "bomb.zip", entries={first_blob(tree_of(path)): npy(np.zeros(1 << 20))})
    assert bomb.stat().st_size < 200_000
    forbid_reading(monkeypatch)
    refused(bomb, r"unpacks to \d+,\d{3},\d{3} bytes, more than the 4,194,304 a model file may")


def test_the_bounds_are_the_documented_ones():
    assert model_file.MAX_UNPACKED_BYTES == 1 << 30 and model_file.MAX_TREE_BYTES == 128 << 20
    assert model_file.MAX_ENTRIES == 100_000


def test_too_many_entries_are_refused_before_the_directory_is_parsed(saved, tmp_path, monkeypatch):
    _, path = saved
    monkeypatch.setattr(model_file, "MAX_ENTRIES", 10)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", lambda *a, **k: pytest.fail("directory parsed"))
    refused(path, r"declares \d+ entries, more than 10")


def test_an_npz_entry_is_refused(saved, tmp_path):
    """np.load gave an NpzFile (then ``AttributeError: 'NpzFile' object has no attribute 'dtype'``)."""
    _, path = saved
    tree = tree_of(path)
    array = next(node for node in nodes(tree) if node.get("$") == "array")
    archive = io.BytesIO()
    np.savez(archive, x=np.arange(3))
    blob = array["blob"]
    array["blob"] = blob.replace(".npy", ".npz")
    npz = rewrite(path, tmp_path / "npz.zip", tree, {array["blob"]: archive.getvalue()})
    refused(npz, r"holds the entry 'blobs/\d+.npz': a model file holds only tree.json, .npy arrays")
    renamed = rewrite(path, tmp_path / "renamed.zip", entries={blob: archive.getvalue()})
    refused(renamed, rf"holds '{blob}', which is not a .npy array")


def test_a_declared_shape_of_a_trillion_is_refused_before_allocating(saved, tmp_path):
    """numpy allocated first (``_ArrayMemoryError: Unable to allocate 7.28 TiB``)."""
    _, path = saved
    blob = first_blob(tree_of(path))
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)})
    huge = rewrite(path, tmp_path / "huge.zip", entries={blob: header.getvalue() + bytes(8)})
    refused(huge, r"declares a float64 array of shape \(1000000000000,\) \(8,000,000,000,000 bytes\) in an")


@pytest.mark.parametrize("depth", [300, 200_000])
def test_json_nested_too_deep_is_refused(saved, tmp_path, depth):
    """200,000 deep ended in json's RecursionError; 300 deep parses and is refused while decoding."""
    _, path = saved
    text = f'{{"format": "{FORMAT}", "root": {"[" * depth}{"]" * depth}}}'
    deep = rewrite(path, tmp_path / "deep.zip", tree_text=text)
    refused(deep, "nests deeper than 200 levels")


def test_a_namedtuple_tag_on_a_class_that_is_not_a_namedtuple_is_refused(saved, tmp_path):
    """It ended in ``AttributeError: ... '_make'``."""
    _, path = saved
    tree = tree_of(path)
    attribute(tree["root"], "generator")[1] = {"$": "namedtuple", "class": CART, "items": []}
    refused(rewrite(path, tmp_path / "tagged.zip", tree), f"tags {CART} as a namedtuple, which it is not")


def test_a_class_where_a_value_belongs_is_refused(saved, tmp_path):
    """A trusted class object in the place of the wrapper's generator; cart's own places: test_cart."""
    _, path = saved
    tree = tree_of(path)
    attribute(tree["root"], "generator")[1] = {"$": "class", "class": CART}
    refused(
        rewrite(path, tmp_path / "class.zip", tree),
        "its generator is the class CARTGenerator, not a generator",
    )


def test_out_of_memory_is_one_line(saved, monkeypatch):
    _, path = saved

    def exhausted(*args, **kwargs):
        raise MemoryError("Unable to allocate 3.4 GiB\nfor an array")

    monkeypatch.setattr(np.lib.format, "read_array", exhausted)
    refused(path, "is too large for the memory left")


def test_a_damaged_arf_forest_is_refused_when_loaded(mixed_frame, tmp_path):
    """arf's leaves index its rows: a row's leaf that is no leaf would index past the arrays in sample."""
    generator = TableWrapper(ARFGenerator(num_trees=3, max_iters=1, threads=1), id_columns=["customer_id"])
    generator.fit(mixed_frame, ["colour", "member", "label"])
    path = tmp_path / "model.zip"
    generator.save(path)
    Generator.load(path).sample(20, seed=0)
    forest = next(objects(tree_of(path), ":ARFGenerator"))
    blob = attribute(forest, "_row_keys")[1]["blob"]
    with zipfile.ZipFile(path) as archive:
        keys = np.load(io.BytesIO(archive.read(blob)))
    keys[0, 0] = keys.max() + 1
    damaged = rewrite(path, tmp_path / "damaged.zip", entries={blob: npy(keys)})
    refused(damaged, "holds a damaged synthproof.generators.arf:ARFGenerator: a row's leaf is not among")
