import csv
import io
import json

import pytest
from click.testing import CliRunner

from onrecord.cli import cli

from .conftest import SAMPLE

pytestmark = pytest.mark.slow


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_extract_jsonl_follows_the_contract():
    result = run("extract", "--format", "jsonl", str(SAMPLE))
    assert result.exit_code == 0, result.output
    [line] = result.stdout.splitlines()
    record = json.loads(line)
    assert record["id"] == SAMPLE.stem and record["published"] == "2022-11-09T11:00"
    assert len(record["attributions"]) >= 11
    first = record["attributions"][0]
    assert set(first) >= {"source", "cue", "content", "kind", "stance", "speaker", "statement_date", "nested_in"}


def test_bad_inputs_give_exit_3_and_the_rest_is_written(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The governor said that the roads would reopen.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00binary")
    result = run("extract", "--format", "jsonl", "--silent", str(bad), str(good), str(tmp_path / "nope.txt"))
    assert result.exit_code == 3
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["good"]
    assert f"error: {bad}: looks like a binary file" in result.stderr
    assert "nope.txt: no such file" in result.stderr
    assert "2 input(s) failed, 1 written" in result.stderr


def test_stdin_and_published_option():
    result = run("extract", "--format", "json", "--published", "2022-11-09", "-",
                 input="On Tuesday, the minister said that prices would fall.")
    assert result.exit_code == 0, result.output
    [article] = json.loads(result.stdout)
    assert article["id"] == "stdin" and article["published"] == "2022-11-09"
    assert article["attributions"][0]["statement_date"] == "2022-11-08"


def test_csv_has_one_row_per_attribution():
    result = run("extract", "--format", "csv", str(SAMPLE))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and len(rows) >= 11
    assert {"speaker", "stance", "content"} <= set(rows[0])


def test_table_shows_who_said_what():
    result = run("extract", "--format", "table", str(SAMPLE))
    assert result.exit_code == 0
    assert "Andrey Rudenko" in result.stdout and "deny" in result.stdout


def test_output_file(tmp_path):
    out = tmp_path / "out.jsonl"
    assert run("extract", "-o", str(out), str(SAMPLE)).exit_code == 0
    assert json.loads(out.read_text())["id"] == SAMPLE.stem


def test_too_large_input_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("He said it. " * 2000)
    result = run("extract", "--max-bytes", "1000", str(big))
    assert result.exit_code == 3 and "over the 0.001 MB limit" in result.stderr


def test_usage_error_is_2():
    assert run("extract").exit_code == 2
    assert run("extract", "--format", "xml", str(SAMPLE)).exit_code == 2


def test_every_command_has_help_and_is_documented():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name in cli.list_commands(None):
        command = cli.get_command(None, name)
        assert command.help, name
        assert f"onrecord {name}" in readme, f"'onrecord {name}' is not in the README"


def test_a_missing_extra_fails_politely(monkeypatch):
    import importlib

    real = importlib.import_module

    def no_server(name, *args, **kwargs):
        if name == "onrecord.cli.serve":  # the module of `onrecord serve` (the lazy group imports it by name)
            raise ImportError("No module named 'fastapi'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", no_server)
    result = run("serve")
    assert result.exit_code == 1
    assert "'onrecord serve' is unavailable: No module named 'fastapi' (pip install 'onrecord[server]')" in result.output


def test_hostile_inputs_get_one_error_line_each_and_the_rest_is_written(tmp_path):
    import os

    (tmp_path / "good.txt").write_text("The governor said that the roads would reopen.", encoding="utf-8")
    os.mkfifo(tmp_path / "feed.txt")
    (tmp_path / "loop").symlink_to(tmp_path)
    lines = ['{"id": "s\\ud800", "text": "The mayor said \\udfff that it rained.", "outlet": "O\\udc00"}',
             "[" * 100_000, '{"id": ' + "1" * 5_000 + ', "text": "x"}', '{"id": {"a": 1}, "text": "x"}']
    (tmp_path / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("extract", "--format", "jsonl", "--silent", str(tmp_path), "/dev/zero")
    assert result.exit_code == 3, result.output
    written = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in written] == ["s\ufffd", "good"]
    assert written[0]["text"] == "The mayor said \ufffd that it rained." and written[0]["attributions"]
    errors = result.stderr.splitlines()
    assert errors[:-1] == [
        f"error: {tmp_path}/batch.jsonl:2: bad JSON (nested too deeply)",
        f"error: {tmp_path}/batch.jsonl:3: bad JSON (Exceeds the limit (4300 digits) for integer string conversion)",
        f"error: {tmp_path}/batch.jsonl:4: 'id' must be a string or an integer, not an object",
        f"error: {tmp_path}/feed.txt: not a regular file (a FIFO); pipe it to '-' instead",
        f"error: {tmp_path}/loop: symbolic link loop (leads back to a directory being walked)",
        "error: /dev/zero: not a regular file (a device); pipe it to '-' instead",
    ]
    assert errors[-1] == "6 input(s) failed, 2 written"


def test_csv_of_an_article_without_attributions_has_the_header():
    from onrecord.models import ROW_COLUMNS

    result = run("extract", "--format", "csv", "-", input="It rained all day in the valley.\n")
    assert result.exit_code == 0 and result.stdout.strip() == ",".join(ROW_COLUMNS)


def test_train_without_the_train_extra_names_the_install_command(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sklearn", None)  # as if scikit-learn were not installed
    result = run("train", "--model", "filter", "--data", str(tmp_path))
    assert result.exit_code == 1 and "sklearn is missing: pip install 'onrecord[train]'" in result.output


# A fresh interpreter runs the CLI as the script does and names the heavy modules it imported.
PROBE = """
import sys
from onrecord.cli import cli
try:
    cli(sys.argv[1:], prog_name="onrecord")
except SystemExit:
    pass
print(",".join(sorted({m.split(".")[0] for m in sys.modules} & {"spacy", "torch", "sqlalchemy", "pandas",
                                                                 "numpy", "fastapi", "transformers"})))
"""


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["quotes", "--help"], ["ingest", "--help"]])
def test_help_and_version_load_no_model_nor_database(args):
    """`onrecord --help` answers at once: spaCy, torch and SQLAlchemy load in the commands that use them."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    *shown, heavy = done.stdout.split("\n")[:-1]  # the last line: the heavy modules imported
    assert shown and heavy == ""


def test_version_is_the_installed_packages():
    from importlib.metadata import version

    assert run("--version").output.strip().endswith(f", version {version('onrecord')}")


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_off_a_terminal_is_a_line_every_few_seconds_with_the_time_left():
    from onrecord.cli.progress import Progress

    out, clock = io.StringIO(), Clock()
    progress = Progress(out, tty=False, interval=5, clock=clock)
    progress.stopped.set()  # no ticker: the test moves the clock
    progress.update("extracting", 1, 40)
    assert out.getvalue() == ""  # a short run stays quiet
    clock.now = 6
    progress.update("extracting", 10, 40)
    progress._draw()
    assert out.getvalue() == "extracting: 10 of 40 articles extracted (25%), 6 s, about 18 s left\n"
    clock.now = 7
    progress.update("extracting", 20, 40)
    progress._draw()  # less than 5 s after the last line: nothing
    assert out.getvalue().count("\n") == 1
    clock.now = 9
    progress.update("speakers", 203, 203)  # the next step ends this one, with its own line
    assert out.getvalue().splitlines()[-1] == "extracting: 20 articles extracted in 9 s"
    progress.close()
    assert "speakers" not in out.getvalue()  # it took no time: no line


def test_progress_on_a_terminal_redraws_one_line_and_silent_draws_nothing():
    from onrecord.cli.progress import Progress

    out, clock = io.StringIO(), Clock()
    progress = Progress(out, tty=True, clock=clock)
    progress.stopped.set()
    progress.update("embeddings", 1024, 4096)
    clock.now = 2
    progress.update("embeddings", 2048, 4096)
    progress.close()
    assert out.getvalue().count("\r") == 3 and out.getvalue().endswith("embeddings: 2,048 statements embedded in 2 s\n")
    assert "about 2 s left" in out.getvalue()
    silent = io.StringIO()
    with Progress(silent, tty=False, interval=0, hidden=True) as hidden:
        hidden.update("extracting", 1, 2)
    assert silent.getvalue() == ""
