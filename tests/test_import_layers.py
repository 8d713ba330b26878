"""No lower layer of the analyzer imports a higher one (nlp/load.py imported attribution/)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "accordingto"
#: Bottom to top; a module may import its own layer and those below it.
LAYERS = [
    ["model", "errors", "deadline"],
    ["nlp"],
    ["quotes"],
    ["attribution"],
    ["resolve"],
    ["pipeline"],
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
#: Modules that sit on top whatever their folder: the whole analyzer as a spaCy component.
ON_TOP = {"nlp/component.py"}


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "accordingto" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANK else None


def _imports(path: Path) -> list[str]:
    package = "accordingto." + ".".join(path.relative_to(SRC).with_suffix("").parts)
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                name = ".".join(base + ([node.module] if node.module else []))
                out += [name] + [f"{name}.{a.name}" for a in node.names]
            elif node.module:
                out += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
    return out


FILES = [
    p
    for layer in RANK
    for p in (
        [SRC / f"{layer}.py"] if (SRC / f"{layer}.py").is_file() else (SRC / layer).rglob("*.py")
    )
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_import_from_a_higher_layer(path: Path) -> None:
    if str(path.relative_to(SRC)) in ON_TOP:
        return
    own = path.relative_to(SRC).parts[0].removesuffix(".py")
    higher = sorted(
        {m for m in _imports(path) if (layer := _layer_of(m)) and RANK[layer] > RANK[own]}
    )
    assert not higher, f"{path.relative_to(SRC)} imports {higher}"


def _private_names(source: str) -> list[str]:
    """The private names ``from X import _name`` takes from another of the package's modules."""
    out = []
    for node in ast.walk(ast.parse(source)):
        ours = isinstance(node, ast.ImportFrom) and (
            node.level > 0 or (node.module or "").startswith("accordingto")
        )
        if ours:
            out += [
                f"{node.module or '.'}.{a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
    return out


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_modules_private_names(path):
    assert _private_names(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("from accordingto.cli.query import _open, emit", ["accordingto.cli.query._open"]),
        ("from .cues import _content", ["cues._content"]),
        # negatives: a module imported under a private alias, public names, __future__
        ("from . import query as _query", []),
        ("from .query import emit, open_store", []),
        ("from __future__ import annotations", []),
        ("from lxml.etree import _Element", []),  # another package's type, not ours
    ],
)
def test_the_private_import_check(source, found):
    assert _private_names(source) == found
