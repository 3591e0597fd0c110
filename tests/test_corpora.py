"""Corpus inputs: WARC archives, Parquet and CSV tables, read record by record."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from onrecord.config import Settings
from onrecord.corpora import Columns, read_corpus
from onrecord.html import decode_html
from onrecord.errors import InputError, InputTooLarge
from onrecord.models import Article
from onrecord.reading import read_paths

PAGE = """<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>The harbour master said on Monday that the pier at {place} would stay closed for repairs until spring.</p>
<p>Fishermen in {place} complained that nobody had asked them before the decision was taken, and the council
promised a meeting next week to hear what the crews think about the timetable and the costs.</p>
</article></body></html>"""


def _record(url: str, body: bytes, content_type: str) -> bytes:
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2021-03-04T05:06:07Z\r\n"
            f"WARC-Record-ID: <urn:uuid:{abs(hash(url))}>\r\nContent-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def _warc(path: Path, pages: list[tuple[str, str]], *, extra_records: bool = True) -> Path:
    """A WARC as crawlers write it: one gzip member per record when the name ends in .gz."""
    records = []
    for url, html in pages:
        records.append(_record(url, html.encode(), "text/html; charset=utf-8"))
        if extra_records:  # a crawl also holds images: not articles, not errors
            records.append(_record(url + ".png", b"\x89PNG", "image/png"))
    packed = [gzip.compress(r) for r in records] if path.suffix == ".gz" else records
    path.write_bytes(b"".join(packed))
    return path


def _pages(n: int) -> list[tuple[str, str]]:
    places = ["Whitby", "Portree", "Oban", "Padstow", "Mallaig"]
    return [(f"https://news.example/{i}", PAGE.format(title=f"Pier {i} closed", place=places[i % len(places)]))
            for i in range(n)]


def test_warc_gz_responses_become_articles_with_url_and_crawl_date(tmp_path):
    path = _warc(tmp_path / "crawl.warc.gz", _pages(3))
    items = list(read_paths([path]))
    assert all(isinstance(i, Article) for i in items), items
    assert [a.url for a in items] == [f"https://news.example/{i}" for i in range(3)]
    assert [a.id for a in items] == [a.url for a in items]
    assert all(a.published == "2021-03-04" for a in items)  # the page gives no date: the crawl date
    assert "harbour master said" in items[0].text


def test_truncated_warc_gz_yields_what_it_held_then_one_error(tmp_path):
    whole = _warc(tmp_path / "whole.warc.gz", _pages(4), extra_records=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: int(len(whole) * 0.7)])
    items = list(read_paths([cut]))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert 1 <= len(articles) < 4
    assert len(errors) == 1 and "cut.warc.gz" in str(errors[0]) and "damaged WARC" in str(errors[0])
    assert items[-1] is errors[0]


@pytest.mark.parametrize("fraction", [0.2, 0.45, 0.6, 0.95])
def test_a_warc_cut_anywhere_never_passes_for_whole(tmp_path, fraction):
    for name in ("cut.warc.gz", "cut.warc"):
        whole = _warc(tmp_path / ("w" + name), _pages(4), extra_records=False).read_bytes()
        cut = tmp_path / name
        cut.write_bytes(whole[: int(len(whole) * fraction)])
        items = list(read_paths([cut]))
        assert isinstance(items[-1], InputError), (name, fraction, items)
        assert sum(isinstance(i, Article) for i in items) < 4


def test_warc_record_without_article_text_is_an_error_naming_its_url(tmp_path):
    pages = [("https://news.example/empty", "<html><body><script>var x = 1;</script></body></html>")] + _pages(1)
    items = list(read_paths([_warc(tmp_path / "c.warc", pages)]))
    assert isinstance(items[0], InputError) and "https://news.example/empty" in str(items[0])
    assert isinstance(items[1], Article)


def test_a_file_that_is_not_a_warc_is_one_error(tmp_path):
    bad = tmp_path / "junk.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not a WARC file at all\n" * 10))
    items = list(read_paths([bad]))
    assert len(items) == 1 and isinstance(items[0], InputError) and "junk.warc.gz" in str(items[0])


def test_directories_include_corpus_files(tmp_path):
    _warc(tmp_path / "a.warc.gz", _pages(2))
    (tmp_path / "b.txt").write_text("The mayor said that the bridge was safe.")
    items = list(read_paths([tmp_path]))
    assert len([i for i in items if isinstance(i, Article)]) == 3


def test_parquet_rows_with_text_or_html_and_configurable_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "corpus.parquet"
    pq.write_table(pa.table({"doc": ["a1", "a2"], "body": ["The minister said that taxes would fall.", None],
                             "page": [None, PAGE.format(title="Pier", place="Oban")],
                             "date": ["2020-01-02", "2020-02-03"]}), path)
    items = list(read_corpus(path, Settings(), Columns(id="doc", text="body", html="page", published="date")))
    assert [type(i) for i in items] == [Article, Article]
    assert items[0].id == "a1" and items[0].published == "2020-01-02" and items[0].text.startswith("The minister")
    assert "harbour master" in items[1].text


def test_parquet_without_the_text_column_is_one_error_naming_the_columns(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"headline": ["x"], "lede": ["y"]}), path)
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], InputError)
    assert "other.parquet" in str(items[0]) and "headline" in str(items[0])


def test_csv_bad_rows_are_reported_and_the_rest_is_read(tmp_path):
    path = tmp_path / "corpus.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "outlet"])
        writer.writerow(["one", "A spokeswoman said the school would reopen.", "Gazette"])
        writer.writerow(["two", "", "Gazette"])
        writer.writerow(["three", "Critics argued that the plan was rushed.", "Courier"])
    items = list(read_paths([path]))
    assert [a.id for a in items if isinstance(a, Article)] == ["one", "three"]
    errors = [i for i in items if isinstance(i, InputError)]
    assert len(errors) == 1 and "corpus.csv:2" in str(errors[0])


def test_a_parquet_file_that_is_not_parquet_is_one_error(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"PAR1 but not really")
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], InputError) and "fake.parquet" in str(items[0])


def test_legacy_charsets_are_decoded():
    assert decode_html("caf\xe9".encode("cp1252"), "text/html") == "café"
    assert decode_html("Ж".encode("koi8-r"), "text/html; charset=koi8-r") == "Ж"


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".warc", ".warc.gz", ".csv", ".parquet"]))
def test_random_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    for item in read_paths([path]):
        assert isinstance(item, (Article, InputError))


# --- malformed records and rows: one error naming the input, never a silent drop or merge --------------


def _bare_record(url: str = "https://news.example/a", length: str | None = None, *, payload: bool = True) -> bytes:
    """A response record whose Content-Length can be given wrong; without ``payload``, headers only."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE.format(title="Pier", place="Oban").encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2021-03-04T05:06:07Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {len(http) if length is None else length}\r\n\r\n").encode()
    return head + (http + b"\r\n\r\n" if payload else b"")


