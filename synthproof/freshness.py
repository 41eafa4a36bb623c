"""Whether the figures in the workspace came from the params and code that are there now.

``dvc.lock`` records, for each stage that ran, the params it read, the files it read (with their hashes)
and the files it wrote. After an interrupted ``dvc repro``, an edit of ``params.yaml`` or code, or a
metrics file copied in by hand, some stage's record no longer matches the workspace: its figures are
stale. The gate and the report judge only fresh figures. The check reads the lock itself (no DVC call),
so that it also runs inside ``dvc repro``, which holds DVC's lock while the report stage runs.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

LOCK = "dvc.lock"
_MISSING = object()


def stale_stages(root: str | Path = ".", skip: tuple[str, ...] = ("report",)) -> dict[str, str]:
    """Each stage of ``root``'s pipeline whose record in ``dvc.lock`` the workspace no longer matches,
    with the first reason found (a param, a file read or a file written); empty when every figure is
    fresh. Files and folders not in the workspace (data not pulled) are not checked."""
    root = Path(root)
    lock_path = root / LOCK
    if not lock_path.is_file():
        return {"(every stage)": f"there is no {LOCK}: run `dvc repro`"}
    lock = yaml.safe_load(lock_path.read_text()) or {}
    files: dict[str, Any] = {}
    folders = _FolderHashes(root)  # a code folder is a dep of many stages: hashed once
    stale = {}
    for stage, record in (lock.get("stages") or {}).items():
        if stage in skip:
            continue
        reason = _params_changed(root, record.get("params") or {}, files) or _files_changed(
            root, [*(record.get("deps") or []), *(record.get("outs") or [])], folders
        )
        if reason:
            stale[stage] = reason
    return stale


def _params_changed(root: Path, recorded: dict, files: dict) -> str | None:
    for name, values in recorded.items():
        if name not in files:
            path = root / name
            files[name] = yaml.safe_load(path.read_text()) if path.is_file() else {}
        for key, value in values.items():
            differs = _difference(_lookup(files[name], key), value, key)
            if differs:
                where, now, then = differs
                if then is _MISSING:
                    return f"`{where}` was not set when the stage ran; it is {_words(now)} now in {name}"
                if now is _MISSING:
                    return f"`{where}` is no longer in {name}; the stage ran with {_words(then)}"
                return f"`{where}` is {_words(now)} in {name}, but the stage ran with {_words(then)}"
    return None


def _words(value: Any) -> str:
    """A param's value as a reader writes it in YAML (null, true, 0.5, [a, b]), never a Python repr."""
    if value is None:
        return "null"
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    text = text.removesuffix("...").strip()
    return text if len(text) <= 80 else text[:77] + "..."


def _difference(now: Any, recorded: Any, key: str) -> tuple[str, Any, Any] | None:
    """The first key under ``key`` whose value differs, with both values; None when they are the same."""
    if isinstance(now, dict) and isinstance(recorded, dict):
        for name in [*recorded, *(k for k in now if k not in recorded)]:
            differs = _difference(now.get(name, _MISSING), recorded.get(name, _MISSING), f"{key}.{name}")
            if differs:
                return differs
        return None
    return None if _same(now, recorded) else (key, now, recorded)


def _files_changed(root: Path, entries: list[dict], folders: _FolderHashes) -> str | None:
    for entry in entries:
        path, md5 = root / entry["path"], str(entry.get("md5", ""))
        if not md5:
            continue
        if md5.endswith(".dir"):
            changed = path.is_dir() and folders.md5(path) != md5
        else:
            changed = (
                path.is_file() and _md5(path) != md5
            )  # a file not pulled (DVC-cached data) is not checked
        if changed:
            return f"`{entry['path']}` changed since the stage ran"
    return None


class _FolderHashes:
    """DVC's hashes of the folders under one root, each computed once, with the root's .dvcignore."""

    def __init__(self, root: Path):
        self.ignored = _ignored(root)
        self.hashes: dict[Path, str] = {}

    def md5(self, folder: Path) -> str:
        if folder not in self.hashes:
            self.hashes[folder] = _folder_md5(folder, self.ignored)
        return self.hashes[folder]


def _ignored(root: Path) -> list[str]:
    """``root``'s .dvcignore patterns (a name, or a folder's name ending in /), which DVC leaves out of a
    folder's hash."""
    path = root / ".dvcignore"
    lines = path.read_text().splitlines() if path.is_file() else []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _folder_md5(folder: Path, ignored: list[str]) -> str:
    """DVC's hash of a folder (dvc-data's tree): the MD5 of its files' relative paths and MD5s, sorted by
    path, as JSON, with ``.dir`` after it; files and folders ``ignored`` names are left out."""
    entries = []
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not _matches(name + "/", ignored)]
        for name in names:
            if not _matches(name, ignored):
                path = Path(parent, name)
                entries.append({"md5": _md5(path), "relpath": path.relative_to(folder).as_posix()})
    entries.sort(key=lambda entry: entry["relpath"])
    listing = json.dumps(entries, sort_keys=True).encode()
    return hashlib.md5(listing, usedforsecurity=False).hexdigest() + ".dir"


def _matches(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def _same(now: Any, recorded: Any) -> bool:
    """Equal as params: DVC's YAML reader (1.2) and PyYAML's (1.1) differ on numbers such as ``1e-06``,
    which one reads as a float and the other as text."""
    if isinstance(now, dict) and isinstance(recorded, dict):
        return now.keys() == recorded.keys() and all(_same(now[k], recorded[k]) for k in now)
    if isinstance(now, list) and isinstance(recorded, list):
        return len(now) == len(recorded) and all(_same(a, b) for a, b in zip(now, recorded, strict=True))
    if isinstance(now, str) != isinstance(recorded, str) and not isinstance(now, bool | type(None)):
        try:
            return float(now) == float(recorded)
        except (TypeError, ValueError):
            return False
    return now == recorded


def _lookup(data: Any, dotted: str) -> Any:
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(stale: dict[str, str]) -> str:
    """One line naming the stale stages and why."""
    reasons = "; ".join(f"{stage}: {reason}" for stage, reason in stale.items())
    return f"the metrics are stale, not those of params.yaml and the code now ({reasons}): run `dvc repro`"
