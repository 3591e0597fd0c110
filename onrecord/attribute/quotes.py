"""Quotations that run on past their cue, and content boundaries, after the attributors.

Newsroom style continues a speaker's quotation over following paragraphs: either one
quotation over several paragraphs (an opening mark at each, a closing one only on the
last) or a "floating quote", a paragraph that is one quotation with no cue of its own.
Both are more content fragments of the attribution before them (the JSON contract
allows a list). `continue_quotes` also fixes boundaries that neither the rules nor the
model get right: content past the closing quotation mark or into the next sentence,
a dateline ("OTTAWA —") or the source itself taken as content.

It runs on offsets after merging, so the trained model reads the same rule output as
in training, and it applies to rule and model attributions alike.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import wraps
from typing import ParamSpec

from spacy.tokens import Doc, Token

from ..nlp import doc_index
from .candidates import Found, Offsets
from .rules import TRIM_CONTENT, addressee, closing_mark, doc_quotations, trim

P = ParamSpec("P")

_OPENING = "“\"«„"
_CLOSING = "”\"»“"
# A narrative paragraph between an attribution and a quotation paragraph may separate
# them (a transition: "The company expects 300 jobs.") only this often.
_MAX_GAP = 1
# A quotation paragraph says something: a few words at least.
_MIN_WORDS = 3
_DATELINE = re.compile(r"[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.'-]+)*(?:\s*\([\w .]+\))?")
_DASH = re.compile(r"\s*(?:--|—|–)")
# "…now.” Next sentence": a closing mark after the end of a sentence, then a capital
_QUOTE_THEN_SENTENCE = re.compile(r"[.!?…][”\"»](?=\s+[A-Z])")


@dataclass(frozen=True, slots=True)
class _Paragraph:
    start: int
    end: int
    shape: str | None  # "whole": one quotation; "open": opened, not closed here; None: other text


def continues_quotes(attribute: Callable[P, list[Found]]) -> Callable[P, list[Found]]:
    """Decorates the attribute stage with `continue_quotes` on its result."""
    @wraps(attribute)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> list[Found]:
        doc = args[0] if args else kwargs["doc"]
        skip = kwargs.get("skip", ())
        if not isinstance(doc, Doc) or not isinstance(skip, Iterable):
            raise TypeError("attribute(doc, *, skip=..., settings=...) expected")
        kwargs["skip"] = skip = list(skip)  # read twice: by the attributors, then here
        return continue_quotes(doc, attribute(*args, **kwargs), skip)
    return wrapper


def continue_quotes(doc: Doc, found: list[Found], skip: Iterable[Offsets] = ()) -> list[Found]:
    """Attributions with their boundaries fixed and the quotations that continue them added.

    Args:
        doc: the parsed article.
        found: the attributions of the attributors, merged.
        skip: spans (title, date line, boilerplate) that hold no content.
    """
    text = doc_index(doc).text
    found = [_bounded(text, _without_circumstance(doc, _without_addressee(doc, text, f))) for f in found]
    cues = [f.cue for f in found]
    found = [_through_conjunct(doc, text, _with_reported_conjunct(doc, text, f, cues), cues) for f in found]
    found = _sources_outside_contents(doc, [f for f in found if f.content])
    found = _floating(doc, text, sorted(found, key=lambda f: f.cue), list(skip))
    return _without_pull_quotes(text, [_one_complement(text, f) for f in _without_others_fragments(found)])


def _one_complement(text: str, found: Found) -> Found:
    """A cue followed by a "that"-clause has that clause as its content, not a quotation before it.

    '“What launch vehicles exist today?” Bridenstine responded that SLS is the only one': the
    question is someone else's (asked in the sentence before); a verb reports what was said
    either in a clause after it or in a quotation around it, not both.
    """
    after = [(s, e) for s, e in found.content if s >= found.cue[1]]
    if not after or len(after) == len(found.content) or text[after[0][0]:after[0][0] + 5].lower() != "that ":
        return found
    return replace(found, content=tuple(after))


def _without_others_fragments(found: list[Found]) -> list[Found]:
    """Each attribution without the fragments that are another's content nearer that other's cue.

    '…commented: "A.\n"B," Martins said.': the tagger may give B to "commented" as a second
    fragment, while "Martins said" has B as its content, right beside it. A quotation has one
    speaker unless one statement is nested in the other, so B stays with the cue beside it.
    """
    def distance(cue: Offsets, span: Offsets) -> int:
        return max(span[0] - cue[1], cue[0] - span[1], 0)

    result = []
    for f in found:
        if len(f.content) < 2:
            result.append(f)
            continue
        kept = []
        for piece in f.content:
            owner = next((g for g in found if g is not f and piece in g.content
                          and not any(s <= g.cue[0] < e for s, e in f.content)
                          and not any(s <= f.cue[0] < e for s, e in g.content)
                          and distance(g.cue, piece) < distance(f.cue, piece)), None)
            if owner is None:
                kept.append(piece)
        result.append(replace(f, content=tuple(kept)) if kept and len(kept) < len(f.content) else f)
    return result


# --- pull quotes ------------------------------------------------------------------------

# a quotation this long (its words, lower-cased and joined by spaces) repeated word for word is no coincidence
_PULL_QUOTE_CHARS = 40


def _without_pull_quotes(text: str, found: list[Found]) -> list[Found]:
    """Without the quotations that repeat, word for word, a quotation given earlier in the article at
    another place: page furniture (a pull quote, a highlighted box at the end), not a second
    statement. ``found`` in text order."""
    seen: list[tuple[str, tuple[Offsets, ...]]] = []
    out = []
    for f in found:
        words = _quoted_words(text, f)
        if len(words) >= _PULL_QUOTE_CHARS:
            if any(words in earlier and not _overlap(f.content, content) for earlier, content in seen):
                continue
            seen.append((words, f.content))
        out.append(f)
    return out


def _quoted_words(text: str, f: Found) -> str:
    """The words of a content that is a quotation (opened by a quotation mark), else ""."""
    if not f.content or text[f.content[0][0]:f.content[0][0] + 1] not in _OPENING:
        return ""
    return " ".join(re.findall(r"\w+", " ".join(text[s:e] for s, e in f.content).lower()))


def _overlap(a: tuple[Offsets, ...], b: tuple[Offsets, ...]) -> bool:
    return any(s < e2 and s2 < e for s, e in a for s2, e2 in b)


# --- boundaries -------------------------------------------------------------------------


def _bounded(text: str, found: Found) -> Found:
    source = found.source
    if source and (m := _dateline_at(text, source[0])) and m[1] < source[1]:
        source = trim(text, m[1], source[1])  # "OTTAWA — Leader X" → "Leader X"
    fragments = list(found.content)
    if source is None and found.inherited_source is None and (speaker := _speaker_after_quote(text, found)):
        source = speaker  # '"...," said King, who resigned' with "King, who resigned" taken as content
        fragments.remove(speaker)
    # the cue, with its source where they stand together ("…now,” he adds, before …")
    roles = [found.cue] + ([source] if source and _adjacent(text, source, found.cue) else [])
    content: list[Offsets] = []
    for start, end in fragments:
        if source and source[0] <= start and end <= source[1]:
            continue  # the source is not content: "…, explained the ranger"
        if _dateline_at(text, start) == (start, end):
            continue  # a dateline is not content
        for piece in _around(text, (start, end), roles):
            piece = _before_next_sentence(text, _with_closing_mark(text, piece))
            if piece[1] > piece[0]:
                content.append(piece)
    return replace(found, source=source, content=tuple(content))


def _through_conjunct(doc: Doc, text: str, found: Found, cues: list[Offsets]) -> Found:
    """A content cut after its conjunction ("… credible and reliable, but") runs on through the
    clause the conjunction joins, within its sentence, unless that clause reports a statement of
    its own (a cue in it: "… as 'false,' and analysts say …"); otherwise the conjunction goes."""
    if not found.content:
        return found
    start, end = found.content[-1]
    span = doc.char_span(start, end, alignment_mode="expand")
    words = [t for t in span if not (t.is_punct or t.is_space)] if span is not None else []
    if not words or words[-1].dep_ != "cc" or words[-1].idx < start:
        return found
    conjunction = words[-1]
    joined = next((c for c in conjunction.head.children if c.dep_ == "conj" and c.i > conjunction.i), None)
    own = joined is not None and any(joined.left_edge.idx <= c < joined.right_edge.idx + 1 for c, _ in cues)
    if joined is not None and not own and joined.right_edge.idx >= end and joined.sent == conjunction.sent:
        new_end = trim(text, start, joined.right_edge.idx + len(joined.right_edge), TRIM_CONTENT + ".")[1]
    else:
        new_end = trim(text, start, conjunction.idx, TRIM_CONTENT)[1]
    if new_end <= start or new_end == end:
        return found
    return replace(found, content=(*found.content[:-1], (start, new_end)))


def _adjacent(text: str, a: Offsets, b: Offsets) -> bool:
    first, second = sorted([a, b])
    return first[1] <= second[0] and not text[first[1]:second[0]].strip(" ,")


def _without_addressee(doc: Doc, text: str, found: Found) -> Found:
    """Whom a statement was told is not what was told: "told the radio station [the number was …]"."""
    span = doc.char_span(found.cue[0], found.cue[1], alignment_mode="expand")
    verb = next((t for t in span if t.lemma_.lower() == "tell"), None) if span is not None else None
    told = addressee(verb) if verb is not None else None
    if told is None:
        return found
    content = []
    for start, end in found.content:
        if told[0] <= start < told[1]:
            start, end = trim(text, told[1], end, TRIM_CONTENT)
        if end > start:
            content.append((start, end))
    return replace(found, content=tuple(content))


def _with_reported_conjunct(doc: Doc, text: str, found: Found, cues: list[Offsets]) -> Found:
    """A clause with a subject of its own joined to the cue's verb right after what it reports is
    reported too: "said [he was in good health and it was a routine checkup]", "explained [that
    the evidence had been deemed credible, but after new interviews the assessment changed]". The
    parser hangs such a clause on the cue's verb; one without a subject ("… and called on the
    government to …") is the speaker's next act, and one with a cue of its own is its own statement."""
    if len(found.content) != 1 or text[found.content[0][0]] in _OPENING:
        return found
    start, end = found.content[0]
    verb = _cue_verb(doc, found.cue)
    if verb is None:
        return found
    if not any(c.dep_ == "ccomp" and start <= c.idx < end for c in verb.children):
        return found  # the content is not the verb's reported clause
    conj = next((c for c in verb.rights if c.dep_ == "conj" and c.idx >= end), None)
    if conj is None or not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in conj.children):
        return found
    left, right = conj.left_edge.idx, conj.right_edge.idx + len(conj.right_edge)
    if text[end:left].strip(" ,;").lower() not in {"", "and", "but"} or "\n" in text[end:right]:
        return found
    if any(left <= s < right for s, _ in cues) or any(c.dep_ == "ccomp" for c in conj.children):
        return found  # "…, and the council said …": a statement of its own
    right = trim(text, start, right, TRIM_CONTENT + ".")[1]
    return replace(found, content=((start, right),)) if right > end else found


