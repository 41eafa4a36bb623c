"""One script per DVC stage; run as ``python -m stages.<name>`` from the repository root."""

import os

# Before numpy, scikit-learn, LightGBM or torch load OpenMP (which reads this once): threads that wait
# for work sleep instead of spinning. Two CTGAN trainings side by side (`dvc queue start -j 2`) on 2 cores
# started together with spinning threads ran 3x slower each than one alone; with sleeping ones, about as
# fast as one alone (a small queued pair that barely overlaps did not show it: bench/queue_threads.py).
# Alone on census, sleeping threads cost CTGAN about 7% per epoch and save more than that in its data
# transformer (29 s instead of 47 s: spinning threads starve its joblib workers). The shell's own
# OMP_WAIT_POLICY wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
