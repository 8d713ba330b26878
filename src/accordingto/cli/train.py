"""``accordingto train``: rebuild the shipped attribution tagger from PolNeAR."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "models" / "attribution-roles"


@app.command(
    "train",
    epilog="Example:  accordingto train polnear ../shared/data/polnear --max-minutes 32",
)
def train_command(
    dataset: Annotated[str, typer.Argument(help="Training corpus; only 'polnear'.")],
    path: Annotated[Path, typer.Argument(help="PolNeAR root (holding data/).")],
    output: Annotated[Path, typer.Option(help="Where the trained pipeline goes.")] = DEFAULT_OUTPUT,
    max_minutes: Annotated[
        float, typer.Option(help="Time budget of the update loop (the shipped model had 32).")
    ] = 32.0,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    variant: Annotated[
        str,
        typer.Option(
            help="Training config: sm-syntax (shipped), sm-syntax-ents, sm, "
            "sm-bilstm, own, small or frozen; docs/model.md describes and "
            "compares them."
        ),
    ] = "sm-syntax",
) -> None:
    """Train the SOURCE / CUE / CONTENT tagger on PolNeAR train (dev picks the best weights).

    Never run in CI: it takes about half an hour on two cores.
    """
    if dataset != "polnear":
        raise typer.BadParameter(f"unknown data set {dataset!r}; supported: polnear")
    from accordingto.train.run import CONFIGS, train_polnear

    if variant not in CONFIGS:
        raise typer.BadParameter(f"unknown variant {variant!r}; use one of {', '.join(CONFIGS)}")
    result = train_polnear(path, output, max_minutes=max_minutes, seed=seed, variant=variant)
    typer.echo(
        f"trained in {result.wall_seconds / 60:.1f} min; pipeline written to {result.output_dir}"
    )
