"""Functions stay short enough to read in one screen: one over 60 lines says why in a `# long:` comment
(issue 46: report.render ran 128 lines, prepare_table 83, the stage mains up to 78)."""

import ast

from tools.manifest import REPO

MAX_LINES = 60


def test_a_long_function_says_why():
    unexplained = []
    for file in sorted([*(REPO / "synthproof").rglob("*.py"), *(REPO / "stages").glob("*.py")]):
        source = file.read_text().splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                body = source[node.lineno - 1 : node.end_lineno]
                if length > MAX_LINES and not any(line.strip().startswith("# long:") for line in body):
                    unexplained.append(f"{file.relative_to(REPO)}:{node.lineno} {node.name} ({length} lines)")
    assert unexplained == [], "split into named steps, or say why not in a `# long:` comment"


def test_the_tests_mirror_the_package():
    """Each folder of the package (and stages/) has a test folder of its name (issue 46: config's eight
    modules had one test file at the top)."""
    folders = {path.name for path in (REPO / "synthproof").iterdir() if (path / "__init__.py").is_file()}
    tested = {path.parent.name for path in (REPO / "tests").glob("*/__init__.py")}
    assert sorted((folders | {"stages"}) - tested) == []
