"""The Gaussian copula: marginals from the data, dependence through the normal scores."""

import numpy as np
import pandas as pd

from synthproof.generators import GaussianCopulaGenerator


def test_keeps_marginals_and_a_correlation_and_a_categorical_dependence():
    rng = np.random.default_rng(0)
    n = 3000
    x = rng.normal(size=n)
    y = 0.8 * x + 0.6 * rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "x": np.exp(x),  # skewed: only a copula on empirical marginals keeps this shape
            "y": y,
            "group": np.where(x + 0.3 * rng.normal(size=n) > 0.5, 1, 0),  # codes, as the wrapper gives
        }
    )
    generator = GaussianCopulaGenerator(seed=0)
    generator.fit(frame, ["group"])
    synthetic = generator.sample(20000, seed=1)
    assert set(synthetic["group"]) == {0, 1}
    assert abs(synthetic["group"].mean() - frame["group"].mean()) < 0.02
    assert abs(synthetic["x"].median() - frame["x"].median()) < 0.05
    assert synthetic["x"].min() >= frame["x"].min() and synthetic["x"].max() <= frame["x"].max()
    real_rho = frame.corr(method="spearman")
    fake_rho = synthetic.corr(method="spearman")
    assert abs(real_rho.loc["x", "y"] - fake_rho.loc["x", "y"]) < 0.05
    assert fake_rho.loc["x", "group"] > 0.4
    independent = GaussianCopulaGenerator(seed=0)
    independent.fit(frame.assign(y=rng.permutation(frame["y"])), ["group"])
    assert abs(independent.sample(20000, seed=1).corr(method="spearman").loc["x", "y"]) < 0.05
