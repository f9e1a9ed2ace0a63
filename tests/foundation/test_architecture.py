"""The house rules of docs/architecture.md ("How the code is arranged"), checked on
the code itself.

Every ``import`` in ``evac/**/*.py`` counts, wherever it is written: at the top
of a module, inside a function, or under ``TYPE_CHECKING``. An import delayed into
a function still ties the two packages together; it only hides the circle from
Python until the function runs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import evac

SOURCE = Path(evac.__file__).parent
# Packages that are not domains: the web layer (middleware, templates, refusals),
# the translations, and the command line, which composes commands as evac/app.py
# composes routers.
INFRASTRUCTURE_PACKAGES = {"web", "i18n"}
COMPOSITION_ROOTS = {"evac.app", "evac.asgi"}
# Imports that still close a circle between domains, each with what it takes to
# remove it. The list only shrinks: an import that is gone must leave it
# (test_known_circles_are_still_there), and any other circle fails.
KNOWN_CIRCLES: dict[tuple[str, str], str] = {
    ("evac.notifications", "evac.cases"): "the outbox and broadcast pages read cases "
    "through cases.scope, yet every domain writes to the outbox: the pages and the "
    "broadcast belong above the outbox, in a package of their own",
    ("evac.notifications", "evac.flights"): "broadcast.py chooses flights (readable_flights)",
    ("evac.notifications", "evac.registration"): "flight_notices.py builds seat links "
    "(registration.seat_links), broadcast_routes.py reads the form (registration.deps)",
    ("evac.notifications", "evac.retention"): "the worker also runs the housekeeping: "
    "it is a process that composes domains, like evac/cli",
    ("evac.flights", "evac.cases"): "the manifest page moves a household it finds "
    "through cases.scope",
    ("evac.flights", "evac.registration"): "check-in and PAXLST use the reference, "
    "name and document helpers of registration.reference, normalize and passport_names, "
    "which the registrant's pages (above flights) share",
}


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    names: tuple[str, ...]
    line: int

    def __str__(self) -> str:
        path = self.importer.replace(".", "/") + ".py"
        names = f" ({', '.join(self.names)})" if self.names else ""
        return f"{path}:{self.line} imports {self.target}{names}"


def _module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, ast.Module]:
    return {_module_name(path): ast.parse(path.read_text()) for path in SOURCE.rglob("*.py")}


def _resolve(importer: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = importer.split(".")
    is_package = (SOURCE.parent / Path(*package) / "__init__.py").exists()
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports_of(importer: str, tree: ast.Module) -> Iterator[Import]:
    modules = _modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("evac"):
                    yield Import(importer, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(importer, node)
            if not target.startswith("evac"):
                continue
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{target}.{name}" for name in names if f"{target}.{name}" in modules]
            for submodule in submodules:
                yield Import(importer, submodule, (), node.lineno)
            if len(submodules) < len(names):
                yield Import(importer, target, names, node.lineno)


@cache
def all_imports() -> tuple[Import, ...]:
    return tuple(
        found for name, tree in sorted(_modules().items()) for found in _imports_of(name, tree)
    )


def package_of(module: str) -> str:
    """``evac.cases.search`` → ``evac.cases``; a top-level module is its own package.

    A domain's table models are a node of their own (``evac.cases.models``): every
    domain may import every domain's models (they are one layer, composed by
    ``evac/models.py``), so they tie no domain's services to another's. The plain
    enumerations kept apart from them for a light import (``evac.staff.roles``)
    belong to that node.
    """
    parts = module.split(".")
    if parts[2:3] in (["models"], ["roles"]):
        return ".".join([*parts[:2], "models"])
    return ".".join(parts[:2])


def is_domain(package: str) -> bool:
    name = package.removeprefix("evac.")
    is_subpackage = (SOURCE / name / "__init__.py").exists()
    return is_subpackage and name not in INFRASTRUCTURE_PACKAGES and name != "cli"


def defines_router(module: str) -> bool:
    """A routes module: one that builds an ``APIRouter`` (routes.py, *_routes.py, api.py…)."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "APIRouter"
        for node in ast.walk(_modules()[module])
    )


