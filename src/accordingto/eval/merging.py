"""Cross-article event merging, scored pairwise over reports against a hand-made gold corpus.

A corpus is a JSON-lines file, one article a line: ``id``, ``outlet``, ``date``,
``text`` and ``events``, the gold events the article reports, each with the
``event`` it is (the same name in every article that reports it), its
``mentions`` (words of the text, each found at its first whole-word occurrence)
and its tuple (``actor``, ``target``, ``root``, ``date``, ``place``, ``modality``).

:func:`score_merging` stores the articles in a fresh store, as a run does, and
compares the corpus events with the gold:

* a *unit* is one article's report of one gold event; a system report belongs to
  the unit whose mentions its mentions overlap (none: it is *unaligned*);
* **precision**: of the pairs of system reports from different articles that were
  merged, the share that belong to units of the same gold event (a pair with an
  unaligned report counts as wrong);
* **recall**: of the pairs of units of the same gold event in different articles,
  the share that have a system report each in one corpus event (a gold report the
  analyzer missed loses its pairs).

``source="system"`` runs the real analyzer (extraction and merging together);
``source="gold"`` stores events built from the gold tuples, so that the figures
measure merging alone.

>>> from accordingto.eval.merging import score_merging
>>> score_merging("tests/fixtures/events_corpus/articles.jsonl")   # doctest: +SKIP
MergeScore(precision=…, recall=…, …)
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from accordingto.errors import DataError
from accordingto.model import Analysis, Article, Event, Modality, Span, content_id
from accordingto.store.events import QUADS

__all__ = [
    "GoldArticle",
    "GoldEvent",
    "MergeScore",
    "load_corpus",
    "score_merging",
]


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One article's report of a gold event: its name, mention spans and tuple."""

    event: str
    mentions: tuple[Span, ...]
    actor: str | None
    target: str | None
    root: str
    date: str | None
    place: str | None
    modality: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    article: Article
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True, slots=True)
class MergeScore:
    """Pairwise merge figures over cross-article pairs of reports."""

    precision: float
    recall: float
    system_pairs: int
    correct_pairs: int
    gold_pairs: int
    found_pairs: int
    reports: int
    unaligned_reports: int
    gold_reports: int
    missed_gold_reports: int
    corpus_events: int
    gold_events: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _find(text: str, word: str, where: str) -> Span:
    m = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    if m is None:
        raise DataError(f"{where}: mention {word!r} is not in the text; fix the gold corpus")
    return Span.of(text, m.start(), m.end())


def load_corpus(path: str | Path) -> list[GoldArticle]:
    """The gold corpus at ``path`` (JSON lines, see the module's documentation).

    Raises:
        DataError: the file cannot be read, or a line is not a gold article.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read the gold events corpus {path}: {e}") from e
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}#line {n}"
        try:
            out.append(_gold_article(json.loads(line), where))
        except (ValueError, KeyError, TypeError) as e:
            raise DataError(
                f"{where}: not a gold article ({type(e).__name__}: {e}); each line needs "
                "id, text and events (see accordingto.eval.merging)"
            ) from e
    return out


def _gold_article(rec: dict, where: str) -> GoldArticle:
    article = Article(
        text=rec["text"], date=rec.get("date"), outlet=rec.get("outlet"), title=rec["id"]
    )
    events = tuple(
        GoldEvent(
            event=g["event"],
            mentions=tuple(_find(article.text, w, where) for w in g["mentions"]),
            actor=g.get("actor"),
            target=g.get("target"),
            root=g["root"],
            date=g.get("date"),
            place=g.get("place"),
            modality=g.get("modality", "happened"),
        )
        for g in rec["events"]
    )
    return GoldArticle(rec["id"], article, events)


def gold_events(gold: GoldArticle) -> tuple[Event, ...]:
    """Event records built from an article's gold tuples (for scoring merging alone)."""
    text = gold.article.text
    out = []
    for g in gold.events:
        place = _find(text, g.place, gold.name) if g.place and g.place in text else None
        trigger = g.mentions[0]
        out.append(
            Event(
                id=content_id(gold.article.id, trigger.start, trigger.end, g.root, prefix="e_"),
                trigger=trigger,
                root=g.root,
                quad=QUADS[g.root],
                modality=Modality(g.modality),
                actor_code=g.actor,
                target_code=g.target,
                date=g.date,
                place=place,
                mentions=g.mentions,
            )
        )
    return tuple(out)


def _analyses(corpus: list[GoldArticle], source: str, nlp: object | None) -> list[Analysis]:
    if source == "gold":
        return [Analysis(g.article, events=gold_events(g)) for g in corpus]
    if source != "system":
        raise ValueError(f"source {source!r}: use 'system' or 'gold'")
    from accordingto.pipeline import analyze_many

    return list(analyze_many([g.article for g in corpus], nlp=nlp))


def _unit(event: Event, gold: GoldArticle) -> str | None:
    """The gold event an analyzed event reports (its mentions overlap the gold's), or ``None``."""
    spans = event.mentions or (event.trigger,)
    best, most = None, 0
    for g in gold.events:
        hits = sum(1 for s in spans for m in g.mentions if s.overlaps(m))
        if hits > most:
            best, most = g.event, hits
    return best


def score_merging(
    path: str | Path, *, source: str = "system", nlp: object | None = None
) -> MergeScore:
    """Store the gold corpus's articles (analyzed, or with their gold events) and score merging."""
    from accordingto.store import Store

    corpus = load_corpus(path)
    analyses = _analyses(corpus, source, nlp)
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "merge.db") as store:
        for i, analysis in enumerate(analyses):
            store.add(analysis, source=f"{corpus[i].name}")
        merged = dict(store.conn.execute("SELECT id, corpus_event_id FROM event_reports"))
        n_events = store.conn.execute("SELECT count(*) FROM corpus_events").fetchone()[0]
    # one row per system report: (article, gold event or None, corpus event)
    rows = [
        (g.name, _unit(e, g), merged[e.id])
        for g, a in zip(corpus, analyses, strict=True)
        for e in a.events
    ]
    return _score(corpus, rows, n_events)


def _score(
    corpus: list[GoldArticle], rows: list[tuple[str, str | None, str]], n: int
) -> MergeScore:
    merged = [(x, y) for x, y in combinations(rows, 2) if x[0] != y[0] and x[2] == y[2]]
    correct = sum(1 for x, y in merged if x[1] is not None and x[1] == y[1])
    units = sorted({(g.name, e.event) for g in corpus for e in g.events})
    gold_pairs = [(u, v) for u, v in combinations(units, 2) if u[0] != v[0] and u[1] == v[1]]
    where: dict[tuple[str, str | None], set[str]] = {}
    for article, event, corpus_event in rows:
        where.setdefault((article, event), set()).add(corpus_event)
    found = sum(1 for u, v in gold_pairs if where.get(u, set()) & where.get(v, set()))
    return MergeScore(
        precision=correct / len(merged) if merged else 1.0,
        recall=found / len(gold_pairs) if gold_pairs else 1.0,
        system_pairs=len(merged),
        correct_pairs=correct,
        gold_pairs=len(gold_pairs),
        found_pairs=found,
        reports=len(rows),
        unaligned_reports=sum(1 for r in rows if r[1] is None),
        gold_reports=len(units),
        missed_gold_reports=sum(1 for u in units if u not in where),
        corpus_events=n,
        gold_events=len({u[1] for u in units}),
    )


def as_dict(score: MergeScore) -> dict[str, float | int]:
    """The figures as a flat mapping (for ``--format json``)."""
    return {**dataclasses.asdict(score), "f1": score.f1}
