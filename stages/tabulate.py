"""tabulate: the grid's table, one row of headline metrics per dataset and generator (grid/dvc.yaml).

reads:  every cell's paths.metrics.* (under paths.grid.cells)
writes: paths.grid.table (CSV), paths.grid.table_markdown, paths.grid.figure
"""

from stages.common import run
from synthproof.grid import grid_figure, grid_markdown, grid_table
from synthproof.io import write_csv, write_text
from synthproof.plots import save_figure

PARAMS = ["seed", "grid", "gate"]


def main(params):
    paths = params.paths.grid
    table = grid_table(params)
    write_csv(table, paths.table)
    write_text(grid_markdown(table, params), paths.table_markdown)
    save_figure(grid_figure(table), paths.figure)
    print(table.to_string(index=False))
    return f"{len(table)} cells to {paths.table}"


if __name__ == "__main__":
    run(main, PARAMS)
