"""The PLOVER gold-standard records (``PLOVER_GSR_CAMEO.txt``): actors and event types.

Each record is one sentence with its source and target actors (ISO-3 codes, or
``IGO`` for an international organisation) and its PLOVER event type, in the
older PLOVER 0.5b1 labels: DEMAND, DISAPPROVE and FIGHT are read as today's
REQUEST, ACCUSE and ASSAULT.  The analyzer runs on each sentence; its main event
(one reported as done, then the surest, then the first) is compared with the record, its
type and modality read as one PLOVER code (:func:`~accordingto.events.lexicon.plover_code`:
a threatened ASSAULT is a THREATEN): source ISO-3 accuracy,
target ISO-3 accuracy (over the records that name one) and event-type accuracy.

These sentences are for evaluation only: they never enter a lexicon or a training set.

>>> same_code("IGO", "NATO", "IGO"), same_code("RUS", "RUS", None), same_code("RUS", None, None)
(True, True, False)
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accordingto.errors import DataError, ModelError
from accordingto.events.lexicon import plover_code
from accordingto.model import Analysis, Article, Event, Modality

__all__ = [
    "OLD_LABELS",
    "GoldRecord",
    "PloverReport",
    "evaluate_plover",
    "load_plover_gsr",
    "main_event",
    "same_code",
]

#: PLOVER 0.5b1 labels of the gold file and the current labels they became.
OLD_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT"}
#: PLV and the trained coder name CONCEDE and RETREAT together YIELD.
_YIELD = {"CONCEDE", "RETREAT"}
FILE_NAME = "PLOVER_GSR_CAMEO.txt"
_DONE = {Modality.HAPPENED, Modality.ONGOING}


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One coded sentence: its source and target codes (several when the record lists several)."""

    id: str
    text: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    event: str


def _codes(actors: Any) -> tuple[str, ...]:
    if not isinstance(actors, list):
        return ()
    return tuple(a["code"] for a in actors if isinstance(a, dict) and a.get("code"))


def load_plover_gsr(path: str | Path) -> list[GoldRecord]:
    """The coded sentences of the gold file (``path``: the file or the folder holding it)."""
    path = Path(path)
    if path.is_dir():
        path = path / FILE_NAME
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise DataError(f"cannot read the PLOVER gold file {path}: {e.strerror}") from e
    except json.JSONDecodeError as e:
        raise DataError(
            f"{path} is not the PLOVER gold JSON file ({e.msg} at line {e.lineno})"
        ) from e
    out = []
    for r in records:
        if not isinstance(r, dict) or r.get("event") in (None, "DOCUMENT") or not r.get("text"):
            continue
        event = OLD_LABELS.get(str(r["event"]), str(r["event"]))
        out.append(
            GoldRecord(
                r.get("id", ""), r["text"], _codes(r.get("source")), _codes(r.get("target")), event
            )
        )
    return out


def same_code(gold: str, code: str | None, sector: str | None) -> bool:
    """A predicted code matches a gold one (any international organisation matches ``IGO``)."""
    return code is not None and (gold == code or (gold == "IGO" and sector == "IGO"))


def same_type(gold: str, root: str | None) -> bool:
    return root is not None and (gold == root or (root == "YIELD" and gold in _YIELD))


def main_event(analysis: Analysis) -> Event | None:
    """The sentence's main event: one it reports as done (PLOVER codes the threat, the offer,
    the agreement, not what is threatened or offered), then the surest, then the first."""
    return min(
        analysis.events,
        key=lambda e: (e.modality not in _DONE, -e.confidence, e.trigger.start),
        default=None,
    )


