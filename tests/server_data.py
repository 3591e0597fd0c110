"""Articles for the server tests: the sample with its hand-made reference, and a hostile one."""

from __future__ import annotations

import json

from onrecord.models import Article, Attribution, Span, Speaker

from .conftest import SAMPLE, SAMPLE_GOLD

SCRIPT = '<script>alert("pwned")</script>'
IMG = '"><img src=x onerror=alert(1)>'
XSS_ID = "xss-test"
XSS_TEXT = (f"Mayor {IMG} said that the bridge {SCRIPT} is safe.\n"
            f"The engineers denied that the bridge {SCRIPT} is safe.\n")


def sample_article() -> Article:
    """The sample article with the attributions of its reference (no model needed)."""
    gold = json.loads(SAMPLE_GOLD.read_text(encoding="utf-8"))
    return Article.from_dict(gold, text=SAMPLE.read_text(encoding="utf-8"))


def _span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span.of(text, start, start + len(part))


def xss_article() -> Article:
    """Every field an attacker controls carries markup or a ``javascript:`` URL."""
    t = XSS_TEXT
    second = t.index("\n") + 1
    content = f"the bridge {SCRIPT} is safe"
    return Article(
        id=XSS_ID, text=t, title=f"<script>alert('title')</script>{IMG}", published="2022-11-10",
        outlet='Evil "><img src=x onerror=alert(2)> Times', url="javascript:alert(3)",
        attributions=(
            Attribution(cue=_span(t, "said"), content=(_span(t, content),), source=_span(t, f"Mayor {IMG}"),
                        kind="indirect", stance="assert", statement_date="2022-11-09",
                        speaker=Speaker(name=f"Mayor {IMG}", type="organization", role=SCRIPT)),
            Attribution(cue=_span(t, "denied"), content=(_span(t, content, second),),
                        source=_span(t, "The engineers"), kind="indirect", stance="deny",
                        speaker=Speaker(name="The engineers", type="group", description=SCRIPT)),
        ))


def server_articles() -> list[Article]:
    return [sample_article(), xss_article()]


WOMEN = ["Mary Lane", "Ruth Hale", "Anna Berg", "Lena Ortiz", "Grace Kimball"]
MEN = ["John Reed", "Peter Voss", "Mark Hallam", "Omar Saeed", "Ivan Petrov"]
OUTLETS = ["Harbour Times", "Coast News", "Valley Post", "City Ledger"]
TOPICS = ["the harbour bridge would reopen in spring", "the harbour bridge was unsafe for lorries",
          "the harbour bridge repairs had doubled in cost", "the harbour bridge tolls would rise",
          "the council budget was balanced"]
CUES = [("said", "assert"), ("denied", "deny"), ("believed", "believe"), ("said", "assert")]


def many_articles(n_articles: int = 50, per_article: int = 16) -> list[Article]:
    """Canned articles with 800 statements (no model needed): ten named people of known gender quoted by
    four outlets over six months, four in five statements about the harbour bridge: a store big enough
    that a download of every row passes the 500 rows of a page."""
    from .store_articles import make_article, with_genders

    people = [(name, "female") for name in WOMEN] + [(name, "male") for name in MEN]
    articles = []
    for i in range(n_articles):
        sentences, genders = [], []
        for j in range(per_article):
            name, gender = people[(i * 3 + j) % len(people)]
            if gender == "female" and i % len(OUTLETS) == 0 and j % 2:  # Harbour Times quotes fewer women
                name, gender = MEN[j % len(MEN)], "male"
            cue, stance = CUES[(i + j) % len(CUES)]
            sentences.append((name, "person", cue, stance, f"{TOPICS[(i + j) % len(TOPICS)]} (report {i}, point {j})"))
            genders.append(gender)
        articles.append(with_genders(make_article(
            f"canned-{i:03d}", sentences, published=f"2022-{i % 6 + 1:02d}-{i % 27 + 1:02d}",
            outlet=OUTLETS[i % len(OUTLETS)], title=f"Harbour report number {i}"), genders))
    return articles
