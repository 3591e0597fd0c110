"""The docs stay true: the CLI reference documents every command and option, the Python sessions
run and print what they show, the README's commands run, links resolve, the README stays short and
free of history."""

import doctest
import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, ROOT / "CHANGELOG.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]


def cli_reference():
    """scripts/cli-reference as a module (it has no .py suffix: it is run as a script)."""
    path = ROOT / "scripts" / "cli-reference"
    loader = importlib.machinery.SourceFileLoader("cli_reference", str(path))
    spec = importlib.util.spec_from_loader("cli_reference", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def run_sessions(path: Path) -> int:
    """Run the ```python blocks of a page that hold a >>> session as one doctest; the failure count."""
    text = path.read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if ">>>" in b]
    assert blocks, f"{path.name} has no Python session"
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, path.name, str(path), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    return runner.summarize(verbose=False).failed


@pytest.mark.slow
def test_readme_python_session(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert run_sessions(README) == 0


@pytest.mark.slow
def test_python_page_session(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert run_sessions(ROOT / "docs" / "python.md") == 0


# README commands that are not run whole, and why; each is run with --help appended instead, which
# still fails on a command or option that does not exist (click parses every option before --help)
NOT_RUN = {
    "serve": "it serves until stopped, on a fixed port another run may hold (tests/test_server_live.py runs it)",
    "eval": "it extracts every reference corpus, minutes of work (make eval and the gate in make test run it)",
    "train": "training takes minutes to hours (tests/test_learned.py trains on small data)",
    "spark": "it starts a Spark session on Java 17 (tests/test_spark.py runs it)",
}


def readme_commands() -> list[str]:
    """The ``$ onrecord ...`` lines of the README's command blocks, without their comments."""
    lines, language = [], None  # None: outside a fence; fences are paired line by line, as Markdown does
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            language = line[3:].strip() if language is None else None
        elif language in ("", "bash", "console", "sh", "shell"):
            lines.append(line.strip())
    return [re.sub(r"\s+#\s.*$", "", line.removeprefix("$ ")) for line in lines
            if line.startswith(("$ onrecord", "onrecord "))]


def _written_file(command: str) -> str | None:
    """The file a command writes its data to (``> FILE`` or ``-o FILE``), if any."""
    found = re.search(r"(?:>|-o)\s+(\S+)\s*$", command)
    return found.group(1) if found else None


@pytest.mark.slow
def test_readme_commands_run(tmp_path):
    """Every command of the README runs as written, one after the other in one shell, in a
    directory holding what they name: ``examples/`` (the repository's), ``articles/`` and
    ``big-corpus/`` (hand-written articles of tests/data/linking) and ``crawl.warc.gz`` (a WARC
    of two pages, as tests/test_corpora.py writes it). `NOT_RUN` says which run with --help
    only, and why. Each exits 0 and writes something: its file, its report on stderr (ingest,
    link) or its data on stdout."""
    from .test_corpora import _pages, _warc

    commands = readme_commands()
    assert len(commands) >= 10, commands
    named = {command.split()[1] for command in commands}
    assert set(NOT_RUN) <= named, f"NOT_RUN names commands the README no longer shows: {set(NOT_RUN) - named}"
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    articles = sorted((ROOT / "tests" / "data" / "linking" / "articles").glob("*.txt"))
    for folder, chosen in (("articles", articles[:6]), ("big-corpus", articles[6:])):
        (tmp_path / folder).mkdir()
        for path in chosen:
            shutil.copy(path, tmp_path / folder / path.name)
    _warc(tmp_path / "crawl.warc.gz", _pages(2))
    lines = []
    for n, command in enumerate(commands):
        run = command + (" --help" if command.split()[1] in NOT_RUN else "")
        lines.append(f"( {run} ) > out{n} 2> err{n}; echo $? > rc{n}")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("ONRECORD_DB", None)
    subprocess.run(["bash", "-c", "\n".join(lines)], cwd=tmp_path, env=env, timeout=1200, check=True)
    failed = []
    for n, command in enumerate(commands):
        out, err = (tmp_path / f"out{n}").read_text(), (tmp_path / f"err{n}").read_text()
        rc = int((tmp_path / f"rc{n}").read_text())
        written = _written_file(command)
        if command.split()[1] in NOT_RUN:
            ok = rc == 0 and "Usage:" in out
        elif written:
            ok = rc == 0 and (tmp_path / written).stat().st_size > 0
        elif command.split()[1] in ("ingest", "link"):
            ok = rc == 0 and err.strip() != ""
        else:
            ok = rc == 0 and out.strip() != ""
        if not ok:
            failed.append(f"{command} (exit {rc}): {err.strip()[-500:]}")
    assert not failed, "\n".join(failed)


def test_every_command_and_option_is_in_the_cli_reference():
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## onrecord (\S+)\n\n```\n(.*?)```", page, re.M | re.S))
    missing = []
    for name, command in cli_reference().commands():
        if name not in sections:
            missing.append(f"onrecord {name}")
            continue
        for param in command.params:
            if isinstance(param, click.Option):
                for opt in param.opts + param.secondary_opts:
                    if not re.search(rf"(?<![\w-]){re.escape(opt)}(?![\w-])", sections[name]):
                        missing.append(f"onrecord {name} {opt}")
    assert not missing, f"not in docs/cli.md (run scripts/cli-reference): {missing}"


def test_cli_reference_is_what_the_generator_writes():
    """docs/cli.md is generated: it matches the CLI as it is now (run scripts/cli-reference)."""
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference().page()


def test_relative_links_resolve():
    broken = []
    for page in PAGES:
        text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, broken


def test_anchors_of_links_between_pages_exist():
    def anchors(page: Path) -> set[str]:
        heads = re.findall(r"^#+ (.*)$", page.read_text(encoding="utf-8"), re.M)
        return {re.sub(r"[^\w\- ]", "", h.lower()).strip().replace(" ", "-") for h in heads}

    broken = []
    for page in PAGES:
        for path, anchor in re.findall(r"\]\(([^)#\s:]+\.md)#([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if anchor not in anchors(page.parent / path):
                broken.append(f"{page.relative_to(ROOT)}: {path}#{anchor}")
    assert not broken, broken


def test_readme_is_short_and_has_no_history():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    assert "→" not in text and "->" not in text, "before → after lines belong in CHANGELOG.md"


def test_readme_links_every_docs_page():
    text = README.read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in text, f"the README does not link docs/{page.name}"


def test_exceptions_page_matches_the_error_tree():
    import onrecord.errors as errors

    page = (ROOT / "docs" / "exceptions.md").read_text(encoding="utf-8")
    tree = errors.__doc__.split("::", 1)[1].split("\n\n")[1]
    lines = [line.strip() for line in tree.strip().splitlines()]
    assert "\n".join(lines) in "\n".join(line.strip() for line in page.splitlines())
