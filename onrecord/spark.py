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
attribution: the columns of every table of attributions, `onrecord.models.ROW_COLUMNS`, with
the content hash and what rebuilding the record needs). Re-running over a grown corpus
extracts only articles whose content hash is not in ``articles/`` yet, and appends.
Inputs that cannot be read or extracted are rows of ``errors/``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

# absolute imports: spark-submit runs this file as a script, not as part of the package
from onrecord.config import Settings
from onrecord.errors import InputError, OnRecordError
from onrecord.models import INTEGER_ROW_COLUMNS, ROW_COLUMNS, Article, content_hash

ARTICLE_FIELDS = ("id", "content_hash", "title", "published", "outlet", "url", "text_is_input", "text",
                  "n_attributions", "spans", "month")
# the one row of an attribution, then what `read_output` needs to rebuild the very record (the
# speaker's own name and how it was resolved), the text's hash and the partition
ATTRIBUTION_FIELDS = (*ROW_COLUMNS, "content_hash", "speaker_name", "speaker_resolved_from", "month")
# what outputs written before the one row called role and description: still read back
LEGACY_FIELDS = {"speaker_role": "role", "speaker_description": "description"}
# what an article row carries besides its columns, as in `Article.to_dict`: `read_output` rebuilds
# the very record that was extracted, so loading the output equals ingesting the texts
SPAN_KEYS = ("boilerplate", "editorial_notes", "layout", "warnings")
ERROR_FIELDS = ("input", "error")


def month_of(published: str | None) -> str:
    """``YYYY-MM`` of a publication date, ``unknown`` without one (a partition value)."""
    if published and len(published) >= 7 and published[:4].isdigit() and published[5:7].isdigit():
        return published[:7]
    return "unknown"


def article_row(article: Article) -> dict[str, Any]:
    data = article.to_dict(with_text=False)
    return {"id": article.id, "content_hash": content_hash(article.text), "title": article.title,
            "published": article.published, "outlet": article.outlet, "url": article.url,
            "text_is_input": article.text_is_input, "text": article.text,
            "n_attributions": len(article.attributions),
            "spans": json.dumps({k: data[k] for k in SPAN_KEYS if data.get(k)}, ensure_ascii=False),
            "month": month_of(article.published)}


def attribution_rows(article: Article) -> Iterator[dict[str, Any]]:
    chash, month = content_hash(article.text), month_of(article.published)
    for a, row in zip(article.attributions, article.attribution_rows()):
        yield {**row, "content_hash": chash, "speaker_name": a.speaker.name,
               "speaker_resolved_from": a.speaker.resolved_from, "month": month}


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


# --- the output read back, for ``onrecord ingest`` ------------------------------------------------

def is_output(path: str | Path) -> bool:
    """Whether a folder holds the datasets this job writes (``articles/`` and ``attributions/``)."""
    root = Path(path)
    return (root / "articles").is_dir() and (root / "attributions").is_dir()


def output_size(folder: str | Path) -> int:
    """The number of article rows in a job's output (from the Parquet footers: nothing is read)."""
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
    except ImportError:
        raise ImportError("reading Spark output needs pyarrow: pip install 'onrecord[export]'") from None
    try:
        return int(ds.dataset(str(Path(folder) / "articles"), format="parquet").count_rows())
    except (OSError, ValueError, pa.ArrowException):  # unreadable: read_output reports it
        return 0