def _cue_verb(doc: Doc, cue: Offsets) -> Token | None:
    """The last verb of a cue ("has repeatedly said": said), or None."""
    span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    verbs = [t for t in span if t.pos_ == "VERB"] if span is not None else []
    return verbs[-1] if verbs else None


def _subjectless(doc: Doc, cue: Offsets) -> bool:
    """Whether the cue's verb has no subject of its own: a participle ("…, calling it …") or a
    conjoined verb ("… and accused critics of …")."""
    verb = _cue_verb(doc, cue)
    if verb is None:
        return False
    if not (verb.tag_ in {"VBG", "VBN"} and verb.dep_ in {"advcl", "conj", "xcomp"} or
            verb.tag_ == "VBD" and verb.dep_ == "conj"):
        return False
    return not any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in verb.children)


def _without_circumstance(doc: Doc, found: Found) -> Found:
    """What the speaker was doing is not what was said: "Asked when the talks would end, [Peskov
    said he did not know]" (a participle clause of the cue's verb, with no subject of its own)."""
    if len(found.content) < 2:
        return found
    span = doc.char_span(found.cue[0], found.cue[1], alignment_mode="expand")
    cue = {t.i for t in span} if span is not None else set()
    kept = []
    for start, end in found.content:
        part = doc.char_span(start, end, alignment_mode="expand")
        if part is not None and len(part):
            root = min(part, key=lambda t: len(list(t.ancestors)))
            if root.dep_ == "advcl" and root.head.i in cue and root.tag_ in {"VBN", "VBD", "VBG"} and \
                    root.i == part.start and not any(c.dep_ in {"nsubj", "nsubjpass", "mark"} for c in root.children):
                continue
        kept.append((start, end))
    return replace(found, content=tuple(kept)) if kept else found


