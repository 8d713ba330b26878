"""Which combination of the CNN and the MiniLM role taggers wins, analyzer-level, on PolNeAR dev?

Parses the dev articles once with the fast pipeline (en_core_web_sm + the CNN tagger, as
``accordingto.analyze_many`` does), runs the exported MiniLM tagger once on every paragraph,
then for each combination (``accordingto.nlp.accurate``: ``trf``, ``union-trf``, ``avg:0.3``,
``roles:SOURCE=trf,CUE=cnn,CONTENT=trf`` …) analyzes every article from that parse with the
combined roles (``pipeline.analyze_doc(..., roles=...)``, events off: they do not touch
attributions) and scores it exactly as ``accordingto eval polnear`` does.  The combination
code is the one the ``accurate`` component runs, so the winner's figures are confirmed by
``accordingto eval polnear ../shared/data/polnear --model accurate``.

    nice .venv/bin/python benchmarks/ensemble.py --model src/accordingto/models/attribution-roles-accurate \\
        cnn trf union-trf union-cnn agree avg:0.3

The data is not part of the repository; without ``../shared`` the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR = SHARED / "data" / "polnear"
COLUMNS = (
    ("source", "exact"),
    ("cue", "exact"),
    ("content", "exact"),
    ("content", "overlap"),
    ("attribution", "matched"),
)


def parse_dev(limit: int | None):
    """The gold documents, their articles and their parses by the fast pipeline."""
    from accordingto.eval import load_polnear
    from accordingto.model import Article
    from accordingto.nlp import load_pipeline, parse_text

    gold = load_polnear(POLNEAR, split="dev", limit=limit)
    articles = [Article(text=d.text, format="text") for d in gold]
    nlp = load_pipeline(model="fast")
    docs = list(nlp.pipe((parse_text(a.text) for a in articles), batch_size=16))
    return gold, articles, nlp, docs


def score_variant(strategy, gold, articles, nlp, docs, groups, scores):
    """The report of the analyzer with the roles combined by ``strategy``."""
    from accordingto.eval import score_analyses
    from accordingto.eval.speakers import load_gold_speakers, score_resolution
    from accordingto.nlp.accurate import combine, to_read
    from accordingto.nlp.tagger import role_spans
    from accordingto.pipeline import analyze_doc

    analyses, read, words = [], 0, 0
    for article, doc, g, s in zip(articles, docs, groups, scores, strict=True):
        cnn = role_spans(doc)
        roles = combine(strategy, doc, g, s, cnn)
        analyses.append(analyze_doc(article, doc, nlp, roles=roles, events=False))
        read += sum(len(p) for p, w in zip(g, to_read(strategy, g, cnn), strict=True) if w)
        words += sum(len(p) for p in g)
    report = score_analyses(gold, analyses)
    named = [(d.name, a) for d, a in zip(gold, analyses, strict=True)]
    report = replace(report, resolution=score_resolution(load_gold_speakers(), named))
    return report, read / max(words, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("strategies", nargs="+", help="combinations to score (nlp/accurate.py)")
    parser.add_argument("--model", type=Path, required=True, help="exported MiniLM tagger dir")
    parser.add_argument("--fp32", action="store_true", help="model.onnx instead of int8")
    parser.add_argument("--limit", type=int, help="only the first N dev articles")
    parser.add_argument(
        "--cnn-confidence",
        type=float,
        help="probability avg:W gives the CNN's own tag (default: the shipped CNN_CONFIDENCE)",
    )
    args = parser.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"ensemble benchmark skipped: PolNeAR not found at {POLNEAR}")
        return 0
    from accordingto.nlp.accurate import accurate_taggers, check_strategy, ensemble_scores
    from accordingto.nlp.tagger import role_spans
    from accordingto.nlp.transformer import TransformerTagger, paragraph_tokens

    strategies = [check_strategy(s) for s in args.strategies]
    if args.cnn_confidence is not None:
        from accordingto.nlp import accurate

        accurate.CNN_CONFIDENCE = args.cnn_confidence
    t0 = time.perf_counter()
    gold, articles, nlp, docs = parse_dev(args.limit)
    t1 = time.perf_counter()
    # int8: every model the directory ships (meta.json's members), as the accurate mode reads
    # them; fp32: model.onnx alone
    taggers = (TransformerTagger(args.model),) if args.fp32 else accurate_taggers(str(args.model))
    groups = [paragraph_tokens(doc) for doc in docs]
    scores = [
        ensemble_scores(taggers, g, role_spans(doc)) for g, doc in zip(groups, docs, strict=True)
    ]
    t2 = time.perf_counter()
    print(
        f"{len(docs)} dev articles; parse {t1 - t0:.0f} s, transformer {t2 - t1:.0f} s "
        f"({args.model}, {'fp32' if args.fp32 else 'int8'})",
        file=sys.stderr,
    )
    header = "| combination | source exact | cue exact | content exact | content overlap | attribution | resolution | words read |"
    print(header + "\n|---|---:|---:|---:|---:|---:|---:|---:|", flush=True)
    for strategy in strategies:
        report, read = score_variant(strategy, gold, articles, nlp, docs, groups, scores)
        cells = [f"{report.get(role, mode).f1:.3f}" for role, mode in COLUMNS]
        r = report.resolution
        cells.append(f"{r.accuracy:.3f} ({r.correct}/{r.found})" if r is not None else "")
        cells.append(f"{read:.0%}")
        print(f"| `{strategy.name}` | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
