import json
from pathlib import Path

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


# ---------------------------------------------------------------- hostile inputs (issue 11, items 4, 5 and 10)

def items_of(path, settings=None):
    return list(read_paths([path], settings))


def test_lone_surrogates_in_jsonl_fields_are_replaced(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a\\ud800", "text": "He said \\udfff so.", "title": "T\\udc00", "outlet": "O\\ud83d"}\n',
                    encoding="utf-8")
    [article] = items_of(path)
    assert isinstance(article, Article)
    assert (article.id, article.text, article.title, article.outlet) == ("a\ufffd", "He said \ufffd so.", "T\ufffd",
                                                                        "O\ufffd")
    assert article.to_dict()["text"] == article.text  # not the input's own text any more: the output carries it
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


def test_deeply_nested_and_huge_json_are_errors_naming_the_line(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("\n".join(["[" * 100_000, '{"id": ' + "7" * 5_000 + ', "text": "x"}',
                               json.dumps({"id": "9" * 5_000, "text": "x"}), json.dumps({"id": "ok", "text": "Fine."})]),
                    encoding="utf-8")
    items = items_of(path)
    assert [type(i).__name__ for i in items] == ["InputError", "InputError", "InputError", "Article"]
    assert f"{path}:1: bad JSON (nested too deeply)" in str(items[0])
    assert f"{path}:2: bad JSON" in str(items[1]) and "digits" in str(items[1])
    assert f"{path}:3: 'id' is 5,000 characters long" in str(items[2])


@pytest.mark.parametrize("record, message", [
    ({"id": {"a": 1}, "text": "x"}, "'id' must be a string or an integer, not an object"),
    ({"id": True, "text": "x"}, "'id' must be a string or an integer, not a boolean"),
    ({"text": ["a", "b"]}, "'text' must be a string, not an array"),
    ({"text": "x", "title": 5}, "'title' must be a string, not a number"),
    ({"text": "x", "outlet": {"name": "Gazette"}}, "'outlet' must be a string, not an object"),
])
def test_non_string_json_fields_are_errors(tmp_path, record, message):
    path = tmp_path / "typed.jsonl"
    path.write_text(json.dumps({"id": "good", "text": "Fine."}) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    good, error = items_of(path)
    assert isinstance(good, Article) and isinstance(error, InputError)
    assert str(error) == f"{path}:2: {message}"


def test_infinite_published_is_an_error_and_integer_id_is_kept(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text('{"id": 12, "text": "x", "published": 1e999}\n{"id": 12, "text": "x"}\n', encoding="utf-8")
    error, article = items_of(path)
    assert "'published' must be a string, not a number" in str(error)
    assert article.id == "12"


def test_jsonl_lines_end_only_at_newlines(tmp_path):
    path = tmp_path / "sep.jsonl"
    record = json.dumps({"id": "u", "text": "one\u2028two\x1cthree\x85four"}, ensure_ascii=False)
    path.write_text(record + "\n" + record + "\n", encoding="utf-8")
    articles = items_of(path)
    assert [a.text for a in articles] == ["one\u2028two\x1cthree\x85four"] * 2


def test_a_file_name_that_is_not_utf8_is_read_and_named(tmp_path):
    import os

    path = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    path.write_text("The chef said so.", encoding="utf-8")
    [article] = items_of(tmp_path)
    assert isinstance(article, Article) and article.id == "caf\\xe9"
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    [error] = items_of(Path(os.fsdecode(bytes(tmp_path) + b"/gone\xff.txt")))
    assert str(error).endswith("gone\\xff.txt: no such file")


def test_special_files_are_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    [error] = items_of(fifo)  # opening a FIFO for reading would block until a writer comes
    assert str(error) == f"{fifo}: not a regular file (a FIFO); pipe it to '-' instead"
    [error] = items_of("/dev/zero")  # endless, and its size is 0
    assert str(error) == "/dev/zero: not a regular file (a device); pipe it to '-' instead"


def test_the_size_limit_holds_on_the_bytes_read():
    proc = Path("/proc/self/status")  # a regular file whose reported size is 0
    if not proc.exists() or proc.stat().st_size != 0:
        pytest.skip("no /proc")
    [error] = items_of(proc, Settings(max_bytes=10))
    assert isinstance(error, InputTooLarge) and "more than 1e-05 MB is over the 1e-05 MB limit" in str(error)


def test_directory_walks_report_loops_fifos_and_broken_links(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("A said so.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("B said so.")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # a loop back to the walked directory
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a link to itself
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    os.mkfifo(tmp_path / "pipe.dat")  # not an input name: left alone like any other file
    (tmp_path / "linked").symlink_to(tmp_path / "sub")  # a link to a directory elsewhere is followed
    items = items_of(tmp_path)
    assert [i.id if isinstance(i, Article) else str(i).replace(str(tmp_path), "T") for i in items] == [
        "a",
        "T/gone.txt: cannot read (broken symbolic link)",
        "b",
        "T/linked/up: symbolic link loop (leads back to a directory being walked)",
        "T/pipe.jsonl: not a regular file (a FIFO); pipe it to '-' instead",
        "T/self.txt: symbolic link loop",
        "b",
        "T/sub/up: symbolic link loop (leads back to a directory being walked)",
    ]


def test_unreadable_directories_and_files_are_reported(tmp_path, monkeypatch):
    import os

    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text("A said so.")
    (tmp_path / "shut").mkdir()
    (tmp_path / "shut" / "b.txt").write_text("B said so.")
    (tmp_path / "secret.txt").write_text("C said so.")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path):  # as root, chmod 000 does not stop reading: the refusal is simulated
        if Path(path).name == "shut":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def open_(path, *args, **kwargs):
        if Path(path).name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "open", open_)
    items = items_of(tmp_path)
    assert [i.id if isinstance(i, Article) else str(i) for i in items] == [
        "a", f"{tmp_path / 'secret.txt'}: cannot read (Permission denied)",
        f"{tmp_path / 'shut'}: cannot read directory (Permission denied)"]


def test_unreadable_directory_for_real(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every directory")
    shut = tmp_path / "shut"
    shut.mkdir()
    (shut / "b.txt").write_text("B said so.")
    shut.chmod(0)
    try:
        assert [str(i) for i in items_of(tmp_path)] == [f"{shut}: cannot read directory (Permission denied)"]
        [error] = items_of(shut / "b.txt")
        assert "cannot read (Permission denied)" in str(error)
    finally:
        shut.chmod(0o755)


# --- corpus files that are not regular files: refused before reading -----------------------------------

_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3_000_000_000, 3_000_000_000))
from onrecord.reading import read_paths
for item in read_paths(sys.argv[1:]):
    print(item if isinstance(item, Exception) else "article " + item.id)
"""


def _read_in_child(*paths) -> list[str]:
    """What read_paths gives, read in a child process: a hang or a runaway read fails the test, not the run."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _CHILD, *map(str, paths)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.splitlines()


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".parquet", ".warc", ".warc.gz"])
def test_corpus_files_that_are_fifos_or_devices_are_refused_without_blocking(tmp_path, suffix):
    import os

    fifo, zero = tmp_path / f"feed{suffix}", tmp_path / f"zero{suffix}"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    zero.symlink_to("/dev/zero")  # endless: read as a table it grew to 22 GB
    assert _read_in_child(fifo, zero) == [f"{fifo}: not a regular file (a FIFO); pipe it to '-' instead",
                                          f"{zero}: not a regular file (a device); pipe it to '-' instead"]


def test_a_fifo_in_a_walked_directory_is_reported_and_the_rest_is_read(tmp_path):
    import os

    os.mkfifo(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("id,text\nb1,The mayor said so.\n")
    assert _read_in_child(tmp_path) == [f"{tmp_path / 'a.csv'}: not a regular file (a FIFO); pipe it to '-' instead",
                                        "article b1"]


def test_malformed_corpora_fail_the_batch_with_one_line_each_and_the_rest_is_written(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli

    (tmp_path / "q.csv").write_text('id,text\n1,"Bob said hi.\n2,Al\n')
    (tmp_path / "only.warc").write_bytes(b"WARC/1.0\r\n")
    (tmp_path / "ok.txt").write_text("The mayor said that the bridge was safe.")
    result = CliRunner().invoke(cli, ["extract", "--attributor", "rules", str(tmp_path / "q.csv"),
                                      str(tmp_path / "only.warc"), str(tmp_path / "ok.txt")])
    assert result.exit_code == 3, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and "q.csv:1" in errors[0] and "only.warc" in errors[1], result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
