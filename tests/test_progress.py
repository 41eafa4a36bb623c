"""Progress modes: a bar on a terminal, lines in a log, nothing when silenced; a bad mode is one line."""

import numpy as np
import pytest

from synthproof.errors import SynthproofError
from synthproof.progress import Silent, mode, steps


def test_the_mode_follows_the_environment_and_a_log_gets_lines(monkeypatch):
    monkeypatch.delenv("SYNTHPROOF_PROGRESS", raising=False)
    assert mode() == "lines"  # pytest's stderr is no terminal
    monkeypatch.setenv("SYNTHPROOF_PROGRESS", "OFF")
    assert mode() == "off"
    monkeypatch.setenv("SYNTHPROOF_PROGRESS", "quiet")
    with pytest.raises(SynthproofError, match="SYNTHPROOF_PROGRESS='quiet' is not a progress mode"):
        mode()


def test_lines_mode_writes_whole_lines_with_the_count_and_the_last_postfix(monkeypatch, capsys):
    monkeypatch.setenv("SYNTHPROOF_PROGRESS", "lines")
    with steps(None, "compare: synthetic leaderboard", "fit") as progress:
        progress.total = 3  # set by the function that knows it
        for model in ("lr", "dt", "rf"):
            progress.set_postfix_str(model, refresh=False)
            progress.update(1)
    err = capsys.readouterr().err
    assert "\r" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("compare: synthetic leaderboard: 100%") and "3/3" in last and "rf" in last
    # no line before the first step: drawn at creation, the bar knew neither its total nor a step
    assert "0fit [00:00, ?fit/s]" not in err and all("3/3" in line for line in err.strip().splitlines())


def test_off_mode_and_no_counter_write_nothing(monkeypatch, capsys):
    monkeypatch.setenv("SYNTHPROOF_PROGRESS", "off")
    with steps(4, "fidelity: distances", "chunk") as progress:
        progress.update(4)
    silent = Silent()
    silent.update(1)
    silent.set_postfix_str("ignored", refresh=False)
    assert capsys.readouterr().err == ""


def test_a_counter_whose_total_is_not_yet_known_reaches_the_function_that_sets_it(monkeypatch):
    # tqdm with no total has no truth value: `progress or Silent()` would raise
    monkeypatch.setenv("SYNTHPROOF_PROGRESS", "lines")
    from synthproof.evaluation.privacy import Points, closest_distances

    points = Points(np.eye(3), np.zeros((3, 0), dtype=np.int64))
    with steps(None, "distances", "chunk") as progress:
        closest_distances(points, points, 1, progress)
    assert progress.n == 10
