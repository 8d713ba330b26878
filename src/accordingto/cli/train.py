"""``accordingto train``: train the attribution tagger on PolNeAR into a directory of your choice.

The trained pipeline goes to ``--out DIR`` (then ``ACCORDINGTO_MODEL=DIR`` runs it).  Writing
over the pipeline shipped inside the package takes ``--overwrite-shipped`` as well, so that a
trial run never replaces the model everyone's results come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accordingto.errors import InputError

from .app import app

#: The package's models: ``accordingto train`` writes here only with ``--overwrite-shipped``.
SHIPPED_MODELS = Path(__file__).resolve().parents[1] / "models"


def check_output(out: Path, *, overwrite_shipped: bool) -> None:
    """Refuse an output directory inside the package's ``models/`` unless told to overwrite.

    Raises:
        InputError: ``out`` is (or is inside) the shipped models and ``overwrite_shipped`` is off.
    """
    if overwrite_shipped or not out.resolve().is_relative_to(SHIPPED_MODELS):
        return
    raise InputError(
        f"{out} is the shipped model's directory; pass --overwrite-shipped to replace it, "
        "or train into another --out DIR and run it with ACCORDINGTO_MODEL=DIR"
    )


@app.command(
    "train",
    epilog="Example:  accordingto train polnear ../shared/data/polnear --out roles-model "
    "--max-minutes 32",
)
def train_command(
    dataset: Annotated[str, typer.Argument(help="Training corpus; only 'polnear'.")],
    path: Annotated[Path, typer.Argument(help="PolNeAR root (holding data/).")],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "--output",
            "-o",
            help="Directory the trained pipeline is written to (replaced if it holds one).",
        ),
    ],
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
    overwrite_shipped: Annotated[
        bool,
        typer.Option(
            "--overwrite-shipped",
            help="Allow --out to be the pipeline shipped in the package (models/).",
        ),
    ] = False,
) -> None:
    """Train the SOURCE / CUE / CONTENT tagger on PolNeAR train (dev picks the best weights).

    Never run in CI: it takes about half an hour on two cores.
    """
    if dataset != "polnear":
        raise typer.BadParameter(f"unknown data set {dataset!r}; supported: polnear")
    check_output(out, overwrite_shipped=overwrite_shipped)
    from accordingto.train.run import CONFIGS, train_polnear

    if variant not in CONFIGS:
        raise typer.BadParameter(f"unknown variant {variant!r}; use one of {', '.join(CONFIGS)}")
    result = train_polnear(path, out, max_minutes=max_minutes, seed=seed, variant=variant)
    typer.echo(
        f"trained in {result.wall_seconds / 60:.1f} min; pipeline written to {result.output_dir}"
    )