def _items(tmp_path: Path, name: str, data: bytes) -> list[Article | InputError]:
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return list(read_paths([path]))


@pytest.mark.parametrize("data, message", [
    (b"WARC/1.0\r\n", "no WARC records"),
    (b"WARC/1.0\r\n\r\n", "no WARC records"),
    (_bare_record(length="-5"), "bad Content-Length '-5'"),
    (_bare_record(length="abc"), "bad Content-Length 'abc'"),
    (_bare_record(length="-5", payload=False), "bad Content-Length '-5'"),
    (_bare_record(length="abc", payload=False), "bad Content-Length 'abc'"),
    (_bare_record(length=""), "bad Content-Length ''"),
    (_bare_record("javascript:alert(1)"), "not an http(s) URL: 'javascript:alert(1)'"),
    (_bare_record(""), "not an http(s) URL: ''"),
])
@pytest.mark.parametrize("name", ["bad.warc", "bad.warc.gz"])
def test_a_malformed_warc_is_one_error_naming_it(tmp_path, data, message, name):
    items = _items(tmp_path, name, data)
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert str(items[0]).startswith(str(tmp_path / name)) and message in str(items[0])


def test_a_warc_cut_inside_its_first_headers_says_so(tmp_path):
    [error] = _items(tmp_path, "cut.warc", _bare_record()[:150])
    assert str(error) == f"{tmp_path / 'cut.warc'}@0: damaged WARC (the archive ends inside a record's headers)"


