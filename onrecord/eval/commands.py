"""The ``onrecord eval`` and ``onrecord train`` commands (registered in ``onrecord.cli``)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from .corpus import CorpusError, GoldArticle, Record, load_compartment
from .metrics import PredictionError, format_table, headline_line, load_predictions, score


def _extract(gold: dict[str, GoldArticle]) -> dict[str, list[Record]]:
    """Run the full extraction pipeline on the gold texts; predictions per stem."""
    from ..models import Article
    from ..pipeline import extract_many

    articles = (Article(id=stem, text=a.text) for stem, a in gold.items())
    out = {}
    for article in extract_many(articles):
        out[article.id] = [
            {"source": [(a.source.start, a.source.end)] if a.source else None,
             "cue": [(a.cue.start, a.cue.end)],
             "content": [(c.start, c.end) for c in a.content] or None}
            for a in article.attributions
        ]
    return out


@click.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score this JSON Lines file instead of running the extraction.")
@click.option("--json", "as_json", is_flag=True, help="Print all figures as one JSON object.")
@click.option("--gate", is_flag=True, help="Fail (exit 1) when a headline figure is below its floor.")
@click.option("--update-baseline", is_flag=True, help="Raise the gate's floors to these figures.")
@click.option("--allow-regression", is_flag=True, help="Let --update-baseline lower floors; do not fail the gate.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Floors file (default: onrecord/eval/baseline.json).")
def eval_command(gold_dir: Path, predictions: Path | None, as_json: bool, gate: bool, update_baseline: bool,
                 allow_regression: bool, baseline: Path | None) -> None:
    """Score attributions against a PolNeAR compartment GOLD_DIR (text/ and attributions/).

    The figures are those of the reference scorer (polnear_score.py), plus recall
    by content kind and per outlet.
    """
    from . import gate as gate_module

    try:
        gold = load_compartment(gold_dir)
        records = load_predictions(predictions, gold) if predictions else _extract(gold)
        figures = score(gold, records)
    except (CorpusError, PredictionError, OSError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        click.echo(headline_line(figures), err=True)
    else:
        click.echo(format_table(figures))
        click.echo(headline_line(figures))
    if gate or update_baseline:
        code = gate_module.main(gold_dir, records, baseline, update=update_baseline,
                                allow_regression=allow_regression)
        if code:
            sys.exit(code)


@click.command("train")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Training compartment (PolNeAR train/).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model file (default: the packaged onrecord/data/attribution.crfsuite, or "
                   "attribution-transformer.safetensors with --model transformer).")
@click.option("--seed", type=int, default=13, show_default=True, help="Random seed (recorded in the manifest).")
@click.option("--dev", "dev_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Compartment to score after training (PolNeAR dev/).")
@click.option("--model", "kind", type=click.Choice(["crf", "transformer"]), default="crf", show_default=True,
              help="The CRF tagger or the transformer tagger (needs the transformer extra: torch).")
@click.option("--iterations", type=click.IntRange(min=1), default=150, show_default=True,
              help="L-BFGS iterations (crf).")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Passes over the training data (transformer).")
@click.option("--device", default="cpu", show_default=True, help="Torch device (transformer): cpu or cuda.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="Torch CPU threads (transformer).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep parsed corpora and encoder vectors here between runs.")
@click.option("--checkpoints", "checkpoint_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write each epoch's weights here (transformer).")
def train_command(data_dir: Path, out: Path | None, seed: int, dev_dir: Path | None, kind: str, iterations: int,
                  epochs: int | None, device: str, threads: int | None, cache_dir: Path | None,
                  checkpoint_dir: Path | None) -> None:
    """Train the attribution tagger; write the model, its side file and a manifest."""
    started = time.time()
    command = "onrecord train " + " ".join(sys.argv[2:])

    def progress(message: str) -> None:
        click.echo(f"train: {message}", err=True)

    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    if kind == "transformer":
        try:
            from ..attribute.transformer_training import train as train_transformer
        except ImportError as err:
            raise click.ClickException(f"{err.name} is missing: pip install torch==2.13.0 'onrecord[transformer]'")
        manifest = train_transformer(data_dir, out, dev_dir=dev_dir, seed=seed,
                                     params={"epochs": epochs} if epochs else None, device=device, threads=threads,
                                     cache_dir=cache_dir, checkpoint_dir=checkpoint_dir, command=command,
                                     progress=progress)
    else:
        from ..attribute.training import DEFAULT_PARAMS, train

        manifest = train(data_dir, out, dev_dir=dev_dir, seed=seed,
                         params={**DEFAULT_PARAMS, "max_iterations": iterations}, cache_dir=cache_dir,
                         command=command, progress=progress)
    click.echo(f"model written ({manifest['model']}), trained in {time.time() - started:.0f}s")
    if "dev_figures" in manifest:
        click.echo(headline_line(manifest["dev_figures"]))
