"""``onrecord eval`` (the reference scorers over PolNeAR, the web pages and the sample) and ``onrecord train``
(the tooling of `onrecord.training`, behind the ``train`` extra)."""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from ..config import ATTRIBUTORS, Settings
from ..eval import sample, web
from ..eval.corpus import GoldArticle, Record, load_compartment
from ..eval.errors import EvalError
from ..eval.kinds import KINDS, NEWS, POLNEAR, SAMPLE, WEB, detect_kind
from ..eval.metrics import format_table, headline_line, load_predictions, score
from ..eval.summary import side_by_side
from ..eval.web import format_pages

def _extract(gold: dict[str, GoldArticle], settings: Settings) -> dict[str, list[Record]]:
    """Run the full extraction pipeline on the gold texts; predictions per stem."""
    from ..models import Article
    from ..pipeline import extract_many

    articles = (Article(id=stem, text=a.text) for stem, a in gold.items())
    out = {}
    for article in extract_many(articles, settings):
        out[article.id] = [
            {"source": [(a.source.start, a.source.end)] if a.source else None,
             "cue": [(a.cue.start, a.cue.end)],
             "content": [(c.start, c.end) for c in a.content] or None}
            for a in article.attributions
        ]
    return out


def _extract_files(files: dict[str, Path], settings: Settings) -> dict[str, dict[str, Any]]:
    """`web.extract_pages`, each input that fails reported on stderr."""
    return web.extract_pages(files, settings, on_error=lambda error: click.echo(f"error: {error}", err=True))


def _page_files(references: list[tuple[Path, dict[str, Any]]], pages: Path) -> dict[str, Path]:
    """The page of each reference (`web.page_paths`); a reference without one is reported."""
    found = web.page_paths((gold["id"] for _, gold in references), pages)
    for _, gold in references:
        if gold["id"] not in found:
            click.echo(f"warning: no page for {gold['id']} in {pages}", err=True)
    return found


def _label(kind: str, path: Path) -> str:
    if kind == POLNEAR:
        return f"PolNeAR {path.name}"
    if kind == WEB:
        return "web dev" if path.name == "gold" else f"web {path.name}"
    if kind == NEWS:
        return "news (by folds)"
    return "sample"


def _score_one(path: Path, kind: str, predictions: Path | None, pages: Path | None,
               settings: Settings) -> tuple[dict[str, Any], Any]:
    """Figures of one reference, and the predictions (what the gate needs)."""
    if kind == POLNEAR:
        gold = load_compartment(path)
        records = load_predictions(predictions, gold) if predictions else _extract(gold, settings)
        return score(gold, records), records
    if kind == NEWS:
        from ..eval import news

        if predictions:
            raise click.UsageError("the news corpus is scored by folds, each with its own filter: no --predictions")
        figures = news.crossvalidate(path, pages or Path("../shared/data/news/pages"), settings,
                                     lambda message: click.echo(f"eval: news {message}", err=True))
        return figures, None
    if kind == WEB:
        if predictions:
            by_id = web.load_records(predictions)
        else:
            pages = pages or path.parent / "pages"
            if not pages.is_dir():
                raise click.UsageError(f"no pages for {path}: give --pages DIR or --predictions FILE")
            by_id = _extract_files(_page_files(web.load_references(path), pages), settings)
        return web.score_pages(path, by_id), by_id
    reference, text = sample.load_reference(path)
    if predictions:
        record = web.load_records(predictions).get(reference["id"])
        if record is None:
            raise click.ClickException(f"no record with id {reference['id']!r} in {predictions}")
    else:
        txt = path.with_name(path.name.removesuffix(sample.SUFFIX) + ".txt")
        record = _extract_files({reference["id"]: txt}, settings).get(reference["id"], {})
    return sample.score_article(reference, text, record), record


