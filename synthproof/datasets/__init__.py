"""The embedded public tables: the pipeline's default input, the tests' real data, offline.

Both are UCI tables (CC BY 4.0) as the MOSTLY AI public demo data repository publishes them; README.md
beside this file gives their sources, licence and checksums. ``params.yaml`` names them by their path in
the repository (``ingest.source``, ``grid.datasets``); this module is their home for code (tests, benches,
notebooks), and a test checks that the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Dataset:
    """An embedded table: its file, its target, its sha256 and the tokens it writes for missing."""

    file: str
    target: str
    sha256: str
    url: str  # where the file comes from
    na_values: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return FOLDER / self.file


_SOURCE = "https://github.com/mostly-ai/public-demo-data/raw/dev"
DATASETS = {
    "census": Dataset(
        "census.csv.gz",
        "income",
        "e894df34ea1348ec0b421403bf8f0c7f719da4578222cb733615d091c49dff62",
        f"{_SOURCE}/census/census.csv.gz",
        na_values=("?",),
    ),
    "bank_marketing": Dataset(
        "bank_marketing.csv.gz",
        "y",
        "db2d8235ca635878ff977af00d128df153a1df50e6f34831a6511c708302dd23",
        f"{_SOURCE}/bank_marketing/bank_marketing.csv.gz",
    ),
}
CENSUS = DATASETS["census"]
BANK_MARKETING = DATASETS["bank_marketing"]
