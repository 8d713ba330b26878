"""``accordingto eval``: score the analyzer against a gold corpus (PolNeAR)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from accordingto import eval as evaluation

from .app import app
from .params import ModelOption

__all__ = ["evaluate_command"]

DATASETS = ("polnear", "pages", "cues", "plover", "plv", "merging", "calibration")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("eval")
def evaluate_command(
    dataset: Annotated[
        str,
        typer.Argument(
            help="Gold corpus: 'polnear' (PolNeAR), 'pages' (speakers on real news pages), "
            "'cues' (what PolNeAR cues report: speech, thought, intention…), "
            "'plv' (the PLOVER event coder on a PLV .tsv file), 'plover' (events on the "
            "PLOVER gold), 'merging' (events merged across articles, on a gold JSONL corpus), "
            "'calibration' (is the confidence a probability? reliability and ECE on PolNeAR dev)."
        ),
    ],
    path: Annotated[
        Path,
        typer.Argument(
            help="PolNeAR root (holding data/), its data/ dir, or a split dir; for 'pages', "
            "the article-extraction-benchmark folder."
        ),
    ],
    split: Annotated[str, typer.Option(help="Split to score (develop on dev).")] = "dev",
    limit: Annotated[
        int | None, typer.Option(min=1, help="Score only the first N articles.")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="Print a table or the JSON report.")
    ] = OutputFormat.TABLE,
    errors: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            dir_okay=False,
            writable=True,
            help="Write misses, spurious and partial matches per article to FILE (JSONL).",
        ),
    ] = None,
    error_classes: Annotated[
        bool, typer.Option("--error-classes", help="Also count the error classes (docs/errors.md).")
    ] = False,
    cv: Annotated[
        int | None,
        typer.Option(
            "--cv",
            min=2,
            metavar="K",
            help="plv: K-fold cross-validate the coder's recipe on FILE instead of scoring "
            "the shipped coder (needs the train-accurate extra: it fine-tunes MiniLM on each "
            "fold, minutes a fold; resumable).",
        ),
    ] = None,
    model: ModelOption = None,
) -> None:
    """Score the quotes found in a gold corpus against its annotations.

    Precision, recall and F1 of source, cue and content spans, exact and by
    token overlap, overall and per kind (direct, indirect, mixed).

    Example:

        accordingto eval polnear ../shared/data/polnear --split dev --limit 20

        accordingto eval polnear ../shared/data/polnear --model accurate

        accordingto eval pages ../shared/data/article-extraction-benchmark

        accordingto eval cues ../shared/data/polnear --split dev

        accordingto eval plover ../shared/data/events/plover-ontology

        accordingto eval plv ../shared/data/events/plv/PLV_train.tsv --cv 5

        accordingto eval calibration ../shared/data/polnear --format json
    """
    if dataset not in DATASETS:
        raise typer.BadParameter(
            f"unknown data set {dataset!r}; supported: {', '.join(DATASETS)}",
            param_hint="DATASET",
        )
    if errors is not None and not errors.absolute().parent.is_dir():
        raise typer.BadParameter(
            f"no directory {errors.parent} to write {errors.name} in", param_hint="'--errors'"
        )
    if dataset == "pages":
        _evaluate_pages(path, output)
        return
    if dataset == "cues":
        _evaluate_cues(path, split, output)
        return
    if dataset == "calibration":  # docs/trust.md
        _evaluate_calibration(path, split, limit, output)
        return
    if dataset == "plv":  # the event coder: PLOVER root and quad of actor pairs
        _evaluate_plv(path, output, cv)
        return
    if dataset == "merging":  # events merged across articles, on a gold corpus (JSONL)
        _evaluate_merging(path, output)
        return
    if dataset == "plover":  # events: actors and types on the PLOVER gold records
        from accordingto.eval.plover import evaluate_plover

        plover = evaluate_plover(path, limit=limit)
        typer.echo(json.dumps(plover.to_dict(), indent=2) if output == "json" else plover.summary())
        return
    report = evaluation.evaluate_polnear(
        path, split=split, limit=limit, progress=sys.stderr.isatty()
    )
    if errors is not None:
        _write_errors(report, errors)
    if error_classes:
        from accordingto.eval.errors import error_classes as classes

        for name, count in classes(report).most_common():
            Console(stderr=True).print(f"{count:6d}  {name}")
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        title = f"{dataset} {split}: {len(report.documents)} articles"
        Console().print(report.to_table(title=title))
        if report.resolution is not None:
            r = report.resolution
            Console().print(
                f"speaker resolution: {r.accuracy:.3f} correct ({r.correct} of {r.found} gold "
                f"pronoun/description sources found; {r.total} in the gold set for these articles)"
            )


def _evaluate_pages(path: Path, output: OutputFormat) -> None:
    """Speaker accuracy on the hand-made gold of real news pages (eval/gold/pages-speakers.tsv)."""
    from accordingto.eval.pages import evaluate_pages

    report = evaluate_pages(path)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"pages: {len(report.pages)} pages, {report.total} gold attributions; speaker accuracy "
        f"{report.accuracy:.3f} ({report.correct} of {report.found} found; coverage "
        f"{report.coverage:.3f} of {report.located} whose anchor is in the extracted text)"
    )


def _evaluate_cues(path: Path, split: str, output: OutputFormat) -> None:
    """Accuracy of ``reported_as`` on the hand-labelled cues of ``split`` (dev or train)."""
    from accordingto.eval.cue_kinds import evaluate_cue_kinds

    report = evaluate_cue_kinds(path, split=split)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(
        f"cues {split}: {len(report.pairs)} hand-labelled cues; kind of attribution "
        f"accuracy {report.accuracy:.3f}"
    )
    for (gold, predicted), n in sorted(report.confusion().items()):
        if gold != predicted:
            typer.echo(f"  {n:3d}  {gold} read as {predicted}")


def _evaluate_calibration(path: Path, split: str, limit: int | None, output: OutputFormat) -> None:
    """Reliability table, ECE and precision at 0.9 of attributions and speakers on dev."""
    from accordingto.eval.calibration import evaluate_calibration

    if split != "dev":
        raise typer.BadParameter("calibration is checked on dev", param_hint="'--split'")
    report = evaluate_calibration(path, split=split, limit=limit)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    typer.echo(f"calibration on PolNeAR {split}: {report.documents} articles")
    typer.echo(report.summary())


def _evaluate_plv(path: Path, output: OutputFormat, cv: int | None) -> None:
    """Root and quad macro-F1 of the shipped event coder on a PLV file, or K-fold CV figures."""
    from accordingto.eval.plv import evaluate_plv

    if cv is not None:
        from accordingto.eval.plv import load_plv
        from accordingto.train.events import cross_validate

        result = cross_validate(load_plv(path), k=cv).summary()
        if output is OutputFormat.JSON:
            typer.echo(json.dumps(result, indent=2))
            return
        typer.echo(
            f"plv {cv}-fold CV ({result['recipe']}): root macro-F1 {result['root_macro_f1']:.3f} "
            f"± {result['root_macro_f1_sd']:.3f}, quad macro-F1 {result['quad_macro_f1']:.3f} "
            f"± {result['quad_macro_f1_sd']:.3f}"
        )
        return
    report = evaluate_plv(path)
    if output is OutputFormat.JSON:
        typer.echo(json.dumps(report.to_dict(), indent=2))
        return
    typer.echo(
        f"plv: {report.n} pairs; root macro-F1 {report.root_macro_f1:.3f} (accuracy "
        f"{report.root_accuracy:.3f}), quad macro-F1 {report.quad_macro_f1:.3f} (accuracy "
        f"{report.quad_accuracy:.3f})"
    )
    for label, f1 in sorted(report.root_f1.items(), key=lambda kv: kv[1]):
        typer.echo(f"  {label:<12} {f1:.3f}")


def _evaluate_merging(path: Path, output: OutputFormat) -> None:
    """Merge precision and recall of the analyzer's events, and of the gold events alone."""
    from accordingto.eval.merging import as_dict, score_merging

    system, gold = score_merging(path), score_merging(path, source="gold")
    if output is OutputFormat.JSON:
        typer.echo(json.dumps({"system": as_dict(system), "gold": as_dict(gold)}, indent=2))
        return
    for name, s in (("analyzer", system), ("gold events", gold)):
        typer.echo(
            f"merging, {name}: precision {s.precision:.3f} ({s.correct_pairs}/{s.system_pairs}), "
            f"recall {s.recall:.3f} ({s.found_pairs}/{s.gold_pairs}), "
            f"{s.corpus_events} corpus events for {s.gold_events} gold events"
        )


def _write_errors(report: evaluation.Report, path: Path) -> None:
    """One JSON line per article: its false negatives, false positives and partial pairs."""
    with path.open("w", encoding="utf-8") as f:
        for document in report.documents:
            f.write(json.dumps(document.errors(), ensure_ascii=False) + "\n")
    Console(stderr=True).print(f"wrote errors of {len(report.documents)} articles to {path}")
