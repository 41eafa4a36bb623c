"""One script per DVC stage; run as ``python -m stages.<name>`` from the repository root."""

import os

# Before numpy, scikit-learn, LightGBM or torch load OpenMP (which reads this once): threads that wait
# for work sleep instead of spinning. Two experiments side by side (`dvc queue start -j 2`) on 2 cores
# with spinning torch threads ran CTGAN epochs 3x slower than one alone; with sleeping ones, as fast as
# one alone (bench/sweep_cost.py). A user running one experiment at a time may export
# OMP_WAIT_POLICY=ACTIVE for about 10% faster CTGAN epochs.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
