"""Privacy as an attacker would test it: singling out, linkability and inference, the three risks of
anonymised data the EU's Article 29 Working Party names, measured by running the attacks (Giomi et al.,
"A Unified Framework for Quantifying Privacy Risk in Synthetic Data", PoPETs 2023; their library
anonymeter is this module's reference in ``bench/privacy_vs_anonymeter.py``).

Each attack uses only the synthetic table and targets the real training rows (the generator's input). It
runs again against the holdout (the control: rows the generator never saw), since an attack that works as
well there learnt nothing about the training rows from the synthetic table, only what holds for the whole
population; a random guess is the baseline that shows the attack works at all. The risk is the attack's
success beyond the control's, as a share of what the control left to gain:
``(attack - control) / (1 - control)``, each rate a Wilson estimate and the risk's 95% interval
propagated from both (anonymeter's convention), bounded to [0, 1].

Rows are compared on anonymeter's Gower-like distance: an ordered column adds its absolute difference
scaled by the column's range (at most 1), a categorical column adds 1 when the values differ; a missing
value differs from any value by 1 and equals another missing value.

One module an attack (``singling_out``, ``nearest``: linkability and inference) over the encoded tables
(``encoded``) and the risk they report (``risk``); ``run`` holds ``Attacks``, the evaluator that runs
all three with its settings.
"""

from synthproof.evaluation.attacks.risk import Attack, PrivacyAttacks, Rate, shown_attacks
from synthproof.evaluation.attacks.run import Attacks

__all__ = ["Attack", "Attacks", "PrivacyAttacks", "Rate", "shown_attacks"]
