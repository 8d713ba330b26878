"""Error classes of an evaluation, counted: what ``docs/errors.md`` reports.

Every gold attribution that is not matched exactly on all its roles falls in one class,
and so does every spurious prediction:

- ``missed``: no prediction matched it (by gold kind);
- ``spurious``: a prediction that matched nothing (by predicted kind);
- ``<role>-boundary``: matched, the role overlaps gold but its edges differ;
- ``<role>-wrong``: matched, the role is present on both sides but does not overlap;
- ``<role>-missing`` / ``<role>-extra``: matched, the role is on one side only.

A pair off on several roles counts once per role.
"""

from __future__ import annotations

from collections import Counter

from .scoring import ROLES, DocumentScore, Report

__all__ = ["error_classes"]


def _pair_classes(
    doc: DocumentScore, gold_i: int, pred_i: int, exact: frozenset[str], overlap: frozenset[str]
) -> list[str]:
    out = []
    gold, pred = doc.gold[gold_i], doc.predicted[pred_i]
    for role in ROLES:
        if role in exact:
            continue
        g, p = bool(gold.role(role)), bool(pred.role(role))
        if g and p:
            out.append(f"{role}-boundary" if role in overlap else f"{role}-wrong")
        elif g:
            out.append(f"{role}-missing")
        elif p:
            out.append(f"{role}-extra")
    return out


def error_classes(report: Report) -> Counter[str]:
    """Counts of each error class over all documents of ``report``."""
    counts: Counter[str] = Counter()
    for doc in report.documents:
        for a in doc.false_negatives:
            counts[f"missed ({a.kind})"] += 1
        for a in doc.false_positives:
            counts[f"spurious ({a.kind})"] += 1
        for p in doc.pairs:
            counts.update(_pair_classes(doc, p.gold, p.predicted, p.exact, p.overlap))
    return counts