def _report(kind: str, figures: dict[str, Any], verbose: bool) -> str:
    """The reference scorer's report for one kind; its last line is the headline."""
    if kind == POLNEAR:
        return format_table(figures) + "\n" + headline_line(figures)
    if kind in (WEB, NEWS):
        return format_pages(figures, verbose)
    return sample.format_report(figures)


def _pages(kind: str, pages: Path | None, everything: bool, shared: Path) -> Path | None:
    """Where the pages of a web or news reference are: --pages, or under --shared with --all."""
    if kind == WEB:
        return shared / "data" / "web" / "pages" if everything and pages is None else pages
    if kind == NEWS:
        return shared / "data" / "news" / "pages" if pages is None or everything else pages
    return None


@click.command("eval")
@click.argument("golds", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--all", "everything", is_flag=True,
              help="PolNeAR dev, the web pages and the sample under --shared, side by side.")
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path), default=Path("../shared"),
              show_default=True, help="Where --all finds data/polnear/dev, data/web/{gold,pages}, data/news/pages "
                                      "and samples/.")
@click.option("--news", "news_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/news"),
              show_default=True, help="The news corpus that --all scores by folds (skipped where it is missing).")
@click.option("--kind", type=click.Choice(KINDS), default=None,
              help="The kind of reference (default: detected from GOLD).")
@click.option("--pages", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Web pages to extract for snippet references (default: the pages/ folder beside GOLD).")
@click.option("--predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score this JSON Lines file instead of running the extraction (one GOLD only).")
@click.option("--attributor", type=click.Choice(ATTRIBUTORS), default=None,
              help="Extraction mode, as for `onrecord extract` (default: auto).")
@click.option("--fast", is_flag=True, help="The fast mode (--attributor fast), as for `onrecord extract`.")
@click.option("--json", "as_json", is_flag=True, help="Print all figures as one JSON object.")
@click.option("-v", "--verbose", is_flag=True, help="List missed and spurious attributions (web pages, sample).")
@click.option("--gate", is_flag=True, help="Fail (exit 1) when a headline figure is below its floor.")
@click.option("--update-baseline", is_flag=True, help="Raise the gate's floors to these figures.")
@click.option("--allow-regression", is_flag=True, help="Let --update-baseline lower floors; do not fail the gate.")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Floors file (default: onrecord/eval/baseline.json).")
def eval_command(golds: tuple[Path, ...], everything: bool, shared: Path, news_dir: Path, kind: str | None,
                 pages: Path | None,
                 predictions: Path | None, attributor: str | None, fast: bool, as_json: bool, verbose: bool, gate: bool,
                 update_baseline: bool, allow_regression: bool, baseline: Path | None) -> None:
    """Score attributions against references: GOLD is a PolNeAR compartment (text/ and
    attributions/), a folder of web-page references (*.gold.json, the pages in --pages),
    the news corpus (a folder with gold/: each fold of pages extracted with the filter
    that did not train on it, the pages in --pages), or one sample reference
    (<id>.gold.json beside <id>.txt).

    The figures are those of the reference scorers (polnear_score.py, web_score.py,
    sample_score.py); PolNeAR adds recall by content kind and per outlet. With several
    GOLDs (or --all) one table shows them side by side.
    """
    from ..eval import gate as gate_module

    paths = list(golds)
    if everything:
        paths += [shared / "data" / "polnear" / "dev", shared / "data" / "web" / "gold",
                  *sorted((shared / "samples").glob("*" + sample.SUFFIX))]
        if (news_dir / "gold").is_dir():
            paths.append(news_dir)
        else:
            click.echo(f"eval: no news corpus at {news_dir}: not scored", err=True)
    if not paths:
        raise click.UsageError("give a GOLD path or --all")
    if predictions and len(paths) > 1:
        raise click.UsageError("--predictions scores one GOLD at a time")
    if fast and attributor not in (None, "fast"):
        raise click.UsageError(f"--fast and --attributor {attributor} contradict each other")
    settings = Settings(attributor="fast" if fast else attributor or "auto")
    columns, scored = [], []
    figures_of: dict[Path, dict[str, Any]] = {}
    try:
        for path in paths:
            path_kind = kind or detect_kind(path)
            figures, predicted = _score_one(path, path_kind, predictions, _pages(path_kind, pages, everything,
                                                                                 shared), settings)
            columns.append((_label(path_kind, path), path_kind, figures))
            figures_of[path] = figures
            scored.append((path, path_kind, predicted))
    except (EvalError, OSError, ValueError) as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        click.echo(json.dumps(columns[0][2] if len(columns) == 1 else {label: f for label, _, f in columns},
                              indent=2, ensure_ascii=False))
        for _, path_kind, figures in columns:
            click.echo(_report(path_kind, figures, False).splitlines()[-1], err=True)
    elif len(columns) == 1:
        click.echo(_report(columns[0][1], columns[0][2], verbose))
    else:
        if verbose:
            for label, path_kind, figures in columns:
                click.echo(f"== {label}\n{_report(path_kind, figures, verbose)}\n")
        click.echo(side_by_side(columns))
    if not (gate or update_baseline):
        return
    code = 0
    # The gate's verdict lines go to stderr under --json, so that stdout stays one JSON object.
    with contextlib.redirect_stdout(sys.stderr if as_json else sys.stdout):
        for path, path_kind, predicted in scored:
            if path_kind == NEWS:
                sha = web.corpus_sha256(path / "gold")
                code = max(code, gate_module.judge(path_kind, path, figures_of[path], sha, baseline,
                                                   update=update_baseline, allow_regression=allow_regression))
            elif path_kind != SAMPLE:  # the sample has no floors: its figures are checked by the tests
                code = max(code, gate_module.main(path, predicted, baseline, update=update_baseline,
                                                  allow_regression=allow_regression, kind=path_kind))
    if code:
        sys.exit(code)


def _training(name: str) -> tuple[dict[str, Any], Any]:
    """The CRF defaults and a training function of `onrecord.training.crf`, or what to install."""
    try:
        from ..training import crf

        if name == "train_filter":
            import sklearn  # noqa: F401  (the train extra: imported where the filter is fitted, checked now)
    except ImportError as err:
        from ..training import INSTALL_HINT

        raise click.ClickException(f"{err.name} is missing: {INSTALL_HINT}") from None
    return crf.DEFAULT_PARAMS, getattr(crf, name)


@click.command("train")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              required=True, help="Training compartment (PolNeAR train/).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Model file (default: the packaged onrecord/data/attribution.crfsuite, or "
                   "attribution-transformer.safetensors with --model transformer).")
