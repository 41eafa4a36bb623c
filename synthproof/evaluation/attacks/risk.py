"""What an attack measures: its success rates on the training rows, on the control rows and by chance
(``Rate``: Wilson's centre and half-width), and the risk beyond the control with its interval
(``Attack.risk``); ``PrivacyAttacks`` holds every attack's and writes their figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm

from synthproof.evaluation.uncertainty import Z95, wilson_score


@dataclass(frozen=True)
class Rate:
    """A success rate: Wilson's centre and the half-width of its 95% interval."""

    value: float
    error: float

    @classmethod
    def of(cls, successes: float, n: int, z: float = Z95) -> Rate:
        if n == 0:
            return cls(0.0, 1.0)
        return cls(*wilson_score(successes, n, z))


@dataclass
class Attack:
    """One attack's counts: on the training rows, on the control rows, and a random guess's."""

    name: str
    attacks: int
    successes: float
    control_attacks: int
    control_successes: float  # for singling out, expected by chance from the control (see below)
    baseline_successes: float
    details: dict = field(default_factory=dict)

    def rates(self, z: float = Z95) -> dict[str, Rate]:
        return {
            "attack": Rate.of(self.successes, self.attacks, z),
            "control": Rate.of(self.control_successes, self.control_attacks, z),
            "baseline": Rate.of(self.baseline_successes, self.attacks, z),
        }

    def risk(self, comparisons: int = 1) -> tuple[float, float, float]:
        """(risk, low, high): the success beyond the control's, as a share of what the control left, with
        its 95% interval, within [0, 1]. ``comparisons``: Bonferroni-widened for that many risks, so that
        their lower bounds hold together (the worst of 15 secrets' would otherwise exceed its truth by
        chance one time in three).

        The risk is one minus the ratio of the two failure rates, (1 - attack) / (1 - control), so its
        interval is Katz's for a ratio of rates, on the log scale, with half a row added to each count
        (Haldane) so that no failure at all still has one: the delta method on the ratio itself put the
        lower bound of 131/137 against 59/69 right (a draw of one rate, penguins) at 0.36, and such draws
        exceeded 0.1 in 7.5% of tables without any leak (the audit, docs/audit.md); this interval's do in
        1.6%, and its bounds are as narrow at 10,000 rows."""
        if self.control_attacks == 0 or self.control_successes >= self.control_attacks:
            return 0.0, 0.0, 1.0  # the control is always right: nothing left to measure
        failed = self.attacks - self.successes + 0.5
        control_failed = self.control_attacks - self.control_successes + 0.5
        log_ratio = np.log(failed / (self.attacks + 0.5)) - np.log(
            control_failed / (self.control_attacks + 0.5)
        )
        spread = np.sqrt(
            1 / failed - 1 / (self.attacks + 0.5) + 1 / control_failed - 1 / (self.control_attacks + 0.5)
        )
        z = float(norm.ppf(1 - 0.025 / comparisons))
        risk, low, high = (1 - np.exp(log_ratio + shift) for shift in (0.0, z * spread, -z * spread))
        bounded = [float(min(max(x, 0.0), 1.0)) for x in (risk, low, high)]
        return bounded[0], bounded[1], bounded[2]

    def to_dict(self) -> dict:
        risk, low, high = self.risk()
        rates = {f"{name}_rate": round(rate.value, 4) for name, rate in self.rates().items()}
        return {
            "risk": round(risk, 4),
            "risk_low": round(low, 4),
            "risk_high": round(high, 4),
            **rates,
            "attacks": self.attacks,
            "successes": round(float(self.successes), 2),
            "control_attacks": self.control_attacks,
            "control_successes": round(float(self.control_successes), 2),
            "baseline_successes": round(float(self.baseline_successes), 2),
            **self.details,
        }


