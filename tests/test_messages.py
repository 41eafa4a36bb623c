"""What a user reads never shows the program's insides (issue 45): each hostile input of issue 47 (a bad
model file, a far-cell sheet, a wide CSV, a header of separators, an out-of-range seed, a path through a
link, a table downloaded into a temporary folder) and stale params, each given to the code that meets it,
and every message grepped for an object's repr, an address, a dataclass or path repr, a traceback, and a
path outside the repository (``tests.conftest.plain``). The hostile-input tests of tests/test_io.py,
tests/test_split.py, tests/generators/ (their one-line helpers) and tests/test_hostile.py grep theirs too."""

import functools
import http.server
import pickle
import threading

import pytest
import yaml

from synthproof.config import parse_params
from synthproof.errors import SynthproofError
from synthproof.freshness import describe, stale_stages
from synthproof.generators import Generator
from tests.conftest import far_sheet, plain, run_stage, wide_csv

# The local server a URL source is fetched from, never a proxy
NO_PROXY = {"no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1"}


@pytest.fixture
def repo(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    return folder


@pytest.fixture
def served(tmp_path):
    """A folder served over http on this machine (a URL source without the internet), and its address."""
    folder = tmp_path / "served"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # no request lines on the test's stderr
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def ingest(source, **keys) -> dict:
    return {"target": "label", "ingest": {"source": source, "sha256": None, **keys}}


def test_the_ingest_stage_s_messages_on_hostile_tables_show_no_internals(repo):
    far_sheet(repo / "far.xlsx")
    wide_csv(repo / "wide.csv")
    (repo / "blank.csv").write_text(",,,\n1,2,3,4\n5,6,7,8\n")
    (repo / "t.csv").write_text("a,label\n" + "1,yes\n2,no\n" * 60)
    for params, expected in (
        (ingest("far.xlsx"), "far.xlsx (its first sheet) has 16,384 columns"),
        (ingest("wide.csv"), "wide.csv has 10,001 columns"),
        (ingest("blank.csv"), "blank.csv: the header line has no column names (only 4 empty fields)"),
        ({**ingest("t.csv"), "seed": 2**32}, "seed must be an integer from 0 to"),
        ({**ingest("t.csv"), "seed": None}, "seed must be of type int, got null"),
        ({**ingest("t.csv"), "ingest": "t.csv"}, "params.yaml: ingest must be a mapping of keys"),
        ({**ingest("t.csv"), "paths": {"raw": "/elsewhere/raw.parquet"}}, "paths is not a param"),
        (ingest("nope.csv"), "input file not found: nope.csv"),
    ):
        error = run_stage(repo, "ingest", params).error
        assert expected in error, error
        plain(error, repo)
    assert not (repo / "data").exists()


@pytest.mark.integration  # starts a server (on loopback): the slow tier
def test_a_downloaded_table_is_named_by_its_url_not_its_temporary_folder(repo, served):
    """A URL source is downloaded into a temporary folder, gone when the message is read: the message
    names the URL."""
    folder, address = served
    wide_csv(folder / "wide.csv")
    error = run_stage(repo, "ingest", ingest(f"{address}/wide.csv"), env=NO_PROXY).error
    assert error.startswith(f"{address}/wide.csv has 10,001 columns"), error
    plain(error, repo)
    error = run_stage(repo, "ingest", ingest(f"{address}/wide.csv", sha256="0" * 64), env=NO_PROXY).error
    assert error.startswith(f"checksum mismatch for {address}/wide.csv: expected sha256 0000"), error
    plain(error, repo)


def test_a_path_through_a_link_names_the_link_s_end_and_nothing_else_outside(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / "data").symlink_to(outside)  # the folder of paths.raw
    (repo / "t.csv").write_text("a,label\n" + "1,yes\n2,no\n" * 60)
    error = run_stage(repo, "ingest", ingest("t.csv")).error
    assert "outside the repository" in plain(error, repo, allowed=(outside,))
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "params",
    [
        {"nope": 1},
        {"generator": {"name": "nope"}},
        {"generator": {"provided": []}},
        {"ingest": {"format": "xls"}},
        {"compute": {"threads": "all"}},
        {"split": {"holdout_fraction": None}},
    ],
)
def test_bad_params_are_said_in_yaml_s_words(params):
    with pytest.raises(SynthproofError) as error:
        parse_params(params)
    assert "\n" not in plain(str(error.value)) and "None" not in str(error.value)


def test_a_model_file_that_is_no_model_is_refused_in_plain_words(tmp_path):
    path = tmp_path / "model.zip"
    for content in (pickle.dumps(object()), b"PK\x03\x04 not a zip", b""):
        path.write_bytes(content)
        with pytest.raises(SynthproofError) as error:
            Generator.load(path)
        assert "\n" not in plain(str(error.value))


def test_a_stale_run_is_said_in_words(tmp_path):
    """Issue 45's message: `split.holdout_source is None, but the stage ran with <object object at ...>`."""
    params = {"seed": 0, "split": {"holdout_fraction": 0.2, "holdout_source": None}}
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(params))
    recorded = {"seed": 1, "split": {"holdout_fraction": 0.2}, "paths": {"raw": "data/raw.parquet"}}
    lock = {
        "schema": "2.0",
        "stages": {
            name: {
                "cmd": f"python -m stages.{name}",
                "params": {"params.yaml": {key: recorded[key]}},
            }
            for name, key in (("ingest", "seed"), ("split", "split"), ("train", "paths"))
        },
    }
    (tmp_path / "dvc.lock").write_text(yaml.safe_dump(lock))
    stale = stale_stages(tmp_path)
    assert stale["split"] == (
        "`split.holdout_source` was not set when the stage ran; it is null now in params.yaml"
    )
    assert "`paths` is no longer in params.yaml" in stale["train"]
    said = describe(stale)
    assert "\n" not in plain(said, tmp_path) and "None" not in said
