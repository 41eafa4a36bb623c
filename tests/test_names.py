"""Names of the pipeline's own: columns beside a user's, and file-name parts that stand for theirs."""

import re

from synthproof.names import file_part, fresh_name

HOSTILE = ["../../x", "/abs/x", "a\\b", "-dash", "m" * 250, "price, usd", 'a:"b"', "new\nline", "<script>",
           "=1+1", " ", "", "größe €", "名前", "Age", "age_", "a__b", "CON"]  # fmt: skip


def test_a_plain_name_is_kept_and_any_other_becomes_a_safe_unique_stable_part():
    assert file_part("education_num") == "education_num"
    parts = [file_part(name) for name in [*HOSTILE, "age"]]
    assert all(re.fullmatch(r"[a-z0-9_]{1,40}(\.[0-9a-f]{10})?", part) for part in parts), parts
    assert len(set(parts)) == len(parts)  # unique, even where case or punctuation alone tell them apart
    assert all("__" not in part for part in parts)  # so "a__b" joins two parts without ambiguity
    assert [file_part(name) for name in HOSTILE] == parts[:-1]  # stable


def test_a_fresh_name_is_none_of_the_taken():
    taken = {"label", "label_"}
    assert fresh_name("label", taken) == "label__" and "label__" in taken