def route_imports_breaking_the_rules(imports: Iterable[Import]) -> list[str]:
    """Only the composition root imports routes modules, and a domain's own routes
    module includes its other routers; helpers shared by routes live in ``deps.py``."""
    broken = []
    for found in imports:
        if found.target not in _modules() or not defines_router(found.target):
            continue
        if found.importer in COMPOSITION_ROOTS:
            continue
        same_domain = package_of(found.importer) == package_of(found.target)
        includes_router = found.names and all(name == "router" for name in found.names)
        if not (same_domain and includes_router):
            broken.append(str(found))
    return broken


def dependencies(package: str) -> set[str]:
    """Every package ``package`` imports, directly or through others."""
    edges = package_graph()
    seen: set[str] = set()
    todo = [package]
    while todo:
        for target in edges.get(todo.pop(), set()) - seen:
            seen.add(target)
            todo.append(target)
    return seen


@cache
def package_graph() -> dict[str, frozenset[str]]:
    edges: dict[str, set[str]] = {}
    for found in all_imports():
        source, target = package_of(found.importer), package_of(found.target)
        if source != target and target != "evac":
            edges.setdefault(source, set()).add(target)
    return {source: frozenset(targets) for source, targets in edges.items()}


def without_known_circles(edges: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    return {
        source: frozenset(t for t in targets if (source, t) not in KNOWN_CIRCLES)
        for source, targets in edges.items()
    }


def package_cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The import circles between packages: Tarjan's strongly connected components."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, set())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return cycles


def _importers_of(source: str, targets: set[str]) -> list[str]:
    return [
        str(found)
        for found in all_imports()
        if package_of(found.importer) == source and package_of(found.target) in targets
    ]


def test_no_module_imports_another_domains_routes() -> None:
    assert route_imports_breaking_the_rules(all_imports()) == []


def test_the_web_layer_depends_on_no_domain() -> None:
    reached = {package for package in dependencies("evac.web") if is_domain(package)}
    assert reached == set(), _importers_of("evac.web", reached) or sorted(reached)
    assert not dependencies("evac.web") & COMPOSITION_ROOTS


def test_no_import_circle_between_packages() -> None:
    assert package_cycles(without_known_circles(package_graph())) == []


def test_known_circles_are_still_there() -> None:
    """A circle that was removed leaves KNOWN_CIRCLES, so it cannot come back."""
    edges = package_graph()
    gone = [pair for pair in KNOWN_CIRCLES if pair[1] not in edges.get(pair[0], frozenset())]
    assert gone == []


def test_routes_and_dependencies_leave_committing_to_the_services() -> None:
    """A service that changes something commits before it returns; a page, an API
    call or a dependency never commits (nor forgets to)."""
    committing = [
        f"{module.replace('.', '/')}.py:{node.lineno}"
        for module, tree in sorted(_modules().items())
        if defines_router(module) or module.endswith(".deps")
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "commit"
    ]
    assert committing == []


def test_the_checks_see_the_breaches_they_exist_for() -> None:
    """What the checks above would say of the imports this codebase once had."""
    once = [
        Import("evac.reports.export_routes", "evac.cases.routes", ("CaseReader",), 13),
        Import("evac.flights.closing_routes", "evac.flights.checkin_routes", ("page_url",), 17),
        Import("evac.cases.routes", "evac.cases.people_routes", ("router",), 16),
    ]
    assert route_imports_breaking_the_rules(once) == [str(once[0]), str(once[1])]
    circle = {
        "evac.web": frozenset({"evac.registration"}),
        "evac.registration": frozenset({"evac.web"}),
    }
    assert package_cycles(circle) == [["evac.registration", "evac.web"]]
    assert is_domain("evac.registration") and not is_domain("evac.web")