def _sources_outside_contents(doc: Doc, found: list[Found]) -> list[Found]:
    """A subjectless cue's source is not a subject inside another statement's content: in "The
    Kremlin denied a report that Russia was massing troops, calling it nonsense" the tagger may
    give "calling" the source "Russia". The statement goes on with the speaker of the statement
    whose content held it (as "… and said" shares the subject before it)."""
    out = []
    for f in found:
        # a second cue's borrowed subject (`shared_subjects`) is checked as a named source is
        borrowed = f.source if f.source is not None else f.inherited_source
        if borrowed is not None and _subjectless(doc, f.cue):
            # the other statement's content holds the source but not the cue: "They have been eyeing
            # the seat and figured …" inside a quotation is the quotation's own statement
            outer = next((g for g in found if g.cue != f.cue and g.source is not None and g.cue[1] <= f.cue[0]
                          and any(s <= borrowed[0] and borrowed[1] <= e for s, e in g.content)
                          and not any(s <= f.cue[0] < e for s, e in g.content)), None)
            if outer is not None:
                f = replace(f, source=None, inherited_source=outer.source)
        out.append(f)
    return out


def _speaker_after_quote(text: str, found: Found) -> Offsets | None:
    """The fragment right after the cue in '"...," said X': the speaker, not content."""
    cue_start, cue_end = found.cue
    before = [f for f in found.content if f[1] <= cue_start and not text[f[1]:cue_start].strip(" ,")]
    after = [f for f in found.content if f[0] >= cue_end and not text[cue_end:f[0]].strip()]
    if not before or not after or text[before[0][1] - 1] not in _CLOSING + ",":
        return None
    speaker = after[0]
    first = text[speaker[0]:speaker[1]].split(" ", 1)[0]
    if text[speaker[0]] in _OPENING or not (first[:1].isupper() or first.lower() in {"the", "a", "an", "one"}):
        return None
    return speaker


