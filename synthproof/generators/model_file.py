"""Model files that hold data and never code: a zip of one JSON tree and numpy arrays.

A pickle runs whatever its bytes name when it is loaded, and a model file travels: through a DVC remote
that every worker can push to, in an experiment a reviewer pulls. So a fitted generator is written as
the attributes of its objects (numbers, text, lists, dicts, arrays, tables, tensors, random states), and
read back only into classes that the reader trusts by name. A file that names any other class, or is not
such a zip at all (a pickle, a truncated copy), is refused with a one-line error before anything is
built from it. ``unzip -l`` lists what a model file holds; its ``tree.json`` is readable text.

A file is read within bounds, checked before the bytes they count are read: at most ``MAX_ENTRIES``
entries, ``MAX_UNPACKED_BYTES`` unpacked in all and ``MAX_TREE_BYTES`` of ``tree.json``; only ``.npy``
arrays (each header read first: its shape and dtype must give the entry's declared size) and ``.bin``
bytes beside it; JSON nested at most ``_MAX_DEPTH`` deep. A trusted class that defines
``_check_loaded(self)`` has it called on each object read back into it (never an attribute of the
object, which the file sets): it raises ``ValueError`` naming what is wrong (a tree whose child points
back to its parent), so that a damaged model is refused when it is loaded, not when it is used.
"""

from __future__ import annotations

import datetime
import importlib
import io
import json
import math
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from synthproof.errors import SynthproofError
from synthproof.io import atomic_path

FORMAT = "synthproof-model/1"
TREE = "tree.json"
_STAMP = (1980, 1, 1, 0, 0, 0)  # every entry's date: the same model gives the same bytes
_MAX_DEPTH = 200  # deeper than any model's state: a cycle, not a model
_TAG = "$"
# The bounds a model file is read within (docs/security.md). Census models unpack to a few MB; a model
# holds at most its training rows (resample, provided) and splits or weights in proportion to them.
MAX_UNPACKED_BYTES = 1 << 30  # 1 GiB: every entry's declared size, summed before anything is read
MAX_TREE_BYTES = 128 << 20  # 128 MiB of tree.json: parsed into Python objects several times its size
MAX_ENTRIES = 100_000  # a cart model holds about 10 arrays a column, a CTGAN one a few hundred


class ModelFileError(SynthproofError):
    """A model file that is not one this module wrote, or names a class it does not trust."""


def class_name(cls: type) -> str:
    """``module:qualname``, the name a model file gives a class."""
    return f"{cls.__module__}:{cls.__qualname__}"


def write(obj: Any, path: str | Path, trusted: frozenset[str]) -> None:
    """Write ``obj`` to ``path`` (atomically); every class its state holds must be in ``trusted``."""
    writer = _Writer(trusted)
    tree = {"format": FORMAT, "root": writer.encode(obj, 0)}
    with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo(TREE, _STAMP), json.dumps(tree, separators=(",", ":")))
        for name, data in writer.blobs.items():
            archive.writestr(zipfile.ZipInfo(name, _STAMP), data, compress_type=zipfile.ZIP_DEFLATED)


def read(path: str | Path, trusted: frozenset[str]) -> Any:
    """The object written to ``path`` by :func:`write`, built only from classes in ``trusted``; any
    damage is a one-line :class:`ModelFileError` that names the file."""
    path = Path(path)
    try:
        _check_entry_count(path)
        with zipfile.ZipFile(path) as archive:
            _check_sizes(archive, path)
            tree = json.loads(archive.read(TREE))
            if not isinstance(tree, dict) or tree.get("format") != FORMAT:
                raise ModelFileError(f"{path} is not a {FORMAT} model file: rerun `dvc repro -f train`")
            return _Reader(archive, trusted, path).decode(tree["root"], 0)
    except ModelFileError:
        raise
    except FileNotFoundError:
        raise ModelFileError(f"{path} does not exist: run `dvc repro train` first") from None
    except MemoryError:
        raise ModelFileError(
            f"{path} is too large for the memory left (out of memory reading it): not a model file "
            "synthproof wrote within its bounds; delete it and rerun `dvc repro -f train`"
        ) from None
    except RecursionError:
        raise _refuse(path, f"nests deeper than {_MAX_DEPTH} levels") from None
    except Exception as error:  # any other damage: a one-line answer, never a traceback
        raise ModelFileError(
            f"{path} is {_what(path)} ({_one_line(error)}): not a model file synthproof wrote; "
            "delete it and rerun `dvc repro -f train`"
        ) from None