@dataclass
class PrivacyAttacks:
    """Every attack's counts: singling out (multivariate and univariate), linkability, and inference of
    each secret column."""

    singling_out: Attack
    singling_out_univariate: Attack
    linkability: Attack
    inference: dict[str, Attack]
    max_control_rate: float = 0.95  # a secret its control guesses more often is too rare to measure

    def attacks(self) -> dict[str, Attack]:
        """Each attack by the name of its risk metric (``inference_<secret>`` for each secret)."""
        named = {
            "singling_out": self.singling_out,
            "singling_out_univariate": self.singling_out_univariate,
            "linkability": self.linkability,
        }
        return named | {f"inference_{secret}": attack for secret, attack in self.inference.items()}

    def judged_secrets(self) -> list[str]:
        """The secrets the worst inference risk is taken over: those the holdout can measure (the control
        right at most ``max_control_rate`` of the time), and any other whose risk stands above 0 even
        widened for the number of secrets (a leak too large to miss). A secret the control guesses 96%
        right (bank marketing's ``default``, "no" for 98% of people) leaves 4% to measure: its risk's
        interval spans +-0.13 on 9,000 rows, too wide to tell a leak from none, so it is reported in the
        details (``inference_unjudged``) and not judged (``max_control_rate`` 1 judges every secret)."""
        m = len(self.inference)
        judged = [
            secret
            for secret, attack in self.inference.items()
            if attack.rates()["control"].value <= self.max_control_rate or attack.risk(m)[1] > 0
        ]
        return judged or list(self.inference)

    def worst_secret(self) -> str:
        return max(self.judged_secrets(), key=lambda secret: self.inference[secret].risk()[0])

    def inference_max(self) -> tuple[float, float, float]:
        """The highest inference risk over the judged secrets (:meth:`judged_secrets`), with a 95%
        interval for the highest true risk among them.

        Upper end: the highest of the secrets' own upper bounds, unwidened. The true highest risk is some
        secret's, and that secret's bound holds 97.5% of the time, so the highest bound does too (the
        intersection-union principle: the worst is below a threshold only if every one is, and each is
        judged alone). Lower end: the highest lower bound once each is Bonferroni-widened for the number
        of secrets (the first step of Holm's procedure, the only one the question "does some secret
        exceed?" needs), since the worst of many noisy risks is biased up and one unwidened lower bound in
        40 excludes its truth by chance."""
        judged = [self.inference[secret] for secret in self.judged_secrets()]
        own = [attack.risk() for attack in judged]
        widened = [attack.risk(len(self.inference)) for attack in judged]
        return max(r[0] for r in own), max(r[1] for r in widened), max(r[2] for r in own)

    def metrics(self) -> dict:
        """Tidy figures: each attack's risk with its 95% interval and its three rates, and the highest
        inference risk over the secrets (``inference_risk_max``) with the column it is for and that
        column's rates."""
        result = {}
        headline = {
            "singling_out": self.singling_out,
            "singling_out_univariate": self.singling_out_univariate,
            "linkability": self.linkability,
        }
        for name, attack in headline.items():
            figures = attack.to_dict()
            result |= {f"{name}_{key}": figures[key] for key in ("risk", "risk_low", "risk_high", *RATES)}
        risk, low, high = self.inference_max()
        worst = self.worst_secret()
        result |= {
            "inference_risk_max": round(risk, 4),
            "inference_risk_max_low": round(low, 4),
            "inference_risk_max_high": round(high, 4),
            "inference_risk_max_column": worst,
        }
        figures = self.inference[worst].to_dict()
        result |= {f"inference_{key}": figures[key] for key in RATES}
        judged = self.judged_secrets()
        result["inference_unjudged"] = [secret for secret in self.inference if secret not in judged]
        result["singling_out_queries"] = self.singling_out.attacks
        return result

    def details(self) -> dict:
        return {name: attack.to_dict() for name, attack in self.attacks().items()}

    def table(self) -> pd.DataFrame:
        """One row per attack: its risk and interval, and the attack, control and baseline rates."""
        rows = []
        for name, figures in self.details().items():
            bounds = {"risk": figures["risk"], "low": figures["risk_low"], "high": figures["risk_high"]}
            rates = {key: figures[key] for key in RATES}
            rows.append({"attack": name, **bounds, **rates, "attacks": figures["attacks"]})
        return pd.DataFrame(rows)


def shown_attacks(details: dict[str, dict], n_secrets: int) -> dict[str, dict]:
    """The attacks a page shows: every attack but inference (in ``details``' order), then ``n_secrets``
    secrets: the first guessed (the target), then those with the highest risks (and upper bounds), the
    riskiest first. On a wide table the rest are noise to a reader; the details keep them."""
    secrets = [name for name in details if name.startswith("inference_")]
    worst = sorted(secrets[1:], key=lambda n: (details[n]["risk"], details[n]["risk_high"]), reverse=True)
    kept = secrets[:1] + worst[: max(0, n_secrets - 1)]
    return {name: details[name] for name in [n for n in details if n not in secrets] + kept}


RATES = ("attack_rate", "control_rate", "baseline_rate")  # Attack.to_dict's rates, as metrics name them
