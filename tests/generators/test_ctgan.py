"""CTGANGenerator on real census rows: seeds, the time budget, the losses."""

import io

import pytest

from synthproof.errors import SynthproofError
from synthproof.generators import CTGANGenerator, TableWrapper, get_generator_class


@pytest.fixture(scope="module")
def census_rows(census):
    return census.sample(600, random_state=1).reset_index(drop=True)


DISCRETE = ["workclass", "education", "marital_status", "occupation", "relationship", "race", "sex",
            "native_country", "income"]  # fmt: skip


def parquet_bytes(frame):
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def train(rows, **kwargs):
    generator = TableWrapper(CTGANGenerator(batch_size=100, verbose=False, **kwargs))
    generator.fit(rows, DISCRETE)
    return generator


def test_same_seed_same_bytes_other_seed_other_rows(census_rows):
    first = train(census_rows, epochs=2, seed=3).sample(300, seed=3)
    second = train(census_rows, epochs=2, seed=3).sample(300, seed=3)
    other = train(census_rows, epochs=2, seed=4).sample(300, seed=4)
    assert parquet_bytes(first) == parquet_bytes(second)
    assert not first.equals(other)


def test_time_budget_stops_after_a_full_epoch(census_rows):
    inner = CTGANGenerator(epochs=50, batch_size=100, max_training_minutes=0.001, seed=0, verbose=False)
    fit = TableWrapper(inner).fit(census_rows, DISCRETE)
    assert fit.report["stopped_by_time_budget"] is True
    assert 1 <= fit.report["epochs_run"] < 50
    assert len(fit.losses) == fit.report["epochs_run"]


def test_losses_per_epoch_and_report(census_rows):
    fit = TableWrapper(CTGANGenerator(epochs=3, batch_size=100, seed=0, verbose=False)).fit(
        census_rows, DISCRETE
    )
    assert fit.losses["epoch"].tolist() == [1, 2, 3]
    assert fit.losses[["generator_loss", "discriminator_loss"]].notna().all().all()
    report = fit.report
    assert report["epochs_run"] == 3 and report["stopped_by_time_budget"] is False
    assert report["transformer_fit_seconds"] > 0


def test_registry_names_the_known_generators():
    assert get_generator_class("ctgan") is CTGANGenerator
    with pytest.raises(SynthproofError, match="generator.name 'gan' is not a known generator"):
        get_generator_class("gan")


def test_a_gpu_asked_for_and_not_there_is_a_clear_error_and_auto_falls_back_to_cpu(census):
    import torch

    from synthproof.generators.ctgan import resolve_device

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: the no-GPU behaviour cannot be seen here")
    with pytest.raises(SynthproofError, match="generator.device is 'cuda' but torch sees no GPU"):
        resolve_device("cuda")
    frame = census.sample(300, random_state=0)
    generator = TableWrapper(CTGANGenerator(epochs=1, batch_size=100, device="auto", verbose=False))
    fit = generator.fit(frame, [c for c in frame.columns if frame[c].dtype == object])
    assert fit.report["device"] == "cpu"
    with pytest.raises(SynthproofError, match="no GPU"):
        TableWrapper(CTGANGenerator(epochs=1, device="cuda:0", verbose=False)).fit(frame, [])