def _dateline_at(text: str, start: int) -> Offsets | None:
    """A dateline ("OTTAWA —", "TORONTO (AP) --") at a line start: its place name."""
    if start and text[start - 1] not in "\n":
        return None
    m = _DATELINE.match(text, start)
    if m is None or not _DASH.match(text, m.end()):
        return None
    return start, m.end()


def _around(text: str, span: Offsets, roles: list[Offsets]) -> list[Offsets]:
    """A content without its own cue and source: the pieces on either side of them.

    A quoted piece ends at its closing mark ("…now,” he adds, before leaving" → the
    quotation); after the cue only a quotation that resumes is content.
    """
    inside = [r for r in roles if span[0] <= r[0] and r[1] <= span[1]]
    if not inside:
        return [span]
    left, right = min(r[0] for r in inside), max(r[1] for r in inside)
    pieces = []
    before = trim(text, span[0], left, TRIM_CONTENT)
    if before[1] > before[0]:
        pieces.append(_quoted_part(text, before) or before)
    after = trim(text, right, span[1], TRIM_CONTENT)
    if after[1] > after[0]:
        quoted = _quoted_part(text, after)
        if quoted or text[before[0]:before[0] + 1] not in _OPENING:
            pieces.append(quoted or after)
    return pieces


def _quoted_part(text: str, span: Offsets) -> Offsets | None:
    """The quotation at the start of ``span``, up to its closing mark, or None."""
    if text[span[0]] not in _OPENING:
        return None
    close = closing_mark(text, span[0], span[1])
    return (span[0], close + 1) if close != -1 else None


