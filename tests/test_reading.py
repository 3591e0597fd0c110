import json

import pytest

from onrecord.config import Settings
from onrecord.errors import InputError, InputTooLarge
from onrecord.models import Article
from onrecord.reading import decode, read_paths

HTML = """<!doctype html><html><head><title>Minister denies talks | Daily Planet</title>
<meta property="og:site_name" content="Daily Planet"></head><body><nav>Home | World</nav>
<article><h1>Minister denies talks</h1><p>The minister denied on Tuesday that talks with the rebels had begun,
according to a statement published by the ministry in the capital.</p>
<p>"There are no negotiations and there will be none until the attacks stop," the minister said in the statement.</p>
</article><footer>Subscribe to our newsletter</footer></body></html>"""


def test_text_file_keeps_the_text_exactly(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Line one\r\n\ufeffZelenskyy said “no”.\n".encode())
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert article.id == "a" and article.text == "Line one\r\n\ufeffZelenskyy said “no”.\n"


def test_empty_file_is_an_article(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    [article] = read_paths([path])
    assert isinstance(article, Article) and article.text == ""


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at offset 3)"),
])
def test_undecodable_inputs_are_named(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    [error] = read_paths([path])
    assert isinstance(error, InputError)
    assert str(path) in str(error) and message in str(error)


def test_missing_file_does_not_stop_the_batch(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("He said so.")
    items = list(read_paths([tmp_path / "missing.txt", good]))
    assert isinstance(items[0], InputError) and "missing.txt: no such file" in str(items[0])
    assert isinstance(items[1], Article)


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path):
    path = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": "one", "text": "A said B.", "published": "2022-01-02"}), "{not json",
             json.dumps({"id": "three"}), json.dumps([1, 2]), "", json.dumps({"text": "No id here."})]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(read_paths([path]))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "InputError", "InputError", "Article"]
    assert items[0].published == "2022-01-02"
    assert f"{path}:2: bad JSON" in str(items[1])
    assert f"{path}:3:" in str(items[2]) and "neither" in str(items[2])
    assert items[4].id == "batch-6"


def test_html_is_reduced_to_its_main_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    [article] = read_paths([path])
    assert isinstance(article, Article)
    assert "denied on Tuesday" in article.text and "Subscribe" not in article.text
    assert article.text_is_input is False and article.to_dict()["text"] == article.text
    assert article.title and "Minister denies talks" in article.title


def test_malformed_html_without_text_is_an_error(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><<<>>></div", encoding="utf-8")
    [item] = read_paths([path])
    assert isinstance(item, InputError) and "broken.html" in str(item)


def test_too_large_input_is_refused_with_the_limit(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 3000)
    [error] = read_paths([path], Settings(max_bytes=10_000))
    assert isinstance(error, InputTooLarge) and "--max-bytes" in str(error)


def test_directories_are_walked_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("B")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A")
    (tmp_path / "skip.png").write_bytes(b"\x00")
    assert [a.id for a in read_paths([tmp_path])] == ["b", "a"]


def test_decode_reports_offset():
    with pytest.raises(InputError, match="offset 1"):
        decode(b"a\xff", "x")


def test_jsonl_record_with_html(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "p1", "html": HTML, "url": "https://example.org/a"}) + "\n", encoding="utf-8")
    [article] = read_paths([path])
    assert isinstance(article, Article) and article.id == "p1" and article.url == "https://example.org/a"
    assert "denied on Tuesday" in article.text and article.text_is_input is False


def test_tens_of_megabytes_are_refused_by_default(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_bytes(b"All work and no play. " * 700_000)  # 15.4 MB
    [error] = read_paths([path])
    assert isinstance(error, InputTooLarge)
    assert "15.4 MB is over the 10 MB limit (raise it with --max-bytes)" in str(error)
