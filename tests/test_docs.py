"""The README's Python session runs and prints what the README shows."""

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_readme_python_session(monkeypatch):
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    session = re.search(r"## Python\n\n```python\n(.*?)```", readme, re.S)[1]
    test = doctest.DocTestParser().get_doctest(session, {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_exceptions_page_matches_the_error_tree():
    import onrecord.errors as errors

    page = (ROOT / "docs" / "exceptions.md").read_text(encoding="utf-8")
    tree = errors.__doc__.split("::", 1)[1].split("\n\n")[1]
    lines = [line.strip() for line in tree.strip().splitlines()]
    assert "\n".join(lines) in "\n".join(line.strip() for line in page.splitlines())
