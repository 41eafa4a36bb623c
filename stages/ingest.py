"""ingest: fetch and verify the raw table, check it, infer its schema.

reads:  ingest.source (a path, or a URL looked up in $SYNTHPROOF_DATA_DIR before downloading)
writes: paths.raw, paths.schema, paths.metrics.ingest (+ paths.details.ingest)
"""

import tempfile

from stages.common import run
from synthproof.io import (
    TableLimits,
    read_table,
    resolve_source,
    sha256_file,
    write_json,
    write_metrics,
    write_parquet,
)
from synthproof.schema import prepare_table

PARAMS = ["target", "ingest"]


def main(params):
    cfg, paths = params.ingest, params.paths
    with tempfile.TemporaryDirectory() as downloads:
        local = resolve_source(cfg.source, cfg.sha256, download_dir=downloads)
        limits = TableLimits(max_columns=cfg.max_columns, max_cells=cfg.max_cells)
        table = read_table(local, cfg.format, cfg.na_values, limits, name=cfg.source)
        source_sha256 = sha256_file(local)
    table, schema, report = prepare_table(
        table,
        params.target,
        categorical=cfg.columns.categorical,
        numeric=cfg.columns.numeric,
        datetime=cfg.columns.datetime,
        drop=cfg.columns.drop,
        min_rows=cfg.min_rows,
        target_type=cfg.target_type,
        max_target_classes=cfg.max_target_classes,
        empty_columns=cfg.empty_columns,
        categorical_max_unique=cfg.categorical_max_unique,
        id_unique_ratio=cfg.id_unique_ratio,
    )
    write_parquet(table, paths.raw)
    write_json(schema.to_dict(), paths.schema)
    write_metrics(
        {
            "rows": len(table),
            "columns": table.shape[1],
            "rows_read": report.rows_read,
            "rows_dropped_missing_target": report.rows_dropped_missing_target,
            "columns_dropped": len(report.columns_dropped),
            "task": schema.task,  # classification or regression, and why (compare: binary, multiclass, ...)
            "task_reason": schema.task_reason,
            "source": {"path": cfg.source, "sha256": source_sha256},
            "kinds": {kind: len(names) for kind, names in schema.to_dict()["kinds"].items()},
        },
        paths.metrics.ingest,
        paths.details.ingest,
    )
    return (
        f"{len(table):,} rows x {table.shape[1]} columns; target {params.target!r}: {schema.task} "
        f"({schema.task_reason})"
    )


if __name__ == "__main__":
    run(main, PARAMS)
