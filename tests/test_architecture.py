"""The package's layers, and that imports only point down them: a newcomer can read the layers bottom-up, and
change one without fear for those below. This test reads every module's imports (top-level and inside
functions) and fails on any that points up or sideways into a layer above."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "conformance"

# Bottom first. A module may import from its own layer and from layers below it, never from above.
LAYERS = [
    "subject",    # the scripted body and the agent: run in any interpreter, import nothing of the package
    "errors",     # the suite's error classes
    "protocol",   # the model, its vocabulary, steps, observations and verdicts, the oracle
    "remote",     # child interpreters (targets) and compiled subjects
    "drivers",    # how calls reach a subject: in this process or through the agent
    "engine",     # sessions, the tour, the Hypothesis machine, the runner and its results
    "output",     # reports, HTML, diagrams, the specification, the matrix, expected verdicts
    "checking",   # users' objects: subjects, check, awaitables, isolation, the testing API and pytest plugin
    "cli",        # the command line: the only place that knows argparse
    "testing",    # the public testing API's stable name (a re-export of checking.testing)
    "__main__",
]


def layer_of(module: str) -> int | None:
    """The layer of `conformance.X...` (None for the package itself, which every layer may import)."""
    parts = module.split(".")
    if parts[0] != "conformance" or len(parts) == 1:
        return None
    return LAYERS.index(parts[1])


def imports_of(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return [(line, name) for line, name in found if name.split(".")[0] == "conformance"]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_module_belongs_to_a_layer():
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        if name != "conformance":
            assert name.split(".")[1] in LAYERS, f"{path}: not in a layer; add it to LAYERS or move it"


def test_imports_point_only_down_the_layers():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = layer_of(module_name(path))
        for line, imported in imports_of(path):
            there = layer_of(imported)
            if here is not None and there is not None and there > here:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {imported} "
                              f"({LAYERS[here]} -> {LAYERS[there]})")
    assert not upward, "imports pointing up the layers:\n" + "\n".join(upward)


def test_relative_imports_are_not_used():
    """Absolute names say which layer an import reaches; the test above reads them."""
    relative = [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}" for path in PACKAGE.rglob("*.py")
                for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert not relative, relative


def test_the_subject_side_imports_nothing_of_the_package():
    for path in (PACKAGE / "subject").glob("*.py"):
        assert not imports_of(path), f"{path} must run alone in any interpreter"


def test_argparse_is_only_in_the_command_line():
    users = [str(path.relative_to(PACKAGE.parent)) for path in PACKAGE.rglob("*.py")
             if "argparse" in {name for _, name in _all_imports(path)} and module_name(path).split(".")[1:2] != ["cli"]]
    assert not users, users


def _all_imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module


def test_no_import_cycles_even_within_a_layer():
    """Module-level imports form no cycle, so every module can be understood before those that use it."""
    import networkx

    graph = networkx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        here = module_name(path)
        graph.add_node(here)
        tree = ast.parse(path.read_text())
        for node in tree.body:  # top-level imports: those that run when the module loads
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("conformance."):
                graph.add_edge(here, node.module)
    cycles = list(networkx.simple_cycles(graph))
    assert not cycles, cycles