def _with_closing_mark(text: str, span: Offsets) -> Offsets:
    """A content that stops just before the mark closing its quotation takes the mark in.

    '...will reopen “as soon as the parts arrive.”': the quoted words keep their marks.
    """
    opening = _open_mark(text, span[0], span[1])
    if opening == -1:
        return span
    close = closing_mark(text, opening, min(len(text), span[1] + 3))
    if close == -1 or text[span[1]:close].strip(".,!?;…"):
        return span
    return span[0], close + 1


def _before_next_sentence(text: str, span: Offsets) -> Offsets:
    """A content that runs past a quotation closing a sentence ends there."""
    m = _QUOTE_THEN_SENTENCE.search(text, span[0], span[1])
    return (span[0], m.end()) if m else span


# --- floating and multi-paragraph quotations ---------------------------------------------


def _paragraphs(text: str, skip: list[Offsets]) -> list[_Paragraph]:
    paragraphs = []
    for m in re.finditer(r"[^\n]+", text):
        start, end = trim(text, m.start(), m.end(), " \t\r")
        if end <= start or any(s <= start and end <= e for s, e in skip):
            continue
        paragraphs.append(_Paragraph(start, end, _shape(text, start, end)))
    return paragraphs


def _shape(text: str, start: int, end: int) -> str | None:
    """"whole" for a paragraph that is one quotation, "open" for one left open, else None."""
    if text[start] not in _OPENING or len(re.findall(r"\w+", text[start:end])) < _MIN_WORDS \
            or text[start + 1] in "([":
        return None  # not a statement: '"(CROSSTALK.)"', '“Wow.”'
    close = closing_mark(text, start, end)
    if close == -1:
        return "open"
    return "whole" if close == end - 1 else None


def _is_heading_or_lead(text: str, paragraph: _Paragraph) -> bool:
    """A heading (short, no final punctuation) or a lead-in ending with a colon: a new subject."""
    line = text[paragraph.start:paragraph.end]
    return line.endswith(":") or (len(line.split()) <= 12 and line[-1] not in ".!?" + _CLOSING)


