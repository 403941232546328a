"""The import graph of the project's own modules, read from the source with `ast`.

Every import counts, at module level or inside a function: a lazy import hides a circle
from Python, not from the next engineer.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not the product's code: tests, migrations (frozen history) and what tools put here.
SKIPPED_DIRECTORIES = {"tests", "migrations", ".venv", "var", "static", "node_modules"}
# Apps that sit below careers: they may be used by it, never the reverse.
BELOW_CAREERS = ("core", "outbox", "news", "newsletter")


def project_modules() -> dict[str, Path]:
    """Dotted name → file of every module inside the project's packages."""
    modules = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if SKIPPED_DIRECTORIES.intersection(parts) or len(parts) < 2:
            continue
        packages = (ROOT.joinpath(*parts[:depth]) for depth in range(1, len(parts)))
        if not all((package / "__init__.py").exists() for package in packages):
            continue
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _module_of(name: str, modules: dict[str, Path]) -> str | None:
    """The project module that importing `name` runs: the longest prefix that is one."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `module` imports anywhere in its body (functions included)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base]) if base else ".".join(anchor)
            # `from a import b` runs a.b when b is a module, else only a.
            names += [f"{base}.{alias.name}" for alias in node.names]
    found = {_module_of(name, modules) for name in names}
    return found - {None, module}


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {module: _imports(module, path, modules) for module, path in modules.items()}


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph.get(module, ()):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_the_graph_sees_lazy_imports():
    """A function-level import is an edge: the tasks reach the services they call."""
    graph = import_graph()
    assert "careers.services.pipeline" in graph["careers.tasks.routing"]
    assert "careers.models" in graph["careers.services.pipeline.routing"]


def test_the_cycle_finder_finds_a_circle_through_three_modules():
    """a → b → c → a is one circle; d, which only points into it, is not part of it."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_among_project_modules():
    """Services never import tasks, lazily or not; any circle means a design with one."""
    assert import_cycles(import_graph()) == []


def test_the_apps_below_careers_import_nothing_from_it():
    """Shared plumbing lives in its own apps, so the apps below careers stand without it."""
    offenders = sorted(
        f"{module} → {target}"
        for module, targets in import_graph().items()
        if module.split(".")[0] in BELOW_CAREERS
        for target in targets
        if target.split(".")[0] == "careers"
    )
    assert offenders == []