@dataclass
class PloverReport:
    """Accuracies over the gold records, and what was predicted for each."""

    rows: list[tuple[GoldRecord, Event | None, str | None]] = field(default_factory=list)

    def add(self, record: GoldRecord, event: Event | None, root: str | None) -> None:
        self.rows.append((record, event, root))

    def _accuracy(self, which: str) -> tuple[int, int]:
        correct = total = 0
        for record, event, root in self.rows:
            if which == "event":
                total += 1
                correct += same_type(record.event, root)
                continue
            golds = record.sources if which == "source" else record.targets
            if not golds:
                continue
            total += 1
            if event is not None:
                code, sector = (
                    (event.actor_code, event.actor_sector)
                    if which == "source"
                    else (event.target_code, event.target_sector)
                )
                correct += any(same_code(g, code, sector) for g in golds)
        return correct, total

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"records": len(self.rows)}
        out["with_event"] = sum(1 for _, e, _ in self.rows if e is not None)
        for which in ("source", "target", "event"):
            correct, total = self._accuracy(which)
            out[f"{which}_accuracy"] = correct / total if total else 0.0
            out[f"{which}_correct"], out[f"{which}_total"] = correct, total
        confusions = Counter(
            (r.event, root or "-") for r, _, root in self.rows if not same_type(r.event, root)
        )
        out["type_confusions"] = [
            {"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common()
        ]
        return out

    def summary(self) -> str:
        d = self.to_dict()
        lines = [f"PLOVER gold: {d['records']} records, {d['with_event']} with an event found"]
        for which in ("source", "target", "event"):
            lines.append(
                f"  {which:6s} accuracy {d[f'{which}_accuracy']:.3f} "
                f"({d[f'{which}_correct']} of {d[f'{which}_total']})"
            )
        return "\n".join(lines)


def evaluate_plover(
    path: str | Path,
    *,
    limit: int | None = None,
    nlp=None,
    coder: str = "lexicon",
    threshold: float | None = None,
) -> PloverReport:
    """Analyze each gold sentence and score its main event.

    ``coder``: where the event type comes from: ``lexicon`` (the trigger lexicon),
    ``trained`` (the trained coder, ``events/coder.py``, over the sentence and the
    found actors), or ``both`` (the trained coder where its probability reaches
    ``threshold`` (default: the coder's own, ``EventCoder.threshold``), else the lexicon: what
    the analyzer does with ``ACCORDINGTO_EVENT_CODER=1``;
    the lexicon alone when no coder is shipped).
    """
    from accordingto.pipeline import analyze_many

    records = load_plover_gsr(path)[:limit]
    with _lexicon_types():  # the analyzer's own types come from the lexicon here
        analyses = list(analyze_many((Article(text=r.text) for r in records), nlp=nlp))
    report = PloverReport()
    events = [(r, a, main_event(a)) for r, a in zip(records, analyses, strict=True)]
    trained = _trained_roots(events, threshold) if coder != "lexicon" else {}
    for i, (record, _, event) in enumerate(events):
        # our record keeps the action's type and its modality apart; PLOVER codes one type
        root = plover_code(event.root, event.modality.value) if event is not None else None
        if coder == "trained" or (coder == "both" and i in trained and trained[i][1]):
            root = trained.get(i, (root, False))[0]
        report.add(record, event, root)
    return report


@contextlib.contextmanager
def _lexicon_types() -> Iterator[None]:
    from accordingto.events import CODER_ENV

    before = os.environ.get(CODER_ENV)
    os.environ[CODER_ENV] = "0"
    try:
        yield
    finally:
        if before is None:
            del os.environ[CODER_ENV]
        else:
            os.environ[CODER_ENV] = before


def _trained_roots(
    events: Iterable[tuple[GoldRecord, Analysis, Event | None]], threshold: float | None
) -> dict[int, tuple[str, bool]]:
    """The trained coder's root for each sentence and whether it is sure enough."""
    from accordingto.events.coder import CodingItem, code_events, load_coder

    items, where = [], []
    for i, (_, analysis, event) in enumerate(events):
        actor = (event.actor.start, event.actor.end) if event and event.actor else None
        target = (event.target.start, event.target.end) if event and event.target else None
        items.append(CodingItem(analysis.article.text, actor, target))
        where.append(i)
    try:
        codings = code_events(items)
        sure = load_coder().threshold if threshold is None else threshold
    except ModelError:
        return {}  # no shipped coder: the lexicon types
    return {i: (c.root, c.probability >= sure) for i, c in zip(where, codings, strict=True)}
