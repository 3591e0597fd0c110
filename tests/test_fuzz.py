"""Hostile inputs: bounded work per input, offsets that hold, and property tests."""

import json

import pytest

from onrecord import extract
from onrecord.models import Article
from onrecord.nlp import MAX_SENT_TOKENS
from onrecord.reading import clean_article, clean_str


def spans_hold(article: Article) -> bool:
    spans = [*article.boilerplate, *article.editorial_notes]
    for a in article.attributions:
        spans += [a.cue, *a.content] + ([a.source] if a.source else [])
    return all(s.text == article.text[s.start:s.end] for s in spans)


# ---------------------------------------------------------------- bounded work per input

@pytest.mark.slow
def test_a_run_of_punctuation_is_one_token_and_the_text_is_kept(nlp):
    text = 'He said: ' + '"' * 20_000 + ' and left.\n(((((((((((((((((((((((((( she added'
    doc = nlp(text)
    assert doc.text == text  # offsets never move
    assert len(doc) < 15  # spaCy alone splits 20,000 tokens off one by one (quadratic time)
    assert '"' * 20_000 in [t.text for t in doc]


@pytest.mark.slow
def test_short_runs_are_tokenized_as_before(nlp):
    assert [t.text for t in nlp('"Yes!!!" he said...')] == ['"', "Yes", "!", "!", "!", '"', "he", "said", "..."]


@pytest.mark.slow
def test_sentences_are_bounded_in_a_text_without_sentence_ends(nlp):
    doc = nlp("the minister said that the envoy told reporters that " * 300)  # 2,700 tokens, no full stop
    assert max(len(s) for s in doc.sents) <= MAX_SENT_TOKENS + 1


@pytest.mark.slow
def test_a_forced_sentence_start_goes_after_a_full_stop(nlp):
    sentence = "The spokesman said that the talks in the capital would go on for another week and more. "
    doc = nlp(sentence * 30)  # one paragraph of 570 tokens
    assert all(s[0].i == 0 or doc[s[0].i - 1].text == "." for s in doc.sents)


@pytest.mark.slow
def test_quotes_without_end_are_extracted_with_offsets_intact():
    article = extract('"a said ' * 2_000 + "\n" + '" ' * 5_000)
    assert article.attributions and spans_hold(article)


