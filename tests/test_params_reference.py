"""docs/params.md is written from params.yaml's comments, and the parser reads every key YAML reads."""

import pytest
import yaml

from tools import params_reference


def test_the_params_page_is_current():
    assert params_reference.main(["--check"]) == 0, "run python -m tools.params_reference"


def test_every_key_of_params_yaml_is_on_the_page():
    page = params_reference.PAGE.read_text()
    text = params_reference.PARAMS.read_text()
    for path in params_reference.leaves(yaml.safe_load(text)):
        assert f"| `{path}` |" in page


def test_comments_continue_in_their_column_and_notes_stand_above():
    text = (
        "a:        # the section\n"
        "  # a note on what follows\n"
        "  b: 1    # first half\n"
        "          # second half\n"
        "  c: [x,\n"
        "      y]  # a list over two lines\n"
    )
    found = {entry.path: entry for entry in params_reference.entries(text)}
    assert found["a.b"].meaning == "first half second half"
    assert found["a.b"].note == ["a note on what follows"]
    assert found["a.c"].value == "[x, y]" and found["a.c"].meaning == "a list over two lines"
    assert "note" in params_reference.page(text) and "| `a.c` | `[x, y]` |" in params_reference.page(text)


def test_a_layout_the_parser_cannot_read_is_an_error_not_a_silent_gap():
    with pytest.raises(ValueError, match="not a key line"):
        params_reference.page("a:\n  - x\n  - y\n")
    with pytest.raises(ValueError, match="a.b.x is not read"):  # a flow mapping over two lines
        params_reference.page("a:\n  b: {x: 1,\n     y: 2}\n")