def _refuse(path: Path, what: str) -> ModelFileError:
    return ModelFileError(
        f"{path} {what}: it was not written by synthproof's train stage; "
        "do not use it, delete it and rerun `dvc repro -f train`"
    )


def _what(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            pickled = handle.read(1) == b"\x80"  # a pickle's protocol opcode
    except OSError:
        pickled = False
    return "a pickle, which synthproof never loads (it can run code)" if pickled else "damaged"


def _one_line(error: BaseException) -> str:
    """The exception's kind and the first line of its message, cut short: never a traceback."""
    lines = str(error).strip().splitlines()
    detail = lines[0][:160] if lines else ""
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__


def _check_entry_count(path: Path) -> None:
    """Refuse a file whose end record declares more than ``MAX_ENTRIES`` entries before ``ZipFile`` parses
    the central directory (a million entries took 8 s and 1 GB to parse)."""
    with open(path, "rb") as handle:
        end = zipfile._EndRecData(handle)  # what ZipFile reads first; None: not a zip (ZipFile says so)
    if end is not None and end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ENTRIES:
        raise _refuse(
            path, f"declares {end[zipfile._ECD_ENTRIES_TOTAL]:,} entries, more than {MAX_ENTRIES:,}"
        )


def _check_sizes(archive: zipfile.ZipFile, path: Path) -> None:
    """Every entry's name and declared size, before any is read (an entry never unpacks to more than its
    declared size: zipfile stops there and a longer stream fails its CRC)."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _refuse(path, f"holds {len(entries):,} entries, more than {MAX_ENTRIES:,}")
    for entry in entries:
        if entry.filename != TREE and not entry.filename.endswith((".npy", ".bin")):
            what = f"only {TREE}, .npy arrays and .bin bytes"
            raise _refuse(path, f"holds the entry {entry.filename!r}: a model file holds {what}")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNPACKED_BYTES:
        raise _refuse(
            path, f"unpacks to {total:,} bytes, more than the {MAX_UNPACKED_BYTES:,} a model file may"
        )
    tree = archive.getinfo(TREE)
    if tree.file_size > MAX_TREE_BYTES:
        raise _refuse(path, f"has a {TREE} of {tree.file_size:,} bytes, more than {MAX_TREE_BYTES:,}")


class _Writer:
    def __init__(self, trusted: frozenset[str]):
        self.trusted = trusted
        self.blobs: dict[str, bytes] = {}

    def blob(self, data: bytes, suffix: str) -> str:
        name = f"blobs/{len(self.blobs)}{suffix}"
        self.blobs[name] = data
        return name

    def array(self, values: np.ndarray, depth: int) -> dict:
        if values.dtype.hasobject:
            items = [self.encode(v, depth) for v in values.ravel(order="C").tolist()]
            return {_TAG: "objects", "shape": list(values.shape), "items": items}
        buffer = io.BytesIO()
        np.save(buffer, values, allow_pickle=False)
        return {_TAG: "array", "blob": self.blob(buffer.getvalue(), ".npy")}

    def values(self, values, dtype, depth: int) -> dict:
        """A pandas column's values with its dtype: numpy arrays as they are, others as objects."""
        if isinstance(dtype, np.dtype) and not dtype.hasobject:
            return self.array(np.asarray(values), depth)
        return self.array(np.asarray(values, dtype=object), depth)

    def trust(self, cls: type) -> str:
        name = class_name(cls)
        if name not in self.trusted:
            raise ModelFileError(f"a model's state holds a {name}, which no generator names in state_types")
        return name

    def encode(self, obj: Any, depth: int) -> Any:
        # long: one branch per type the format writes: the whole format in one place, checked against decode
        if depth > _MAX_DEPTH:
            raise ModelFileError("a model's state nests too deep (a cycle?)")
        depth += 1
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if type(obj) is int:
            return obj
        if type(obj) is float:
            return obj if np.isfinite(obj) else {_TAG: "float", "v": repr(obj)}
        if isinstance(obj, np.ndarray):
            return self.array(obj, depth)
        if isinstance(obj, np.generic):
            return {_TAG: "scalar", "of": self.array(np.asarray(obj), depth)}
        if isinstance(obj, (bytes, bytearray)):
            return {_TAG: "bytes", "blob": self.blob(bytes(obj), ".bin")}
        if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a namedtuple
            name = self.trust(type(obj))
            return {_TAG: "namedtuple", "class": name, "items": [self.encode(v, depth) for v in obj]}
        if type(obj) is list:
            return [self.encode(v, depth) for v in obj]
        if type(obj) is tuple:
            return {_TAG: "tuple", "items": [self.encode(v, depth) for v in obj]}
        if type(obj) in (set, frozenset):
            items = sorted((self.encode(v, depth) for v in obj), key=lambda v: json.dumps(v, sort_keys=True))
            return {_TAG: type(obj).__name__, "items": items}
        if type(obj) in (dict, OrderedDict):
            items = [[self.encode(k, depth), self.encode(v, depth)] for k, v in obj.items()]
            return {_TAG: "odict" if type(obj) is OrderedDict else "dict", "items": items}
        if isinstance(obj, np.dtype):
            return {_TAG: "dtype", "of": self.array(np.empty(0, dtype=obj), depth)}
        if isinstance(obj, pd.CategoricalDtype):
            categories = None if obj.categories is None else self.encode(obj.categories, depth)
            return {_TAG: "categorical", "categories": categories, "ordered": bool(obj.ordered)}
        if isinstance(obj, pd.api.extensions.ExtensionDtype):
            return {_TAG: "pandas_dtype", "v": str(obj)}
        if obj is pd.NaT:
            return {_TAG: "NaT"}
        if obj is pd.NA:
            return {_TAG: "NA"}
        if isinstance(obj, pd.Timestamp):
            return {_TAG: "timestamp", "ns": obj.value, "tz": None if obj.tz is None else _zone(obj.tz)}
        if isinstance(obj, pd.Timedelta):
            return {_TAG: "timedelta", "ns": obj.value}
        if isinstance(obj, datetime.tzinfo):
            return {_TAG: "tz", "v": _zone(obj)}
        if isinstance(obj, pd.RangeIndex):
            name = self.encode(obj.name, depth)
            return {_TAG: "range_index", "start": obj.start, "stop": obj.stop, "step": obj.step, "name": name}
        if type(obj) is pd.Index or isinstance(obj, pd.DatetimeIndex):
            return {_TAG: "index", **self.column(obj, depth), "name": self.encode(obj.name, depth)}
        if type(obj) is pd.Series:
            index, name = self.encode(obj.index, depth), self.encode(obj.name, depth)
            return {_TAG: "series", **self.column(obj, depth), "index": index, "name": name}
        if type(obj) is pd.DataFrame:
            columns = [self.column(obj.iloc[:, j], depth) for j in range(obj.shape[1])]
            index, names = self.encode(obj.index, depth), self.encode(obj.columns, depth)
            return {_TAG: "frame", "columns": names, "index": index, "data": columns}
        if isinstance(obj, np.random.RandomState):
            return {_TAG: "random_state", "state": self.encode(obj.get_state(), depth)}
        if type(obj) is type:
            return {_TAG: "class", "class": self.trust(obj)}
        torch = _torch_if_loaded()
        if torch is not None and isinstance(obj, torch.device):
            return {_TAG: "device", "v": str(obj)}
        if torch is not None and isinstance(obj, torch.Generator):
            return {_TAG: "torch_generator", "state": self.array(obj.get_state().numpy(), depth)}
        if torch is not None and isinstance(obj, torch.Tensor):
            values = self.array(obj.detach().cpu().numpy(), depth)
            parameter = isinstance(obj, torch.nn.Parameter)
            return {_TAG: "tensor", "of": values, "parameter": parameter, "grad": obj.requires_grad}
        if hasattr(obj, "__dict__"):
            name = self.trust(type(obj))
            return {_TAG: "object", "class": name, "state": self.encode(dict(vars(obj)), depth)}
        raise ModelFileError(f"a model's state holds a {type(obj).__module__}.{type(obj).__qualname__}")

    def column(self, values: pd.Series | pd.Index, depth: int) -> dict:
        return {"values": self.values(values, values.dtype, depth), "dtype": self.encode(values.dtype, depth)}


class _Reader:
    def __init__(self, archive: zipfile.ZipFile, trusted: frozenset[str], path: Path):
        self.archive, self.trusted, self.path = archive, trusted, path

    def refuse(self, what: str) -> ModelFileError:
        return _refuse(self.path, what)

    def resolve(self, name: Any) -> type:
        if not isinstance(name, str) or name not in self.trusted:
            raise self.refuse(f"names the class {name!r}, which no synthproof model holds")
        module, _, qualname = name.partition(":")
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
        return found

    def array(self, node: dict, depth: int) -> np.ndarray:
        if node.get(_TAG) == "objects":
            items = [self.decode(v, depth) for v in node["items"]]
            values = np.empty(len(items), dtype=object)
            values[:] = items
            return values.reshape(node["shape"])
        return self.npy(node["blob"])

    def npy(self, name: Any) -> np.ndarray:
        """The ``.npy`` entry ``name``, its header read and checked against the entry's declared size
        before the array is allocated."""
        if not isinstance(name, str) or not name.endswith(".npy"):
            raise self.refuse(f"holds the array entry {name!r}, not a .npy array")
        entry = self.archive.getinfo(name)
        with self.archive.open(entry) as handle:
            try:
                version = np.lib.format.read_magic(handle)
            except ValueError:
                raise self.refuse(f"holds {name!r}, which is not a .npy array") from None
            if version not in ((1, 0), (2, 0)):
                raise self.refuse(
                    f"holds {name!r} in .npy format {version}, which numpy's save does not write"
                )
            header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, _, dtype = header(handle)
            if dtype.hasobject:
                raise self.refuse(f"holds {name!r}, an array of Python objects")
            size = math.prod(shape) * dtype.itemsize
            if handle.tell() + size != entry.file_size:
                raise self.refuse(
                    f"holds {name!r}, whose header declares a {dtype} array of shape {shape} "
                    f"({size:,} bytes) in an entry of {entry.file_size:,} bytes"
                )
            handle.seek(0)  # the size is known and within bounds: now numpy reads it
            return np.lib.format.read_array(handle, allow_pickle=False)

    def column(self, node: dict, depth: int):
        dtype = self.decode(node["dtype"], depth)
        values = self.array(node["values"], depth)
        if isinstance(dtype, np.dtype):
            return values.astype(dtype, copy=False)
        return pd.array(values, dtype=dtype)

    def decode(self, node: Any, depth: int) -> Any:
        # long: one branch per tag the format reads, each refusing what it does not expect: the
        # file's grammar in one place
        if depth > _MAX_DEPTH:
            raise self.refuse(f"nests deeper than {_MAX_DEPTH} levels")
        depth += 1
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v, depth) for v in node]
        if not isinstance(node, dict):
            raise self.refuse(f"holds a {type(node).__name__} where a value belongs")
        tag = node.get(_TAG)
        if tag in ("array", "objects"):
            return self.array(node, depth)
        if tag == "float":
            if node["v"] not in ("nan", "inf", "-inf"):
                raise self.refuse(f"holds the float {node['v']!r}")
            return float(node["v"])
        if tag == "scalar":
            return self.array(node["of"], depth)[()]
        if tag == "bytes":
            if not isinstance(node["blob"], str) or not node["blob"].endswith(".bin"):
                raise self.refuse(f"holds the bytes entry {node['blob']!r}, not a .bin entry")
            return self.archive.read(node["blob"])
        if tag == "namedtuple":
            cls = self.resolve(node["class"])
            if not (isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")):
                raise self.refuse(f"tags {node['class']} as a namedtuple, which it is not")
            items = [self.decode(v, depth) for v in node["items"]]
            if len(items) != len(cls._fields):
                raise self.refuse(f"holds a {node['class']} of {len(items)} items, not {len(cls._fields)}")
            return cls._make(items)
        if tag == "tuple":
            return tuple(self.decode(v, depth) for v in node["items"])
        if tag in ("set", "frozenset"):
            items = (self.decode(v, depth) for v in node["items"])
            return set(items) if tag == "set" else frozenset(items)
        if tag in ("dict", "odict"):
            pairs = ((self.decode(k, depth), self.decode(v, depth)) for k, v in node["items"])
            return OrderedDict(pairs) if tag == "odict" else dict(pairs)
        if tag == "dtype":
            return self.array(node["of"], depth).dtype
        if tag == "categorical":
            categories = None if node["categories"] is None else self.decode(node["categories"], depth)
            return pd.CategoricalDtype(categories, ordered=bool(node["ordered"]))
        if tag == "pandas_dtype":
            return pd.api.types.pandas_dtype(str(node["v"]))
        if tag == "NaT":
            return pd.NaT
        if tag == "NA":
            return pd.NA
        if tag == "timestamp":
            stamp = pd.Timestamp(int(node["ns"]), unit="ns")
            return stamp if node["tz"] is None else stamp.tz_localize("UTC").tz_convert(_tz(node["tz"]))
        if tag == "timedelta":
            return pd.Timedelta(int(node["ns"]), unit="ns")
        if tag == "tz":
            return _tz(node["v"])
        if tag == "range_index":
            name = self.decode(node["name"], depth)
            return pd.RangeIndex(int(node["start"]), int(node["stop"]), int(node["step"]), name=name)
        if tag == "index":
            return pd.Index(self.column(node, depth), name=self.decode(node["name"], depth))
        if tag == "series":
            index, name = self.decode(node["index"], depth), self.decode(node["name"], depth)
            return pd.Series(self.column(node, depth), index=index, name=name)
        if tag == "frame":
            columns = [self.column(part, depth) for part in node["data"]]
            index, names = self.decode(node["index"], depth), self.decode(node["columns"], depth)
            frame = pd.DataFrame(dict(enumerate(columns)), index=index)
            frame.columns = names
            return frame
        if tag == "random_state":
            state = np.random.RandomState()
            state.set_state(self.decode(node["state"], depth))
            return state
        if tag == "class":
            return self.resolve(node["class"])
        if tag == "device":
            return _torch().device(str(node["v"]))
        if tag == "torch_generator":
            generator = _torch().Generator()
            generator.set_state(_torch().from_numpy(np.array(self.array(node["state"], depth))))
            return generator
        if tag == "tensor":
            torch = _torch()
            tensor = torch.from_numpy(np.array(self.array(node["of"], depth)))
            if node["parameter"]:
                return torch.nn.Parameter(tensor, requires_grad=bool(node["grad"]))
            return tensor.requires_grad_(bool(node["grad"]))
        if tag == "object":
            cls = self.resolve(node["class"])
            state = self.decode(node["state"], depth)
            if not isinstance(state, dict) or not all(isinstance(key, str) for key in state):
                raise self.refuse(f"holds a {node['class']} whose attributes are not named")
            obj = object.__new__(cls)
            obj.__dict__.update(state)  # no __init__ or __setstate__ runs: attributes only
            self.check(cls, obj, node["class"])
            return obj
        raise self.refuse(f"holds the unknown tag {tag!r}")

    def check(self, cls: type, obj: Any, name: str) -> None:
        """The class's own ``_check_loaded`` (looked up on the class: the file sets only attributes)."""
        check = getattr(cls, "_check_loaded", None)
        if check is None:
            return
        try:
            check(obj)
        except (MemoryError, RecursionError):
            raise
        except Exception as error:
            detail = _one_line(error).removeprefix("ValueError: ")  # require's own words
            raise self.refuse(f"holds a damaged {name}: {detail}") from None


def require(ok: Any, what: str) -> None:
    """For ``_check_loaded``: refuse what a loaded object holds unless ``ok``."""
    if not ok:
        raise ValueError(what)


def described(value: Any) -> str:
    """For ``_check_loaded``'s messages: ``the class CARTGenerator``, ``a list``."""
    return f"the class {value.__qualname__}" if isinstance(value, type) else f"a {type(value).__name__}"


def require_array(value: Any, name: str, kinds: str, ndim: int) -> np.ndarray:
    """For ``_check_loaded``: ``value`` (the attribute ``name``), a numpy array of ``ndim`` dimensions
    whose dtype kind is one of ``kinds`` (``b`` bool, ``i`` signed, ``u`` unsigned, ``f`` float)."""
    require(isinstance(value, np.ndarray), f"{name} is {described(value)}, not an array")
    require(
        value.ndim == ndim and value.dtype.kind in kinds, f"{name} is a {value.ndim}-d {value.dtype} array"
    )
    return value


def _zone(tz: datetime.tzinfo) -> str:
    """A time zone as pandas names it (``UTC``, ``Europe/Berlin``, ``UTC+01:00``)."""
    return str(pd.DatetimeTZDtype(tz=tz)).removeprefix("datetime64[ns, ").removesuffix("]")


def _tz(name: str) -> datetime.tzinfo:
    return pd.api.types.pandas_dtype(f"datetime64[ns, {name}]").tz


def _torch_if_loaded():
    """torch when something has imported it (a generator that uses it), else None: saving a numpy
    generator never imports torch."""
    import sys

    return sys.modules.get("torch")


def _torch():
    import torch

    return torch