def _floating(doc: Doc, text: str, found: list[Found], skip: list[Offsets]) -> list[Found]:
    quotes = doc_quotations(doc)
    paragraphs = _paragraphs(text, skip)
    index = doc_index(doc)
    starts = [p.start for p in paragraphs]
    contents = [_by_paragraph(text, f.content) for f in found]
    cues_in: dict[int, list[int]] = {}
    owners: dict[int, list[int]] = {}  # paragraph → attributions whose content lies in it
    for n, f in enumerate(found):
        i = bisect_right(starts, f.cue[0]) - 1
        if i >= 0 and f.cue[0] < paragraphs[i].end:
            cues_in.setdefault(i, []).append(n)
        for s, _ in contents[n]:
            j = bisect_right(starts, s) - 1
            if j >= 0 and s < paragraphs[j].end and j != i:
                owners.setdefault(j, []).append(n)
    kinds: dict[int, str] = {}
    anchor: int | None = None  # the attribution a quotation paragraph would continue
    open_quote = False  # the anchor's quotation is still open at the end of the last paragraph
    gap = 0  # narrative paragraphs since the anchor's last fragment

    def own_cues(i: int) -> list[int]:
        return [n for n in cues_in.get(i, []) if not _nested(text, quotes, paragraphs[i], found[n])]

    claimed: set[int] = set()  # paragraphs given to the cue that closes their quotation
    for i, paragraph in enumerate(paragraphs):
        if i in claimed:
            continue
        own = own_cues(i)
        if not own and paragraph.shape == "open" and (later := _cue_after_quotation(text, paragraphs, i, own_cues)):
            # '“A.\n“B,” she said.': the quotation is hers, whatever came before
            k, n = later
            run = [(p.start, p.end) for p in paragraphs[i:k]]
            contents[n] = run + [c for c in contents[n] if not any(s < c[1] and c[0] < e for s, e in run)]
            claimed.update(range(i, k))
            anchor, open_quote, gap = None, False, 0
            continue
        if not own and paragraph.shape and owners.get(i):
            anchor = owners[i][-1]  # already someone's content ("He said:" and the quotation below)
            contents[anchor] = _cover(contents[anchor], paragraph)
            kinds[anchor] = "direct" if _all_quoted(text, contents[anchor]) else ""
            open_quote, gap = paragraph.shape == "open", 0
            continue
        if not own and paragraph.shape and anchor is not None and _continues(
                doc, text, found[anchor], contents[anchor], paragraph, gap, open_quote):
            contents[anchor].append((paragraph.start, paragraph.end))
            kinds[anchor] = "direct" if _all_quoted(text, contents[anchor]) else ""
            open_quote, gap = paragraph.shape == "open", 0
            continue
        if own:
            anchor = max(own, key=lambda n: (_quoting(text, contents[n]), max(e for _, e in contents[n])))
            contents[anchor], open_quote = _run_to_paragraph_end(text, contents[anchor], paragraph)
            gap = 0
            continue
        open_quote = False
        gap += 1
        if paragraph.shape or _is_heading_or_lead(text, paragraph) or any(
                e.label_ == "PERSON" for e in index.ents_in(paragraph.start, paragraph.end)):
            anchor = None  # a quotation of nobody's, a heading, or another person named
    result = []
    for n, f in enumerate(found):
        if tuple(contents[n]) == f.content:
            result.append(f)
            continue
        kind = kinds.get(n) or f.kind
        result.append(replace(f, content=_disjoint(contents[n]), kind=kind or None))
    return result


def _disjoint(content: list[Offsets]) -> tuple[Offsets, ...]:
    """Fragments in text order, overlapping ones joined."""
    merged: list[Offsets] = []
    for s, e in sorted(content):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return tuple(merged)


def _cue_after_quotation(text: str, paragraphs: list[_Paragraph], i: int,
                         own_cues: Callable[[int], list[int]]) -> tuple[int, int] | None:
    """For a quotation opened at paragraph ``i``: the paragraph that closes it and the cue there, if any."""
    k = i + 1
    while k < len(paragraphs) and paragraphs[k].shape == "open":
        k += 1
    if k == len(paragraphs) or paragraphs[k].shape == "whole" or text[paragraphs[k].start] not in _OPENING:
        return None
    cues = own_cues(k)
    return (k, cues[0]) if cues else None


def _by_paragraph(text: str, content: Iterable[Offsets]) -> list[Offsets]:
    """A quotation over several paragraphs as one fragment per paragraph, as references give it."""
    pieces: list[Offsets] = []
    for start, end in content:
        lines = [trim(text, start + m.start(), start + m.end(), TRIM_CONTENT)
                 for m in re.finditer(r"[^\n]+", text[start:end])]
        lines = [(s, e) for s, e in lines if e > s]
        if len(lines) > 1 and all(text[s] in _OPENING for s, _ in lines):
            pieces += lines
        else:
            pieces.append((start, end))
    return pieces


