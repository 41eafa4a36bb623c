"""Run inside the benchmark's own sdmetrics virtual environment: time SDMetrics' QualityReport.

python _sdmetrics_report.py FOLDER   (FOLDER holds real.parquet, synthetic.parquet, metadata.json)
"""

import json
import sys
import time
from pathlib import Path

import pandas as pd
from sdmetrics.reports import QualityReport

folder = Path(sys.argv[1])
real = pd.read_parquet(folder / "real.parquet")
synthetic = pd.read_parquet(folder / "synthetic.parquet")
metadata = json.loads((folder / "metadata.json").read_text())
report = QualityReport()
started = time.perf_counter()
report.generate({"table": real}, {"table": synthetic}, {"tables": {"table": metadata}}, verbose=False)
seconds = time.perf_counter() - started
properties = report.get_properties().set_index("Property")["Score"]
pairs = report.get_details("Column Pair Trends")
print(
    json.dumps(
        {
            "seconds": seconds,
            "column_shapes": float(properties["Column Shapes"]),
            "pair_trends": float(properties["Column Pair Trends"]),
            "score": float(report.get_score()),
            "pairs_scored": int(pairs["Score"].notna().sum()),
            "pairs": len(pairs),
        }
    )
)
