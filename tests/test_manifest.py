"""The stage manifest: each stage's deps in both dvc.yaml files are exactly the project code it imports
(transitively) and the params keys its script declares, so `dvc repro` reruns what changed and nothing
else. The scripts' PARAMS are enforced at run time (synthproof.config.restricted); this checks the files.
`python -m tools.manifest` rewrites the code deps when imports change."""

import ast

import pytest
import yaml

from synthproof.config import ALL_PARAMS, Params, UndeclaredParamError, restricted
from tools.manifest import (
    PIPELINES,
    REPO,
    grid_keys,
    import_closure,
    listed_code,
    project_imports,
    stage_params,
    stages,
)


@pytest.mark.parametrize("pipeline", list(PIPELINES))
def test_every_stage_depends_on_exactly_the_code_it_runs(pipeline):
    for name, script, body, _ in stages(pipeline):
        expected = import_closure(f"stages.{script}")
        listed = listed_code(body.get("deps", []), PIPELINES[pipeline])
        assert listed == expected, (
            f"{pipeline}: stage {name} misses {sorted(expected - listed)} and lists "
            f"{sorted(listed - expected)} it does not run: `python -m tools.manifest` rewrites them"
        )


def listed_params(entries: list, file: str) -> set[str]:
    keys = set()
    for entry in entries:
        if isinstance(entry, str):
            keys.add(entry)
        else:
            ((name, listed),) = entry.items()
            assert name == file, f"params read from {name}, expected {file}"
            keys |= {ALL_PARAMS} if listed is None else set(listed)
    return keys


@pytest.mark.parametrize("pipeline", list(PIPELINES))
def test_every_stage_depends_on_exactly_the_params_it_declares(pipeline):
    in_grid = bool(PIPELINES[pipeline])
    for name, script, body, cell in stages(pipeline):
        declared = stage_params(script)
        expected = grid_keys(declared, cell) if in_grid else set(declared)
        listed = listed_params(body.get("params", []), PIPELINES[pipeline] + "params.yaml")
        assert listed == expected, (
            f"{pipeline}: {name} lists params {sorted(listed)}, declares {sorted(expected)}"
        )


def test_each_provided_table_s_grid_stage_is_its_generator_twin_per_table():
    grid = {name: (body, cell) for name, _, body, cell in stages("grid/dvc.yaml")}
    twins = [name.removesuffix("_provided") for name in grid if name.endswith("_provided")]
    assert twins == ["train", "sample", "discriminate", "fidelity", "privacy", "compare"]
    for twin in twins:
        (body, cell), (provided, provided_cell) = grid[twin], grid[f"{twin}_provided"]
        body = {key: value for key, value in body.items() if key != "matrix"}
        text = yaml.safe_dump(body).replace(cell.section, provided_cell.section)
        assert yaml.safe_load(text.replace("${item.generator}", "${key}")) == provided, twin


def test_a_stage_that_reads_an_undeclared_key_fails_loudly():
    params = restricted(Params(), stage_params("train"), "train")
    assert params.generator.ctgan.pac == 10 and params.generator.epochs == 100  # the named generator's own
    assert params.paths.train and params.compute.backend == "loky"  # files and compute are no DVC params
    with pytest.raises(UndeclaredParamError, match=r"stage train reads params key 'generator.tvae'"):
        _ = params.generator.tvae.embedding_dim
    with pytest.raises(UndeclaredParamError, match="'compare'"):
        _ = params.compare.models
    with pytest.raises(UndeclaredParamError, match="'sample'"):
        bool(params.sample)
    report = restricted(Params(), stage_params("report"), "report")
    assert report.compare.models == Params().compare.models  # the report reads everything


def test_the_closure_follows_imports_inside_functions_and_packages():
    """The closure follows imports inside functions and through package __init__ files."""
    closure = import_closure("stages.sample")
    assert {
        "synthproof/generators/wrapper.py",
        "synthproof/generators/cart.py",
        "synthproof/io.py",
    } <= closure
    assert "synthproof/evaluation/compare.py" not in closure
    assert "synthproof/generators/guard.py" not in import_closure("stages.train")


def test_imports_run_down_the_layers_only():
    """The zoo reaches only the stages that fit its models; the generators reach only train and sample;
    generators and evaluation never import each other."""
    code = {name: import_closure(f"stages.{script}") for name, script, _, _ in stages("dvc.yaml")}
    assert {name for name, files in code.items() if "synthproof/evaluation/zoo.py" in files} == {
        "score_real",
        "compare",
    }
    generators = {name for name, files in code.items() if any("synthproof/generators/" in f for f in files)}
    assert generators == {"train", "sample"}
    for side, other in (("generators", "evaluation"), ("evaluation", "generators")):
        for file in sorted((REPO / "synthproof" / side).rglob("*.py")):
            crossing = {m for m in project_imports(file) if m.startswith(f"synthproof.{other}")}
            assert not crossing, f"{file.relative_to(REPO)} imports {sorted(crossing)}"


# The package's floors, bottom to top (docs/architecture.md draws them); stages/ stands on top of them all.
BASE = (
    "commands errors names rows values tasks datasets freshness io progress compute conform schema split"
    " links"
)
LAYERS = [
    {*BASE.split(), ""},  # "": the package's __init__
    {"config"},  # params.yaml's sections, validated: read by the stages and handed down
    {"generators", "evaluation"},  # side by side, never importing each other (above)
    {"headline", "stage_files"},  # what each figure is; a run's files read back
    {"checks"},  # the gate's model: each threshold judged on its figure's interval
    {"answers", "plots", "report", "experiments", "grid"},
    {"gate", "audit"},  # the gate's command line; the gate's audit (tools/audit.py)
]


def floor_of(module: str) -> int:
    room = module.split(".")[1] if "." in module else ""
    return next(i for i, rooms in enumerate(LAYERS) if room in rooms)


def test_no_import_runs_up_a_floor():
    for file in sorted((REPO / "synthproof").rglob("*.py")):
        module = ".".join(file.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for imported in project_imports(file):
            if imported.startswith("synthproof"):
                assert floor_of(imported) <= floor_of(module), f"{module} imports {imported}, a floor up"


def _module_of(file) -> str:
    return ".".join(file.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def _import_graph() -> dict[str, set[str]]:
    """Each package module and the package modules it imports (anywhere: a function's imports count)."""
    modules = {_module_of(f) for f in (REPO / "synthproof").rglob("*.py")}
    graph = {}
    for file in sorted((REPO / "synthproof").rglob("*.py")):
        imported = set()
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                named = {f"{node.module}.{alias.name}" for alias in node.names}
                # `from pkg import module` runs the package's __init__ only as a package's first step:
                # an edge to the package when a name is no module of it
                imported |= named & modules
                if not named <= modules:
                    imported.add(node.module)
        graph[_module_of(file)] = (imported & modules) - {_module_of(file)}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: each strongly connected part of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle():
    # issue 46: gate.main imported answers inside the function while answers imported gate; one floor
    # held both, so the floor test could not see it
    assert _circles(_import_graph()) == []


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []
