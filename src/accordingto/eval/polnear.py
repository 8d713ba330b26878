"""Load the PolNeAR corpus (Newell, Margolin & Ruths, LREC 2018) as gold attributions.

Layout: ``data/{train,dev}/text/<article>.txt`` and
``data/{train,dev}/attributions/<article>_<annotator>.ann`` in brat standoff, with
character offsets into the ``.txt``.  Text-bound lines name the role spans
(``T3<TAB>Content 10 20;25 40<TAB>…``, discontinuous ranges joined by ``;``),
event lines tie them into one relation
(``E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1``; also ``Attribution-no-source``,
and ``Content2`` for a second content piece).

Reading rules:

* Offsets are the truth: the text column is ignored, since a few span texts
  hold newlines and continue on the next line (such continuation lines are skipped).
* An article with several annotation files is scored against the first in
  sorted order; an article without one is skipped with a warning.
* Roles ``Source*``, ``Cue*`` and ``Content*`` (``Content2``) are merged per role;
  other arguments (the ``Attribution`` trigger) and span types (``Discuss``,
  ``Discard``), notes and attributes are ignored; an event with no role is dropped.
* ``kind`` is read off the quotation marks of the content, see
  :func:`accordingto.eval.scoring.content_kind`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from accordingto.errors import DataError

from .scoring import ROLES, Attribution, content_kind

__all__ = ["GoldDocument", "find_split", "load_polnear", "parse_brat"]

log = logging.getLogger(__name__)

#: A brat annotation line starts with an ID: T1, E1, A1, R1, N1, M1, #1 or ``*``.
_ANNOTATION_LINE = re.compile(r"^(?:[TEARNM#]\d+|\*)\t")
_ROLE_NAME = re.compile(r"^(source|cue|content)\d*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One article's text and its gold attributions (from annotator ``annotator``)."""

    name: str
    text: str
    attributions: tuple[Attribution, ...]
    annotator: str = ""


def find_split(path: Path | str, split: str = "dev") -> Path:
    """The split directory (holding ``text/`` and ``attributions/``) for ``path``.

    ``path`` may be the PolNeAR root (holding ``data/``), its ``data/`` directory
    or the split directory itself.
    """
    path = Path(path)
    for candidate in (path / "data" / split, path / split, path):
        if (candidate / "text").is_dir() and (candidate / "attributions").is_dir():
            return candidate
    raise DataError(
        f"no PolNeAR split {split!r} under {path}: pass the PolNeAR root (with data/), "
        f"its data/ directory, or a split directory holding text/ and attributions/"
    )


def load_polnear(
    path: Path | str, *, split: str = "dev", limit: int | None = None
) -> list[GoldDocument]:
    """Read the gold documents of one PolNeAR split, in sorted article order.

    >>> docs = load_polnear("../shared/data/polnear", split="dev", limit=5)  # doctest: +SKIP
    """
    directory = find_split(path, split)
    texts = sorted((directory / "text").glob("*.txt"))
    if not texts:
        raise DataError(
            f"no PolNeAR texts (*.txt) in {directory / 'text'}: is the corpus complete?"
        )
    annotations = _annotation_files(directory / "attributions")
    documents: list[GoldDocument] = []
    for text_path in texts:
        if limit is not None and len(documents) >= limit:
            break
        ann_path = annotations.get(text_path.stem)
        if ann_path is None:
            log.warning("no annotation file for %s; skipped", text_path.name)
            continue
        documents.append(_load_document(text_path, ann_path))
    return documents


def _annotation_files(directory: Path) -> dict[str, Path]:
    """Article name → its first annotation file in sorted order."""
    first: dict[str, Path] = {}
    for path in sorted(directory.glob("*.ann")):
        article = path.stem.rpartition("_")[0] or path.stem
        first.setdefault(article, path)
    return first


def _load_document(text_path: Path, ann_path: Path) -> GoldDocument:
    try:
        with text_path.open(encoding="utf-8", newline="") as f:  # keep \r: offsets count it
            text = f.read()
        brat = ann_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read {text_path.name} or {ann_path.name}: {e}") from e
    annotator = ann_path.stem.rpartition("_")[2]
    attributions = parse_brat(brat, text, source=str(ann_path))
    return GoldDocument(text_path.stem, text, attributions, annotator)


def parse_brat(brat: str, text: str, *, source: str = "<brat>") -> tuple[Attribution, ...]:
    """The attribution relations of a brat standoff file over ``text``, in file order."""
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    events: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(brat.splitlines(), start=1):
        if not _ANNOTATION_LINE.match(line):
            continue  # a continuation of a multi-line span text, or blank
        ident, _, rest = line.partition("\t")
        fields = rest.split("\t")[0].split()
        if ident.startswith("T"):
            spans[ident] = _parse_span(fields, len(text), f"{source}:{lineno}")
        elif ident.startswith("E"):
            events.append((lineno, fields[1:]))
    return tuple(
        attribution
        for lineno, arguments in events
        if (attribution := _event(arguments, spans, text, f"{source}:{lineno}")) is not None
    )


def _parse_span(
    fields: list[str], size: int, where: str
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``["Content", "10", "20;25", "40"]`` → ``("Content", ((10, 20), (25, 40)))``."""
    if len(fields) < 3:
        raise DataError(f"{where}: malformed text-bound annotation {' '.join(fields)!r}")
    try:
        pieces = " ".join(fields[1:]).split(";")
        ranges = tuple(sorted((int(a), int(b)) for a, b in (p.split() for p in pieces)))
    except ValueError as e:
        raise DataError(
            f"{where}: bad offsets {' '.join(fields[1:])!r}: fix or drop the line"
        ) from e
    if any(not 0 <= a <= b <= size for a, b in ranges):
        raise DataError(f"{where}: offsets {ranges} fall outside the text ({size} characters)")
    return fields[0], ranges


def _event(
    arguments: list[str],
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]],
    text: str,
    where: str,
) -> Attribution | None:
    """An ``E`` line's ``Role:T#`` arguments as an attribution, or ``None`` without roles."""
    roles: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
    for argument in arguments:
        name, _, ident = argument.partition(":")
        match = _ROLE_NAME.match(name)
        if match is None:
            continue
        if ident not in spans:
            raise DataError(f"{where}: event refers to missing annotation {ident!r}")
        roles[match.group(1).lower()].extend(spans[ident][1])
    if not any(roles.values()):
        return None
    content = tuple(sorted(roles["content"]))
    return Attribution(
        source=tuple(sorted(roles["source"])),
        cue=tuple(sorted(roles["cue"])),
        content=content,
        kind=content_kind(text, content),
    )