@pytest.mark.slow
@pytest.mark.parametrize("mark", ["“", "”", '"', "«", "»", "„", "‘", "’", "'", "„“"])
def test_a_long_run_of_any_quotation_mark_is_extracted_with_offsets_intact(mark):
    article = extract(mark * (33_000 // len(mark)))  # 33,000 “ took 17 s before quotations were paired in one pass
    assert article.text_is_input and spans_hold(article)


# ---------------------------------------------------------------- characters spaCy and the output cannot take

def test_clean_str_replaces_lone_surrogates_one_for_one():
    assert clean_str("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert clean_str("emoji 😀 stays") == "emoji 😀 stays"


def test_clean_article_marks_a_changed_text_as_not_the_input():
    article = clean_article(Article(id="x\udc80", text="said \ud800", title="t\udfff"))
    assert (article.id, article.text, article.title) == ("x\ufffd", "said \ufffd", "t\ufffd")
    assert article.to_dict()["text"] == "said \ufffd"
    same = Article(id="x", text="plain")
    assert clean_article(same) is same


@pytest.mark.slow
def test_lone_surrogates_are_extracted_and_written():
    text = '"We will rebuild \ud800 the bridge," the mayor said on Monday \udfff.'
    article = extract(text, id="bridge\ud83d", outlet="Gazette\udc00")
    assert len(article.text) == len(text) and article.text.count("\ufffd") == 2
    assert article.attributions and spans_hold(article)
    line = json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # no UnicodeEncodeError
    assert json.loads(line)["text"] == article.text and article.id == "bridge\ufffd"


@pytest.mark.slow
def test_an_article_the_parser_cannot_take_does_not_lose_its_batch(monkeypatch):
    from onrecord import pipeline
    from onrecord.errors import ExtractionError

    real = pipeline._parse

    def parse(articles, settings):
        if any("BOOM" in a.text for a in articles):
            raise ValueError("cannot parse")
        return real(articles, settings)

    monkeypatch.setattr(pipeline, "_parse", parse)
    errors = []
    articles = [Article(id=str(n), text=f"Speaker {n} said so." if n != 2 else "BOOM") for n in range(4)]
    done = list(pipeline.extract_many(articles, on_error=errors.append))
    assert [a.id for a in done] == ["0", "1", "3"]
    [error] = errors
    assert isinstance(error, ExtractionError) and str(error) == "2: parsing failed (ValueError: cannot parse)"


# ---------------------------------------------------------------- property tests
# Example counts stay modest: the suite runs on a small machine. scripts/fuzz-extract runs
# 10,000 generated inputs through extract by hand.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from onrecord.config import Settings  # noqa: E402
from onrecord.errors import InputError  # noqa: E402
from onrecord.reading import read_paths  # noqa: E402

# Any code point, lone surrogates and control characters included.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
# Pieces that make the rules work: cues, quotes, sources, line breaks, runs of punctuation.
PIECES = st.sampled_from(['"', "“", "”", "'", " said ", " told reporters ", " denied that ", "according to ",
                          "Source: ", "The minister", " he ", "She", ". ", ", ", ": ", "\n", "\n\n", " ", "(", ")",
                          "--", "\u2028", "\x00", "\ud800", '"' * 30, "." * 25, "Wednesday, 9 November 2022"])
TEXTS = st.lists(st.one_of(PIECES, st.text(ANY_CHAR, max_size=8)), max_size=40).map("".join)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(st.text(ANY_CHAR))
def test_clean_str_keeps_length_and_leaves_no_surrogate(text):
    cleaned = clean_str(text)
    assert len(cleaned) == len(text)
    cleaned.encode("utf-8")
    assert all(a == b or (0xD800 <= ord(a) <= 0xDFFF and b == "\ufffd") for a, b in zip(text, cleaned))


@pytest.mark.slow
@FUZZ
@given(TEXTS)
def test_extract_takes_any_text_and_offsets_hold(text):
    article = extract(text, settings=Settings(attributor="auto"))
    assert len(article.text) == len(text) or not article.text_is_input  # HTML-looking input is reduced
    assert spans_hold(article)
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


@pytest.mark.slow
@FUZZ
@given(st.text(ANY_CHAR, max_size=300))
def test_extract_takes_any_characters(text):
    try:
        article = extract(text)
    except InputError:  # only for text that looks like HTML and has no article text
        return
    assert spans_hold(article)
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHAR, max_size=20),
                           lambda children: st.lists(children, max_size=4)
                           | st.dictionaries(st.sampled_from(["id", "text", "html", "title", "published", "url",
                                                              "outlet", "x"]), children, max_size=6),
                           max_leaves=12)


def read_all(tmp_path_factory, suffix, data):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(data)
    items = list(read_paths([path], Settings(max_bytes=5_000)))
    assert all(isinstance(i, (Article, InputError)) for i in items)
    if suffix in (".txt", ".html"):
        assert len(items) == 1  # JSON Lines: one item per record, none for an empty file or "[]"
    for item in items:
        if isinstance(item, Article):
            json.dumps(item.to_dict(with_text=True), ensure_ascii=False).encode("utf-8")
    return items


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]), data=st.binary(max_size=6_000))
def test_every_reader_takes_any_bytes(tmp_path_factory, suffix, data):
    read_all(tmp_path_factory, suffix, data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".txt", ".html", ".jsonl", ".json"]), text=st.text(ANY_CHAR, max_size=500))
def test_every_reader_takes_any_text(tmp_path_factory, suffix, text):
    read_all(tmp_path_factory, suffix, text.encode("utf-8", "surrogatepass"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(JSON_VALUES, max_size=5))
def test_jsonl_reader_takes_any_json(tmp_path_factory, records):
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode("utf-8", "surrogatepass")
    items = read_all(tmp_path_factory, ".jsonl", data)
    for item in items:
        if isinstance(item, Article):
            assert all(isinstance(v, str) for v in (item.id, item.text))
            assert all(v is None or isinstance(v, str) for v in (item.title, item.published, item.url, item.outlet))
