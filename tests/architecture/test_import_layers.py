"""Every import points down the layers of docs/architecture.md, and no two modules
import each other, directly or round a loop.

The imports are read from the source with `ast`, so an import inside a function
counts as much as one at the top of a file: it is how a cycle used to hide. Only
imports under `if TYPE_CHECKING:` are left out: they exist for type checkers and
are never run. Migrations are exempt: they are frozen history that Django runs
in its own order (they may name any app's models by string) and a later move
must not rewrite them. Tests are not in the app packages and are not checked.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. A module may import its own layer and the layers below it.
LAYERS = [
    # What every app shares, and the project's infrastructure modules that settings
    # name by dotted path (cache backend, file storages, the Celery app and the
    # django-tasks backend): none imports an app of the site.
    {
        "foundation",
        "bac_collection.cache",
        "bac_collection.storage",
        "bac_collection.celery",
        "bac_collection.django_tasks_celery",
    },
    {"images"},
    {"objects"},
    # The search lists every kind of record and listens to their changes. An app
    # declares its kind in its own search.py, which search alone imports (found by
    # autodiscovery when Django starts): the declaration is part of the search layer,
    # as search/ names no kind. Apps above search declare theirs in their own layer.
    {"search", "objects.search"},
    {"memories"},
    {"calls"},
    {"identifications"},
    # Stories embed objects and memories.
    {"stories"},
    # Share links and oEmbed for objects, memories and stories.
    {"sharing"},
    {"home"},
    # Open data: reads the archive, stories and memories.
    {"api"},
    # Site pages: the page cache's middleware, sitemaps, robots, error pages, the
    # links to site pages that every page's footer shows.
    {"pages"},
    # Impact reports read what the site counted on every page and in the downloads.
    {"impact"},
    # The project's wiring (settings, URLs, health checks, WSGI) and the
    # development-only tools, which drive every app.
    {"bac_collection", "devtools"},
]

# Being removed (docs/architecture.md, "Not there yet"): each entry names its way out.
# The tests fail on any import or cycle not listed, and on a listed one that is gone.
KNOWN_WRONG_WAY: set[tuple[str, str]] = set()
KNOWN_CYCLES: set[frozenset[str]] = set()

# Layered directories under ROOT that are apps or project packages.
PACKAGES = sorted({name.split(".")[0] for layer in LAYERS for name in layer})


def layer_of(module: str, layers=LAYERS) -> int | None:
    """The layer of the longest name in LAYERS that `module` is or is inside."""
    best, best_length = None, -1
    for index, names in enumerate(layers):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best_length:
                best, best_length = index, len(name)
    return best


def source_modules(root: Path, packages) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Every Import/ImportFrom in `tree`, at any depth, except TYPE_CHECKING blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path, packages) -> dict[str, dict[str, int]]:
    """module -> {imported module of the site: line of the first such import}."""
    modules = source_modules(root, packages)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = defaultdict(dict)
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = module.split(".")
                    parts = parts if is_package else parts[:-1]
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                # `from package import module` imports the module.
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in {known(t) for t in targets} - {None, module}:
                graph[module].setdefault(target, node.lineno)
    return graph


def wrong_way_imports(graph, layers=LAYERS) -> dict[tuple[str, str], int]:
    """(module, higher module it imports) -> line."""
    found = {}
    for module, targets in sorted(graph.items()):
        own = layer_of(module, layers)
        for target, line in sorted(targets.items()):
            theirs = layer_of(target, layers)
            if own is not None and theirs is not None and theirs > own:
                found[(module, target)] = line
    return found


def cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, {}))))]
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
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups)


def test_every_app_package_has_a_layer():
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert sorted(apps - set(PACKAGES)) == [], "Place the new app in LAYERS"


def test_every_import_points_down():
    found = wrong_way_imports(import_graph(ROOT, PACKAGES))
    new = [
        f"{module}:{line} imports {target}"
        for (module, target), line in found.items()
        if (module, target) not in KNOWN_WRONG_WAY
    ]
    assert new == []
    # A fixed one leaves the list, so the list only ever shrinks.
    assert sorted(KNOWN_WRONG_WAY - found.keys()) == []


def test_no_module_cycles():
    found = {frozenset(group) for group in cycles(import_graph(ROOT, PACKAGES))}
    assert sorted(sorted(group) for group in found - KNOWN_CYCLES) == []
    assert sorted(sorted(group) for group in KNOWN_CYCLES - found) == []


# --- The check itself, on a synthetic tree ---------------------------------------

SYNTHETIC_LAYERS = [{"base"}, {"domain"}]


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_a_wrong_way_import_fails_the_check_even_inside_a_function(tmp_path):
    _write(
        tmp_path,
        {
            "base/__init__.py": "",
            "base/helpers.py": "def f():\n    from domain.models import Thing\n",
            "domain/__init__.py": "",
            "domain/models.py": "from base.helpers import f\n",
            "base/typed.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from domain.models import Thing\n",
        },
    )
    graph = import_graph(tmp_path, ["base", "domain"])
    assert wrong_way_imports(graph, SYNTHETIC_LAYERS) == {("base.helpers", "domain.models"): 2}


def test_a_cycle_fails_the_check_even_round_a_loop(tmp_path):
    _write(
        tmp_path,
        {
            "domain/__init__.py": "",
            "domain/models.py": "def context():\n    from . import selectors\n",
            "domain/selectors.py": "from .queries import live\n",
            "domain/queries.py": "from domain import models\n",
            "domain/views.py": "from .selectors import x\n",
        },
    )
    graph = import_graph(tmp_path, ["domain"])
    assert cycles(graph) == [["domain.models", "domain.queries", "domain.selectors"]]


def test_the_check_reads_this_very_tree():
    # Guards against a check that passes because it read nothing.
    graph = import_graph(ROOT, PACKAGES)
    assert "foundation.pagination" in graph["objects.selectors"]
    assert len(graph) > 100


if __name__ == "__main__":  # python tests/architecture/test_import_layers.py
    graph = import_graph(ROOT, PACKAGES)
    for (module, target), line in wrong_way_imports(graph).items():
        print(f"{module}:{line} imports {target}")
    print("\n".join(" <-> ".join(group) for group in cycles(graph)) or "No cycles.")
    sys.exit(0)
