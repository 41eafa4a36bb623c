"""Stale figures are named: a stage whose record in dvc.lock the workspace no longer matches."""

import hashlib

import yaml

from synthproof.freshness import describe, stale_stages


def _md5(path):
    return hashlib.md5(path.read_bytes()).hexdigest()


def write_run(root):
    """A workspace as `dvc repro` leaves it: params, a code file, a metrics file, and their lock."""
    params = {"seed": 0, "compare": {"folds": 3, "models": ["lr"], "decay": 1e-06}}
    (root / "params.yaml").write_text(yaml.safe_dump(params))
    (root / "stage.py").write_text("print('compare')\n")
    (root / "metrics").mkdir()
    (root / "metrics/compare.json").write_text('{"accuracy": 0.9}')
    lock = {
        "schema": "2.0",
        "stages": {
            "compare": {
                "cmd": "python stage.py",
                # DVC's YAML reader gives 1e-06 back as text
                "params": {"params.yaml": {"seed": 0, "compare.folds": 3, "compare.models": ["lr"],
                                           "compare.decay": "1e-06"}},
                "deps": [{"path": "stage.py", "hash": "md5", "md5": _md5(root / "stage.py")},
                         {"path": "data/not_pulled.parquet", "hash": "md5", "md5": "0" * 32}],
                "outs": [{"path": "metrics/compare.json", "hash": "md5",
                          "md5": _md5(root / "metrics/compare.json")}],
            },
            "report": {"cmd": "python report.py", "params": {"params.yaml": {"seed": 1}}},
        },
    }  # fmt: skip
    (root / "dvc.lock").write_text(yaml.safe_dump(lock))


def test_a_fresh_run_is_fresh_and_each_later_change_is_named(tmp_path):
    write_run(tmp_path)
    assert stale_stages(tmp_path) == {}  # the report's own record and data not pulled are not checked
    params = yaml.safe_load((tmp_path / "params.yaml").read_text())
    params["compare"]["folds"] = 5
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    stale = stale_stages(tmp_path)
    assert stale == {"compare": "`compare.folds` is 5 in params.yaml, but the stage ran with 3"}
    assert "run `dvc repro`" in describe(stale) and "\n" not in describe(stale)
    write_run(tmp_path / "b" if (tmp_path / "b").mkdir() is None else None)
    (tmp_path / "b/metrics/compare.json").write_text('{"accuracy": 0.99}')  # copied in by hand
    assert stale_stages(tmp_path / "b") == {"compare": "`metrics/compare.json` changed since the stage ran"}
    (tmp_path / "b/dvc.lock").unlink()
    assert "there is no dvc.lock" in stale_stages(tmp_path / "b")["(every stage)"]


def test_a_key_added_or_removed_since_the_run_is_said_in_words(tmp_path):
    # issue 45: a key the stage ran without printed `<object object at 0x...>`
    write_run(tmp_path)
    lock = yaml.safe_load((tmp_path / "dvc.lock").read_text())
    lock["stages"]["compare"]["params"]["params.yaml"] = {
        "compare": {"folds": 3, "models": ["lr"], "decay": 1e-06}
    }
    (tmp_path / "dvc.lock").write_text(yaml.safe_dump(lock))
    assert stale_stages(tmp_path) == {}
    params = yaml.safe_load((tmp_path / "params.yaml").read_text())
    params["compare"]["holdout_source"] = None
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    said = stale_stages(tmp_path)["compare"]
    assert said == "`compare.holdout_source` was not set when the stage ran; it is null now in params.yaml"
    del params["compare"]["holdout_source"]
    del params["compare"]["folds"]
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    said = describe(stale_stages(tmp_path))
    assert "`compare.folds` is no longer in params.yaml; the stage ran with 3" in said
    assert "<object" not in said and "0x" not in said and "\n" not in said


def test_the_committed_results_are_those_of_the_committed_code():
    # issue 45: dvc.lock and metrics/ were written 54 commits before the code that README documents; a change
    # to a stage's code or params lands with its `dvc repro` (docs/development.md says how)
    from tests.conftest import REPO

    stale = stale_stages(REPO)
    assert not stale, describe(stale)


def test_a_code_folder_dvc_hashed_is_checked_and_its_bytecode_is_not(tmp_path):
    # the privacy stage reads synthproof/evaluation/attacks as one folder dep: a change inside it went unseen
    import subprocess
    import sys

    (tmp_path / "pkg/sub").mkdir(parents=True)
    (tmp_path / "pkg/a.py").write_text("A = 1\n")
    (tmp_path / "pkg/sub/b.py").write_text("B = 2\n")
    (tmp_path / ".dvcignore").write_text("# bytecode\n__pycache__/\n*.pyc\n")
    for args in (["init", "--no-scm", "-q"], ["stage", "add", "-q", "-n", "s", "-d", "pkg", "-o", "out.txt",
                 "echo ran > out.txt"], ["repro", "-q"]):  # fmt: skip
        subprocess.run([sys.executable, "-m", "dvc", *args], cwd=tmp_path, check=True, capture_output=True)
    assert stale_stages(tmp_path, skip=()) == {}  # DVC's own hash of the folder, computed again
    (tmp_path / "pkg/__pycache__").mkdir()
    (tmp_path / "pkg/__pycache__/a.cpython-311.pyc").write_bytes(b"\x00")
    assert stale_stages(tmp_path, skip=()) == {}
    (tmp_path / "pkg/sub/b.py").write_text("B = 3\n")
    assert stale_stages(tmp_path, skip=()) == {"s": "`pkg` changed since the stage ran"}