def _cover(content: list[Offsets], paragraph: _Paragraph) -> list[Offsets]:
    """The fragment inside a quotation paragraph widened to the whole paragraph."""
    return [(paragraph.start, paragraph.end) if paragraph.start <= s and e <= paragraph.end else (s, e)
            for s, e in content]


def _nested(text: str, quotes: list[Offsets], paragraph: _Paragraph, found: Found) -> bool:
    """A cue inside a quotation is the speaker's own words ("I think"), not a new speaker."""
    if any(s < found.cue[0] and found.cue[1] <= e for s, e in quotes):
        return True
    if paragraph.shape == "whole":
        return True
    source = text[found.source[0]:found.source[1]].lower() if found.source else ""
    return paragraph.shape == "open" and source in {"", "i", "we", "you"}


def _quoting(text: str, content: list[Offsets]) -> bool:
    return any(c in text[s:e] for s, e in content for c in _OPENING)


def _all_quoted(text: str, content: list[Offsets]) -> bool:
    """Every fragment a quotation, closed or continued by the next fragment: a direct quote."""
    for n, (s, e) in enumerate(content):
        if text[s] not in _OPENING:
            return False
        close = closing_mark(text, s, e)
        if close == -1 and n == len(content) - 1:
            return False  # left open at the end
        if close != -1 and text[close + 1:e].strip(" ,.;:!?"):
            return False  # words after the quotation: a mixed quote
    return True


def _run_to_paragraph_end(text: str, content: list[Offsets], paragraph: _Paragraph) -> tuple[list[Offsets], bool]:
    """A quotation left open at the end of its paragraph: the fragment runs to the paragraph's end.

    The model often stops such a fragment at the first sentence end; the quotation goes on
    (into the next paragraphs, which the caller adds).
    """
    if not content:
        return content, False
    start, end = content[-1]
    if not paragraph.start <= start < paragraph.end or _open_mark(text, start, paragraph.end) == -1:
        return content, False
    return content[:-1] + [(start, paragraph.end)], True


def _open_mark(text: str, start: int, end: int) -> int:
    """The opening mark in text[start:end] that no mark closes before ``end``, or -1."""
    k = start
    while k < end:
        # a straight mark after a word or punctuation closes ('Congress," he said'): no opening
        if text[k] in _OPENING and (text[k] != "\"" or k == 0 or text[k - 1].isspace() or text[k - 1] in "([—–-"):
            close = closing_mark(text, k, end)
            if close == -1:
                return k
            k = close
        k += 1
    return -1


def _continues(doc: Doc, text: str, anchor: Found, content: list[Offsets], paragraph: _Paragraph,
               gap: int, open_quote: bool) -> bool:
    """Whether a quotation paragraph continues the anchor's speaker.

    An open quotation goes on in the next paragraph; a paragraph that directly follows
    the attribution continues it; past one narrative paragraph, only a direct or mixed
    quote continues, and only when no other person is named in between.
    """
    if open_quote and gap == 0:
        return True
    if gap > _MAX_GAP or (gap and not _quoting(text, content)):
        return False
    last = max([anchor.cue[1]] + [e for _, e in content] + ([anchor.source[1]] if anchor.source else []))
    source = text[anchor.source[0]:anchor.source[1]] if anchor.source else ""
    index = doc_index(doc)
    # persons named after the anchor's sentence: a reader would take the quote as theirs
    token = doc.char_span(last - 1, last, alignment_mode="expand")
    sent_end = index.sent_of(token[0].i).end_char if token is not None and len(token) else last
    for ent in index.ents_in(sent_end, paragraph.start):
        if ent.label_ == "PERSON" and ent.text.split()[-1] not in source:
            return False
    return True
