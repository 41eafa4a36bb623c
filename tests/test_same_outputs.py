"""tools/same_outputs.py: two runs' outputs compared byte for byte, timings aside."""

import json

from tools.same_outputs import differences


def write_run(folder, auc, seconds, tt):
    (folder / "metrics").mkdir(parents=True)
    (folder / "plots").mkdir()
    (folder / "metrics" / "discriminate.json").write_text(
        json.dumps({"discriminator_auc": auc, "discriminate_seconds": seconds, "seconds": {"x": seconds}})
    )
    (folder / "plots" / "leaderboards.csv").write_text(f"Model,Accuracy,TT (Sec)\nlr,0.81,{tt}\n")
    return folder


def test_timings_are_left_out_and_any_other_change_is_named(tmp_path):
    before = write_run(tmp_path / "a", 0.9, 1.5, 0.2)
    assert differences(before, write_run(tmp_path / "b", 0.9, 7.0, 0.9)) == []
    assert differences(before, write_run(tmp_path / "c", 0.91, 1.5, 0.2)) == [
        "differs: metrics/discriminate.json"
    ]
    (tmp_path / "c" / "plots" / "leaderboards.csv").unlink()
    assert "only before: plots/leaderboards.csv" in differences(before, tmp_path / "c")
