"""onrecord over a corpus on a Spark cluster: Parquet datasets of articles and attributions.

Run it on a cluster with ``spark-submit``::

    spark-submit --master yarn --py-files onrecord.zip "$(python -m onrecord.spark --path)" \\
        s3a://bucket/cc-news/*.warc.gz --output s3a://bucket/onrecord/

or on this machine with ``onrecord spark INPUT… --output DIR --master local[N]``. Inputs are
JSON Lines (``{id, text|html, published, url, outlet}``), Parquet tables (``text``/``html``
columns) or WARC files, from any path Spark reads (local, HDFS, S3). Each executor process
loads the spaCy pipeline and the attribution model once and extracts its partitions in
batches. The output holds two Parquet datasets, partitioned by publication month:
``articles/`` (one row per article, with its content hash) and ``attributions/`` (one row per
attribution: article id, offsets, speaker, stance, dates). Re-running over a grown corpus
extracts only articles whose content hash is not in ``articles/`` yet, and appends.
Inputs that cannot be read or extracted are rows of ``errors/``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

# absolute imports: spark-submit runs this file as a script, not as part of the package
from onrecord.config import Settings
from onrecord.errors import InputError, OnRecordError
from onrecord.models import Article

ARTICLE_FIELDS = ("id", "content_hash", "title", "published", "outlet", "url", "text_is_input", "text",
                  "n_attributions", "month")
ATTRIBUTION_FIELDS = ("article_id", "index", "source_start", "source_end", "source", "cue_start", "cue_end", "cue",
                      "content", "content_spans", "kind", "stance", "speaker_name", "speaker_type", "speaker_role",
                      "speaker_description", "speaker_gender", "statement_date", "nested_in", "month")
ERROR_FIELDS = ("input", "error")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def month_of(published: str | None) -> str:
    """``YYYY-MM`` of a publication date, ``unknown`` without one (a partition value)."""
    if published and len(published) >= 7 and published[:4].isdigit() and published[5:7].isdigit():
        return published[:7]
    return "unknown"


def article_row(article: Article) -> dict[str, Any]:
    return {"id": article.id, "content_hash": content_hash(article.text), "title": article.title,
            "published": article.published, "outlet": article.outlet, "url": article.url,
            "text_is_input": article.text_is_input, "text": article.text,
            "n_attributions": len(article.attributions), "month": month_of(article.published)}


def attribution_rows(article: Article) -> Iterator[dict[str, Any]]:
    for index, a in enumerate(article.attributions):
        speaker = a.speaker.to_dict()
        yield {"article_id": article.id, "index": index,
               "source_start": a.source.start if a.source else None, "source_end": a.source.end if a.source else None,
               "source": a.source.text if a.source else None, "cue_start": a.cue.start, "cue_end": a.cue.end,
               "cue": a.cue.text, "content": a.content_text,
               "content_spans": json.dumps([[c.start, c.end] for c in a.content]),
               "kind": a.kind, "stance": a.stance, "speaker_name": speaker.get("name"),
               "speaker_type": speaker.get("type"), "speaker_role": speaker.get("role"),
               "speaker_description": speaker.get("description"), "speaker_gender": speaker.get("gender"),
               "statement_date": a.statement_date, "nested_in": a.nested_in, "month": month_of(article.published)}


# --- reading, on the executors ------------------------------------------------------------------

def articles_from_lines(lines: Iterable[tuple[str, int, str]]) -> Iterator[Article | InputError]:
    """JSON Lines records from (input, line number, line) triples."""
    from onrecord.reading import article_from_line

    for name, number, line in lines:
        if line.strip():
            yield article_from_line(line, name=name, number=number, stem=Path(name).stem)


def articles_from_rows(rows: Iterable[dict[str, Any]], name: str, settings: Settings) -> Iterator[Article | InputError]:
    from onrecord.corpora import Columns, article_from_row

    for number, row in enumerate(rows, 1):
        try:
            yield article_from_row(row, Columns(), name=name, number=number, settings=settings)
        except InputError as err:
            yield err


def articles_from_warc(name: str, data: bytes, settings: Settings) -> Iterator[Article | InputError]:
    import gzip

    from onrecord.corpora import read_warc

    stream: Any = gzip.GzipFile(fileobj=io.BytesIO(data)) if name.endswith(".gz") else io.BytesIO(data)
    try:
        yield from read_warc(stream, name, settings)
    except (OSError, EOFError) as err:
        yield InputError(f"damaged WARC ({type(err).__name__}: {err})", input=name)


def extract_partition(items: Iterable[Article | InputError], settings: Settings,
                      known: frozenset[str] = frozenset()) -> Iterator[tuple[str, dict[str, Any]]]:
    """("article" | "attribution" | "error", row) for each article of a partition.

    The model is loaded once per executor process (`load_nlp` and the attributors cache it).
    """
    from onrecord.pipeline import extract_many

    errors: list[OnRecordError] = []

    def fresh() -> Iterator[Article]:
        for item in items:
            if isinstance(item, InputError):
                errors.append(item)
            elif content_hash(item.text) not in known:
                yield item

    for article in extract_many(fresh(), settings, on_error=errors.append):
        yield "article", article_row(article)
        for row in attribution_rows(article):
            yield "attribution", row
        while errors:
            yield "error", _error_row(errors.pop(0))
    for error in errors:
        yield "error", _error_row(error)


def _error_row(error: OnRecordError) -> dict[str, Any]:
    return {"input": getattr(error, "input", None) or "", "error": str(error)}


# --- the job, on the driver ----------------------------------------------------------------------

def _schemas() -> dict[str, Any]:
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    def struct(fields: tuple[str, ...], ints: set[str], bools: set[str] = set()) -> StructType:
        return StructType([StructField(f, LongType() if f in ints else BooleanType() if f in bools else StringType())
                           for f in fields])
    return {"article": struct(ARTICLE_FIELDS, {"n_attributions"}, {"text_is_input"}),
            "attribution": struct(ATTRIBUTION_FIELDS, {"index", "source_start", "source_end", "cue_start", "cue_end",
                                                       "nested_in"}),
            "error": struct(ERROR_FIELDS, set())}


def run_job(spark: Any, inputs: list[str], output: str, settings: Settings | None = None,
            partitions: int | None = None) -> dict[str, int]:
    """Extract every article of ``inputs`` not yet in ``output``; returns counts of what was written."""
    settings = settings or Settings()
    sc = spark.sparkContext
    known = _known_hashes(spark, output)
    known_b = sc.broadcast(known)
    items = _read_inputs(spark, inputs, settings, partitions or sc.defaultParallelism)

    def extract(partition: Iterable[Article | InputError]) -> Iterator[tuple[str, dict[str, Any]]]:
        return extract_partition(partition, settings, known_b.value)

    rows = items.mapPartitions(extract).cache()
    schemas = _schemas()
    counts = {}
    for kind, folder in (("article", "articles"), ("attribution", "attributions"), ("error", "errors")):
        fields = [f.name for f in schemas[kind].fields]
        selected = rows.filter(lambda r, k=kind: r[0] == k).map(lambda r, f=fields: tuple(r[1].get(x) for x in f))
        frame = spark.createDataFrame(selected, schemas[kind])
        writer = frame.write.mode("append")
        if kind != "error":
            writer = writer.partitionBy("month")
        writer.parquet(f"{output.rstrip('/')}/{folder}")
        counts[folder] = frame.count()
    rows.unpersist()
    return counts


def _known_hashes(spark: Any, output: str) -> frozenset[str]:
    try:
        frame = spark.read.parquet(f"{output.rstrip('/')}/articles")
    except Exception:  # no dataset yet (AnalysisException: path does not exist)
        return frozenset()
    return frozenset(r[0] for r in frame.select("content_hash").distinct().collect())


def _read_inputs(spark: Any, inputs: list[str], settings: Settings, partitions: int) -> Any:
    """One RDD of Article | InputError from JSON Lines, Parquet and WARC paths (globs allowed)."""
    sc = spark.sparkContext
    rdds = []
    for path in inputs:
        lower = path.lower()
        if lower.endswith((".warc", ".warc.gz")) or "warc" in Path(lower).name:
            rdds.append(sc.binaryFiles(path).flatMap(lambda kv: articles_from_warc(kv[0], kv[1], settings)))
        elif lower.endswith(".parquet") or Path(lower).suffix == "":
            try:
                frame = spark.read.parquet(path)
            except Exception as err:  # AnalysisException: missing path, not Parquet
                rdds.append(sc.parallelize([InputError(f"cannot read as Parquet ({str(err).splitlines()[0]})",
                                                       input=path)], 1))
                continue
            if "text" not in frame.columns and "html" not in frame.columns:
                rdds.append(sc.parallelize([InputError(f"no 'text' or 'html' column (columns: "
                                                       f"{', '.join(frame.columns[:20])})", input=path)], 1))
                continue
            rdds.append(frame.rdd.map(lambda r: r.asDict()).mapPartitions(
                lambda rows, p=path: articles_from_rows(rows, p, settings)))
        else:
            lines = sc.textFile(path).zipWithIndex().map(lambda x, p=path: (p, x[1] + 1, x[0]))
            rdds.append(lines.mapPartitions(articles_from_lines))
    union = rdds[0] if len(rdds) == 1 else sc.union(rdds)
    return union.repartition(partitions) if union.getNumPartitions() < partitions else union


def session(master: str | None = None, app: str = "onrecord") -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        # local workers run this interpreter (its packages), not whatever python3 is on PATH
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # else Spark binds a public address
        builder = builder.config("spark.pyspark.python", sys.executable)
    return builder.config("spark.sql.sources.partitionOverwriteMode", "dynamic").getOrCreate()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="onrecord.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", help="JSON Lines, Parquet or WARC paths (local, hdfs://, s3a://).")
    parser.add_argument("--output", help="Folder of the Parquet datasets (articles/, attributions/, errors/).")
    parser.add_argument("--master", default=None, help="Spark master (default: what spark-submit sets).")
    parser.add_argument("--partitions", type=int, default=None, help="Partitions to extract in (default: cores).")
    parser.add_argument("--attributor", default="auto", help="auto, fast, transformer, model or rules (as onrecord extract).")
    parser.add_argument("--path", action="store_true", help="Print this module's file path (for spark-submit).")
    args = parser.parse_args(argv)
    if args.path:
        print(Path(__file__).resolve())
        return 0
    if not args.inputs or not args.output:
        parser.error("inputs and --output are required")
    spark = session(args.master)
    try:
        counts = run_job(spark, args.inputs, args.output, Settings(attributor=args.attributor), args.partitions)
    finally:
        spark.stop()
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
