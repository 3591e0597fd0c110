"""The package's import graph has no cycles (no module imports one that imports it back), and no
import runs back up the flow (`LAYERS`).

Every import statement counts, at module level or inside a function (a lazy import is
still a dependency), and ``from package import name`` counts as an import of the
submodule when ``name`` is one. A package's ``__init__`` is a module like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "onrecord"


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imported(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The onrecord modules ``module`` imports anywhere in its source."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != module}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: imported(m, p, known) for m, p in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_function_level_imports_count(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    from .other import x\n", encoding="utf-8")
    assert imported("onrecord.m", path, {"onrecord.m": path, "onrecord.other": path}) == {"onrecord.other"}


def test_no_module_imports_one_that_imports_it_back():
    edges = graph()
    assert "onrecord.store.writes" in edges and "onrecord.link.stored" in edges
    assert cycles(edges) == []


def test_link_stage_knows_no_database():
    """The link decisions are pure functions: only `link.stored` reads and writes the store."""
    edges = graph()
    for module, deps in edges.items():
        if module.startswith("onrecord.link") and module != "onrecord.link.stored":
            assert not {d for d in deps if d.startswith(("onrecord.store", "onrecord.server"))}, module


# The flow, bottom up: a module may import its own layer and the layers below, never one above
# (a lazy import inside a function counts). Tooling and shells sit on top: nothing in the
# library imports eval, training or the CLI.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("onrecord.models", "onrecord.errors", "onrecord.config", "onrecord.lexicon", "onrecord.gender",
              "onrecord.names", "onrecord.outlets", "onrecord.progress")),
    ("read", ("onrecord.reading", "onrecord.corpora", "onrecord.html", "onrecord.fetching")),
    ("clean", ("onrecord.cleaning",)),
    ("analyse", ("onrecord.nlp", "onrecord.encoder")),
    ("attribute", ("onrecord.attribute",)),
    ("resolve", ("onrecord.resolution", "onrecord.resolve")),
    ("pipeline", ("onrecord.pipeline", "onrecord.parallel", "onrecord")),  # `onrecord`: the package's front
    ("store", ("onrecord.store",)),
    ("link", ("onrecord.link",)),
    ("verify", ("onrecord.verify",)),
    ("serve", ("onrecord.server", "onrecord.spark")),  # with export (onrecord.store.export reads the store only)
    ("eval", ("onrecord.eval",)),
    ("training", ("onrecord.training",)),
    ("cli", ("onrecord.cli", "onrecord.__main__")),
]

# Imports that still run up the flow, each with the change that removes it. Keep this list
# short: a new entry needs a reason here, not just a green test.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def layer_of(module: str) -> int:
    """The rank of the longest layer prefix that names ``module`` (or a package above it)."""
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    return rank


def test_every_module_has_a_layer():
    assert [m for m in modules() if layer_of(m) < 0] == []


def test_the_layer_check_finds_an_upward_import():
    assert layer_of("onrecord.store.base") < layer_of("onrecord.link.stored")
    assert layer_of("onrecord.attribute.rules") < layer_of("onrecord.resolve.speakers")
    assert layer_of("onrecord.models") == 0 and layer_of("onrecord.cli.store") == len(LAYERS) - 1


def upward_imports(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(m, d) for m, deps in edges.items() for d in deps if layer_of(d) > layer_of(m)}


def test_a_lazy_import_of_the_link_stage_by_the_store_is_upward(tmp_path):
    """The store once reached the link stage from inside its methods (``Store.link``): a function-level
    import is an edge like any other, and store -> link runs up the flow."""
    path = tmp_path / "writes.py"
    path.write_text("def link(self):\n    from ..link.stored import link_store\n    link_store(self)\n",
                    encoding="utf-8")
    known = {"onrecord.store.writes": path, "onrecord.link.stored": path}
    edges = {"onrecord.store.writes": imported("onrecord.store.writes", path, known)}
    assert upward_imports(edges) == {("onrecord.store.writes", "onrecord.link.stored")}


def test_the_store_imports_nothing_of_the_link_stage():
    """Writing an attribution computes its raw speaker key from `onrecord.names`; linking after a write
    is the shells' call (`onrecord.link.stored.catch_up`), never the store's."""
    for module, deps in graph().items():
        if module.startswith("onrecord.store"):
            assert not {d for d in deps if d.startswith("onrecord.link")}, module


def test_no_import_runs_back_up_the_flow():
    upward = upward_imports(graph())
    named = [f"{m} ({LAYERS[layer_of(m)][0]}) imports {d} ({LAYERS[layer_of(d)][0]})"
             for m, d in sorted(upward - KNOWN_UPWARD)]
    assert named == []
    assert KNOWN_UPWARD <= upward, "a known exception is gone: remove it from KNOWN_UPWARD"


def test_no_product_module_imports_the_cli_or_the_benchmarks():
    for module, deps in graph().items():
        if not module.startswith(("onrecord.cli", "onrecord.__main__")):
            assert not {d for d in deps if d.startswith("onrecord.cli")}, module
    for path in PACKAGE.rglob("*.py"):
        assert "benchmarks" not in {getattr(n, "module", None) or "" for n in ast.walk(ast.parse(
            path.read_text(encoding="utf-8"))) if isinstance(n, ast.ImportFrom)}, path
