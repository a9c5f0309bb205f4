"""Which of the package's modules a rule script runs: its code is one of its inputs.

Snakemake re-runs a rule when its script changes, not when a module of ``chinhquyenso`` that the
script imports changes; an edited model or table function would leave old outputs that the
manifest then certifies. The workflow therefore adds, to every rule's inputs, the package files
its script uses, found here once from the imports (statically, with ``ast``: nothing is run).

A name imported from a package (``from .models import is_slope``) counts as the module that
defines it (``models/spec.py``, which ``models/__init__.py`` re-exports), not every module the
package's ``__init__`` happens to import: a rule depends on the code it calls. Imports inside
functions count too. Light on purpose (standard library only): read while the job graph is built.
The lists are kept in .snakemake/ while no Python file of the project changes, so that a run
with nothing to do does not parse them again.
"""

from __future__ import annotations

import ast
import json
import os
from functools import cache
from pathlib import Path

STORE = Path(".snakemake/chinhquyenso_code_deps.json")

PACKAGE = "chinhquyenso"


def _module_file(root: Path, dotted: str) -> Path | None:
    """scripts/chinhquyenso/a/b.py or scripts/chinhquyenso/a/b/__init__.py for 'chinhquyenso.a.b'."""
    base = root.joinpath(*dotted.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _dotted(root: Path, path: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(root: Path, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module name of a ``from … import`` (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = _dotted(root, path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


@cache
def _reexports(init: Path) -> dict[str, str]:
    """Name -> submodule it comes from, for the ``from .x import name`` lines of a package."""
    root = init.parent.parent
    while (root / "__init__.py").is_file():
        root = root.parent
    out = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            source = _absolute(root, init, node)
            for alias in node.names:
                out[alias.asname or alias.name] = source
    return out


def _imports(tree: ast.Module):
    """The import statements of a module, at any depth of its statements (inside functions,
    ``if`` and ``try`` blocks); expressions are not visited: an import is always a statement."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            todo.extend(getattr(node, field, ()) or ())


@cache
def _targets(root: Path, path: Path) -> frozenset[Path]:
    """The package files one file's imports point to (one step)."""
    found: set[Path] = set()
    for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names if a.name.split(".")[0] == PACKAGE]
            found |= {f for m in modules if (f := _module_file(root, m))}
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(root, path, node)
            if module.split(".")[0] != PACKAGE:
                continue
            target = _module_file(root, module)
            for alias in node.names:
                sub = _module_file(root, f"{module}.{alias.name}")  # a submodule itself
                if sub is None and target is not None and target.name == "__init__.py":
                    source = _reexports(target).get(alias.name)
                    sub = _module_file(root, source) if source else None
                found.add(sub or target)
            found.discard(None)
    return frozenset(found)


def _packages_of(root: Path, path: Path) -> list[Path]:
    """The ``__init__.py`` files Python runs before ``path`` (its package and the ones above)."""
    out, folder = [], path.parent
    while folder != root and (folder / "__init__.py").is_file():
        out.append(folder / "__init__.py")
        folder = folder.parent
    return out


def _fingerprint(root: Path) -> list:
    """Every Python file under ``root`` with its modification time and size."""
    return sorted([str(p), p.stat().st_mtime_ns, p.stat().st_size] for p in root.rglob("*.py"))


@cache
def _stored(root: Path) -> dict:
    """The lists found by an earlier run, if no Python file changed since."""
    fingerprint = _fingerprint(root)
    try:
        data = json.loads(STORE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    if data.get("fingerprint") != fingerprint:
        data = {"fingerprint": fingerprint, "scripts": {}}
    return data


def _store(data: dict) -> None:
    """Keep the lists for the next run; a folder that cannot be written only costs time."""
    try:
        STORE.parent.mkdir(exist_ok=True)
        temporary = STORE.with_name(f"{STORE.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, STORE)
    except OSError:
        pass


def modules_of(script: str | Path, root: str | Path = "scripts") -> list[str]:
    """Every package file ``script`` runs (transitively), sorted, as paths like those in rules;
    with each module, the package ``__init__.py`` files that run before it (their own code: what
    they import for others is not followed, a rule depends on the code it calls)."""
    data = _stored(Path(root))
    key = f"{root}|{script}"
    if key not in data["scripts"]:
        data["scripts"][key] = _walk(Path(script), Path(root))
        _store(data)
    return list(data["scripts"][key])


def _walk(script: Path, root: Path) -> list[str]:
    seen = set()
    todo = [script]
    while todo:
        path = todo.pop()
        for target in _targets(root, path):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    packages = {init for path in seen for init in _packages_of(root, path)}
    return sorted(str(p) for p in seen | packages)