@click.option("--seed", type=int, default=13, show_default=True, help="Random seed (recorded in the manifest).")
@click.option("--dev", "dev_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Compartment to score after training (PolNeAR dev/).")
@click.option("--model", "kind", type=click.Choice(["crf", "filter", "transformer"]), default="crf", show_default=True,
              help="crf: the attribution tagger; filter: the decision on candidates (cross-fits CRFs on the training "
                   "data; --dev chooses its threshold with the installed CRF); transformer: the transformer tagger "
                   "(needs the transformer extra: torch).")
@click.option("--iterations", type=click.IntRange(min=1), default=150, show_default=True,
              help="L-BFGS iterations (crf).")
@click.option("--epochs", type=click.IntRange(min=1), default=None, help="Passes over the training data (transformer).")
@click.option("--tune-layers", type=click.IntRange(min=0), default=None,
              help="The encoder's top layers fine-tuned with the tagger (transformer; default all 6, 0: frozen encoder).")
@click.option("--device", default="cpu", show_default=True, help="Torch device (transformer): cpu or cuda.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="Torch CPU threads (transformer).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep parsed corpora and encoder vectors here between runs.")
@click.option("--checkpoints", "checkpoint_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write each epoch's weights here (transformer).")
@click.option("--news", "news_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Train the CRF or the filter on the news corpus too (its gold/; one model per fold goes to its "
                   "models/).")
@click.option("--news-pages", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="The news corpus's pages (default: ../shared/data/news/pages).")
def train_command(data_dir: Path, out: Path | None, seed: int, dev_dir: Path | None, kind: str, iterations: int,
                  epochs: int | None, tune_layers: int | None, device: str, threads: int | None, cache_dir: Path | None,
                  checkpoint_dir: Path | None, news_dir: Path | None, news_pages: Path | None) -> None:
    """Train the attribution tagger (CRF or transformer) or the candidate filter; write the model and a manifest."""
    started = time.time()
    command = "onrecord train " + " ".join(sys.argv[2:])

    def progress(message: str) -> None:
        click.echo(f"train: {message}", err=True)

    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
    if news_dir is not None and kind == "crf":
        DEFAULT_PARAMS, _ = _training("train")
        from ..training.news import train_news_taggers

        manifest = train_news_taggers(news_dir, news_pages or Path("../shared/data/news/pages"), data_dir, out=out,
                                      params={**DEFAULT_PARAMS, "max_iterations": iterations}, cache_dir=cache_dir,
                                      command=command, progress=progress)
        click.echo(f"model written ({manifest['model']}) with one per fold in {news_dir / 'models'}, "
                   f"trained in {time.time() - started:.0f}s")
        return
    if news_dir is not None:
        if kind != "filter":
            raise click.UsageError("--news trains the CRF or the filter: give --model crf or --model filter")
        _training("train_filter")
        from ..training.news import train_news_filters

        manifest = train_news_filters(news_dir, news_pages or Path("../shared/data/news/pages"), data_dir, out=out,
                                      seed=seed, cache_dir=cache_dir, command=command, progress=progress)
        click.echo(f"filter written ({manifest['model']}) with one per fold in {news_dir / 'models'}, "
                   f"trained in {time.time() - started:.0f}s")
        return
    if kind == "filter":
        DEFAULT_PARAMS, train_filter = _training("train_filter")

        manifest = train_filter(data_dir, out, dev_dir=dev_dir, seed=seed,
                                crf_params={**DEFAULT_PARAMS, "max_iterations": iterations}, command=command,
                                progress=progress)
        click.echo(f"filter written ({manifest['model']}), trained in {time.time() - started:.0f}s")
        if "dev_figures" in manifest:
            fig = manifest["dev_figures"]
            click.echo(f"dev at threshold {fig['threshold']}: content token F1 {fig['content_token_f1']:.3f}, "
                       f"source exact F1 {fig['source_exact_f1']:.3f}, cue exact F1 {fig['cue_exact_f1']:.3f}, "
                       f"relation F1 {fig['relation_f1']:.3f}")
        return
    if kind == "transformer":
        try:
            from ..training.transformer import train as train_transformer
        except ImportError as err:
            raise click.ClickException(f"{err.name} is missing: pip install torch==2.13.0 'onrecord[transformer]'")
        params = {k: v for k, v in (("epochs", epochs), ("tune_layers", tune_layers)) if v is not None}
        manifest = train_transformer(data_dir, out, dev_dir=dev_dir, seed=seed, params=params, device=device,
                                     threads=threads, cache_dir=cache_dir, checkpoint_dir=checkpoint_dir,
                                     command=command, progress=progress)
    else:
        DEFAULT_PARAMS, train = _training("train")

        manifest = train(data_dir, out, dev_dir=dev_dir, seed=seed,
                         params={**DEFAULT_PARAMS, "max_iterations": iterations}, cache_dir=cache_dir,
                         command=command, progress=progress)
    click.echo(f"model written ({manifest['model']}), trained in {time.time() - started:.0f}s")
    if "dev_figures" in manifest:
        click.echo(headline_line(manifest["dev_figures"]))