def read_output(folder: str | Path, *, batch_rows: int = 2_000,
                pass_rows: int = 200_000) -> Iterator[Article | InputError]:
    """The articles of a job's output, each with its attributions, as they were extracted.

    Nothing is extracted again: `Article` and `Attribution` records are rebuilt from the rows
    (span texts sliced from the article's text, and checked against the row's). Memory stays
    bounded: the datasets are read one month partition at a time, in batches of
    ``batch_rows``, and a month with more than ``pass_rows`` attributions is read in several
    passes, each holding the attributions of one hash bucket of article ids.

    Args:
        folder: the ``--output`` folder of `run_job` (a local path).
        batch_rows: rows per Arrow batch.
        pass_rows: attribution rows held in memory at most (each about 1 KB as Python objects).

    Yields:
        Articles, or an `InputError` for each article whose rows are inconsistent (offsets
        that do not match its text, missing or repeated attribution rows) and for
        attribution rows whose article is not in ``articles/``; the rest is read.
    """
    try:
        import pyarrow as pa
        import pyarrow.dataset as ds
    except ImportError:
        raise ImportError("reading Spark output needs pyarrow: pip install 'onrecord[export]'") from None

    root = Path(folder)
    if not is_output(root):
        yield InputError("not the output of onrecord spark (no articles/ and attributions/ folders)",
                         input=str(folder))
        return
    partitioning = ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive")
    try:
        articles = ds.dataset(str(root / "articles"), format="parquet", partitioning=partitioning)
        attributions = ds.dataset(str(root / "attributions"), format="parquet", partitioning=partitioning)
        months = sorted({_month_of_fragment(ds, f) for d in (articles, attributions) for f in d.get_fragments()},
                        key=lambda m: m or "")
    except (pa.ArrowException, OSError, ValueError) as err:
        yield InputError(f"cannot read the Parquet datasets ({str(err).splitlines()[0]})", input=str(folder))
        return
    missing = [f for f in ("id", "text") if f not in articles.schema.names] + \
              [f for f in ("article_id", "index", "cue_start", "cue_end", "content_spans")
               if f not in attributions.schema.names]
    if missing:
        yield InputError(f"not the output of onrecord spark: no column {', '.join(missing)}", input=str(folder))
        return
    # columns of outputs written by earlier versions may be missing: read what is there
    article_columns = [f for f in ARTICLE_FIELDS if f in articles.schema.names and f != "month"]
    attribution_columns = [f for f in (*ATTRIBUTION_FIELDS, *LEGACY_FIELDS)
                           if f in attributions.schema.names and f != "month"]
    for month in months:
        where = ds.field("month") == month if month is not None else None
        try:
            passes = max(1, -(-attributions.count_rows(filter=where) // pass_rows))
            for bucket in range(passes):
                yield from _read_pass(root, articles, attributions, where, article_columns, attribution_columns,
                                      bucket, passes, batch_rows)
        except (pa.ArrowException, OSError, ValueError) as err:  # ValueError: text that is not UTF-8
            yield InputError(f"cannot read month {month} ({str(err).splitlines()[0]})", input=str(folder))


def _month_of_fragment(ds: Any, fragment: Any) -> str | None:
    month = ds.get_partition_keys(fragment.partition_expression).get("month")
    return None if month is None else str(month)


def _bucket_of(article_id: Any, passes: int) -> int:
    import zlib

    return zlib.crc32(str(article_id).encode("utf-8", "surrogatepass")) % passes if passes > 1 else 0


def _read_pass(root: Path, articles: Any, attributions: Any, where: Any, article_columns: list[str],
               attribution_columns: list[str], bucket: int, passes: int,
               batch_rows: int) -> Iterator[Article | InputError]:
    """The articles of one month (and one bucket of ids) with their attributions."""
    # rows held as tuples (a dict per row would take several times the memory)
    held: dict[tuple[Any, Any], list[tuple[Any, ...]]] = {}
    key_at, hash_at = attribution_columns.index("article_id"), _index(attribution_columns, "content_hash")
    for batch in attributions.to_batches(columns=attribution_columns, filter=where, batch_size=batch_rows):
        for values in zip(*batch.to_pydict().values()):
            if passes == 1 or _bucket_of(values[key_at], passes) == bucket:
                chash = values[hash_at] if hash_at is not None else None
                held.setdefault((values[key_at], chash), []).append(values)
    source, used = str(root / "articles"), set()
    for batch in articles.to_batches(columns=article_columns, filter=where, batch_size=batch_rows):
        for row in batch.to_pylist():
            if passes > 1 and _bucket_of(row["id"], passes) != bucket:
                continue
            key = (row["id"], row.get("content_hash") if hash_at is not None else None)
            used.add(key)
            # one article written twice (a corpus that repeats it) has each row twice: once is enough
            rows = list(dict.fromkeys(held.get(key, ())))
            try:
                yield article_from_rows(row, [dict(zip(attribution_columns, r)) for r in rows])
            except (KeyError, TypeError, ValueError, IndexError) as err:
                yield InputError(f"article {_shown(row.get('id'))}: {err}", input=source)
    for (article_id, chash), rows in held.items():
        if (article_id, chash) in used:
            continue
        yield InputError(f"{len(rows)} attribution row(s) of article {_shown(article_id)}, which is not in "
                         "articles/", input=str(root / "attributions"))


def _index(columns: list[str], name: str) -> int | None:
    return columns.index(name) if name in columns else None


def _shown(value: Any) -> str:
    return ascii(str(value)[:80])[1:-1] if value is not None else "<no id>"


def article_from_rows(row: dict[str, Any], attributions: list[dict[str, Any]]) -> Article:
    """The `Article` an article row and its attribution rows were written from (`article_row`).

    Raises:
        ValueError: the rows do not fit together (offsets outside the text or that select
            another text than the row's, indices missing or repeated).
    """
    text = row["text"]
    if not isinstance(text, str) or not isinstance(row["id"], str):
        raise ValueError("id and text must be strings")
    expected = row.get("n_attributions")
    attributions = sorted(attributions, key=lambda r: (r["index"] is None, r["index"]))
    indices = [r["index"] for r in attributions]
    if indices != list(range(len(attributions))) or (expected is not None and expected != len(attributions)):
        raise ValueError(f"{len(attributions)} attribution row(s) with indices {_ranges(indices)} "
                         f"(expected {expected if expected is not None else len(attributions)})")
    data: dict[str, Any] = {k: row.get(k) for k in ("id", "title", "published", "outlet", "url")}
    data.update(json.loads(row.get("spans") or "{}"))
    data["attributions"] = [_attribution_dict(r, text) for r in attributions]
    article = Article.from_dict(data, text=text)
    return article if row.get("text_is_input", True) is not False else replace(article, text_is_input=False)


def _ranges(indices: list[Any]) -> str:
    return ", ".join(str(i) for i in indices[:10]) + (" …" if len(indices) > 10 else "") if indices else "none"


def _span(text: str, start: Any, end: Any, what: str, index: int) -> dict[str, Any]:
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise ValueError(f"attribution {index}: {what} offsets {start}-{end} outside the text")
    return {"start": start, "end": end, "text": text[start:end]}


def _attribution_dict(row: dict[str, Any], text: str) -> dict[str, Any]:
    """An `Attribution.to_dict` from its row: span texts sliced from the article's text, and
    checked against the texts the row carries (offsets that moved are an error, not a quote)."""
    index = row["index"]
    spans = json.loads(row["content_spans"])
    if not isinstance(spans, list) or not spans or not all(isinstance(s, list) and len(s) == 2 for s in spans):
        raise ValueError(f"attribution {index}: content_spans is not a list of [start, end]")
    cue = _span(text, row["cue_start"], row["cue_end"], "cue", index)
    content = [_span(text, s, e, "content", index) for s, e in spans]
    source = None
    if row.get("source_start") is not None:
        source = _span(text, row["source_start"], row["source_end"], "source", index)
    for what, sliced in (("cue", cue["text"]), ("content", " … ".join(c["text"] for c in content)),
                         ("source", source["text"] if source else None)):
        if sliced is not None and row.get(what) is not None and row[what] != sliced:
            raise ValueError(f"attribution {index}: the {what} offsets select {sliced[:40]!r}, "
                             f"not the {what} written ({str(row[what])[:40]!r})")
    return {"cue": cue, "content": content, "source": source, "kind": row.get("kind"), "stance": row.get("stance"),
            "speaker": {"name": row.get("speaker_name"), "type": row.get("speaker_type"),
                        "role": row.get("role", row.get("speaker_role")),
                        "description": row.get("description", row.get("speaker_description")),
                        "gender": row.get("speaker_gender"), "resolved_from": row.get("speaker_resolved_from")},
            "statement_date": row.get("statement_date"), "nested_in": row.get("nested_in")}


# --- the job, on the driver ----------------------------------------------------------------------

def _schemas() -> dict[str, Any]:
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    def struct(fields: tuple[str, ...], ints: set[str], bools: set[str] = set()) -> StructType:
        return StructType([StructField(f, LongType() if f in ints else BooleanType() if f in bools else StringType())
                           for f in fields])
    return {"article": struct(ARTICLE_FIELDS, {"n_attributions"}, {"text_is_input"}),
            "attribution": struct(ATTRIBUTION_FIELDS, set(INTEGER_ROW_COLUMNS)),
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