def test_a_record_with_a_script_url_is_reported_and_the_next_record_is_read(tmp_path):
    items = _items(tmp_path, "mixed.warc", _bare_record("javascript:alert(1)") + _bare_record("https://x.example/b"))
    assert [type(i) for i in items] == [InputError, Article]
    assert "javascript:alert(1)" in str(items[0]) and items[1].url == "https://x.example/b"


def test_dns_records_of_a_crawl_are_not_articles_nor_errors(tmp_path):
    dns = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: dns:news.example\r\n"
           b"Content-Type: text/dns\r\nContent-Length: 10\r\n\r\n1.2.3.4 60\r\n\r\n")
    items = _items(tmp_path, "crawl.warc", dns + _bare_record())
    assert [type(i) for i in items] == [Article]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_warc_cut_inside_a_record_is_never_read_as_whole(tmp_path, data):
    whole = _bare_record("https://x.example/a") + _bare_record("https://x.example/b")
    first = len(_bare_record("https://x.example/a"))
    # anywhere before the end of the second record's payload (its closing blank line is not content)
    cut = data.draw(st.one_of(st.integers(1, first - 5), st.integers(first + 1, len(whole) - 5)))
    name = data.draw(st.sampled_from(["cut.warc", "cut.warc.gz"]))
    items = _items(tmp_path, name, whole[:cut])
    assert isinstance(items[-1], InputError) and str(tmp_path / name) in str(items[-1]), (cut, items)
    assert sum(isinstance(i, Article) for i in items) == (1 if cut > first else 0)


@pytest.mark.parametrize("delimiter, name", [(",", "q.csv"), ("\t", "q.tsv")])
def test_an_unclosed_quote_in_a_table_is_an_error_not_a_merged_row(tmp_path, delimiter, name):
    path = tmp_path / name
    path.write_text(f"id{delimiter}text\n0{delimiter}The mayor said so.\n1{delimiter}\"Bob said hi.\n2{delimiter}Al\n")
    items = list(read_paths([path]))
    assert [type(i) for i in items] == [Article, InputError], items
    assert str(items[1]).startswith(f"{path}:2: ") and "unclosed quote" in str(items[1]) and "line 3" in str(items[1])


def test_a_row_with_more_fields_than_the_header_is_an_error(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("id,text\n1,The mayor said so.\n2,The minister said, again, that it was fine.\n")
    items = list(read_paths([path]))
    assert [type(i) for i in items] == [Article, InputError], items
    assert str(items[1]).startswith(f"{path}:2: ") and "4 fields" in str(items[1])


_CELL = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=40)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_CELL.filter(lambda t: t.strip()), min_size=1, max_size=5),
       suffix=st.sampled_from([".csv", ".tsv"]))
def test_tables_round_trip_and_a_missing_closing_quote_is_reported(tmp_path, texts, suffix):
    path = tmp_path / f"t{suffix}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t" if suffix == ".tsv" else ",", quoting=csv.QUOTE_ALL)
        writer.writerow(["id", "text"])
        writer.writerows([str(n), t] for n, t in enumerate(texts))
    items = list(read_paths([path]))
    assert [i.text for i in items if isinstance(i, Article)] == texts, items
    path.write_bytes(path.read_bytes().rstrip(b"\r\n")[:-1])  # the last closing quotation mark gone
    items = list(read_paths([path]))
    assert isinstance(items[-1], InputError) and "unclosed quote" in str(items[-1]), items
    assert [i.text for i in items if isinstance(i, Article)] == texts[:-1]


def test_a_table_line_longer_than_the_limit_is_refused_without_reading_on(tmp_path):
    path = tmp_path / "long.csv"
    path.write_bytes(b"id,text\n1,The mayor said so.\n2," + b"a" * 5_000)
    items = list(read_corpus(path, Settings(max_bytes=1_000)))
    assert [type(i) for i in items] == [Article, InputTooLarge], items
    assert str(items[1]).startswith(str(path)) and "1000 bytes" not in str(items[1]) and "limit" in str(items[1])
