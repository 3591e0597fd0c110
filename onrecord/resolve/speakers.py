"""The speaker of an attribution: from its source, or, without one, from the verb its cue
depends on ("In announcing his retirement, Meadows ...") or the one who asked ("Asked
whether ..., Ortiz said": the asker, not Ortiz).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Span as SpacySpan, Token

from ..attribute.candidates import Found, Offsets
from ..lexicon import ANONYMOUS_NOUNS, QUESTION
from ..models import Attribution, Speaker
from ..names import clean_name
from .context import ArticleContext, root_of, tokens_at
from .describe import Describer
from .pronouns import RESOLVED, Pronouns

# "quoted Sergei Lavrov as saying": who is quoted, before "as saying"
_QUOTED_AS = re.compile(r"([^,;:\"“”]{2,100}?)\s+as\s+(?:saying|telling|stating|writing|arguing|adding|claiming)\b")


class Speakers:
    """Finds the speaker of each attribution of one article (`speaker`), in text order."""

    def __init__(self, context: ArticleContext) -> None:
        self.context = context
        self.doc = context.doc
        self.index = context.index
        self.text = context.text
        self.describer = Describer(context)
        self.pronouns = Pronouns(context, self.describer)

    def speaker(self, source: Offsets | None, found: Found, resolved: list[Attribution]) -> Speaker:
        """The speaker of ``found`` from its ``source``: the phrase described, a pronoun's
        antecedent among the speakers ``resolved`` before it, or the one a medium quotes; with
        no source, the subject of the conjoined or governing verb, or the asker."""
        if source is None:
            if found.inherited_source is not None:
                inherited = self.speaker(found.inherited_source, found, resolved)
                return replace(inherited, resolved_from="(subject of the conjoined verb)")
            governing = self._governing(found)
            if governing is not None:
                cue, verb, subject = governing
                offsets = self._subject_offsets(subject)
                said = self.speaker(offsets, replace(found, source=offsets), resolved)
                if _addressed(cue):
                    return self._asker(cue, verb, said, resolved)
                return replace(said, resolved_from="(subject of the governing verb)")
            return Speaker()
        span = tokens_at(self.doc, source)
        if span is None or not len(span):
            return Speaker(name=clean_name(self.text[source[0]:source[1]]))
        root = root_of(span)
        if len(span) == 1 and root.lower_ in RESOLVED:
            return self.pronouns.speaker(root, found, resolved)
        if not any(t.pos_ in {"NOUN", "PROPN", "NUM"} or t.text[:1].isupper() and t.is_alpha
                   and t.pos_ not in {"DET", "ADV", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "PRON"} for t in span) \
                and root.lemma_.lower() not in ANONYMOUS_NOUNS:
            return Speaker()  # "here", "An", "you", "Some": no speaker is named by a function word
        quoted = self._quoted_speaker(found)
        if quoted is not None:
            return quoted
        described = self.describer.describe(span)
        if described.type == "person" and described.name is None and described.role and span[0].lower_ == "the":
            return self._speaker_so_titled(span, described.role, resolved) or described
        return described

    def _quoted_speaker(self, found: Found) -> Speaker | None:
        """ "TASS quoted Foreign Minister Sergei Lavrov as saying …": the medium reports, the one
        it quotes speaks."""
        cue = tokens_at(self.doc, found.cue)
        if cue is None or not found.content or root_of(cue).lemma_.lower() != "quote":
            return None
        start, end = found.content[0]
        match = _QUOTED_AS.match(self.text, start, end)
        if match is None:
            return None
        span = self.doc.char_span(start, start + len(match[1]), alignment_mode="expand")
        if span is None or not len(span):
            return None
        speaker = self.describer.describe(span)
        return replace(speaker, resolved_from=clean_name(self.text[found.source[0]:found.source[1]])
                       if found.source else None)

    def _speaker_so_titled(self, span: SpacySpan, role: str, resolved: list[Attribution]) -> Speaker | None:
        """ "Chris Grayling warned … Speaking in the Commons, the Conservative MP said": a title
        that no earlier name carried refers back to the named person who spoke last, within a
        few sentences, where nothing known of that person contradicts it (journalists vary
        the mention rather than repeat the name)."""
        title = root_of(span).lemma_.lower()
        earliest = self.index.sent_of(span[0].i)
        for _ in range(2):  # this sentence and the two before it
            if earliest.start == 0:
                break
            earliest = self.index.sent_of(earliest.start - 1)
        for attribution in reversed(resolved):
            if attribution.source is None or attribution.source.start >= span.start_char:
                continue
            if attribution.source.start < earliest.start_char:
                break
            if not self.context.visible_from(attribution.source.start, span.start_char):
                continue
            speaker = attribution.speaker
            if speaker.type != "person" or not speaker.name:
                return None  # the last speaker is no named person: the title may be anyone's
            if speaker.role and title not in speaker.role.lower():
                return None  # "Transport Secretary Grant Shapps", then "the Conservative MP"
            return replace(speaker, role=role, resolved_from=clean_name(span.text))
        return None

    def _subject_offsets(self, subject: Token) -> Offsets:
        """A subject's characters, with its name entity whole."""
        start, end = subject.left_edge.i, subject.i + 1
        ent = self.index.ent_at(subject.i)
        if ent is not None:
            start, end = min(start, ent.start), max(end, ent.end)
        return self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text)

    def _governing(self, found: Found) -> tuple[Token, Token, Token] | None:
        """The verb of a subjectless cue, the verb it depends on and that verb's subject: "Walker
        spent weeks before announcing he would retire", "In announcing his retirement, Meadows ..."."""
        span = tokens_at(self.doc, found.cue)
        if span is None:
            return None
        cue = verb = root_of(span)
        if verb.pos_ != "VERB" or any(c.dep_ in {"nsubj", "nsubjpass", "expl", "auxpass"} for c in verb.children):
            return None  # its own subject, or a passive ("is expected to ...") that names no speaker
        for _ in range(3):
            if verb.dep_ not in {"advcl", "pcomp", "xcomp", "conj", "prep", "pobj"} or verb.head.i == verb.i:
                return None
            verb = verb.head
            if verb.pos_ not in {"VERB", "AUX"}:
                continue
            subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is not None:
                return cue, verb, subject
        return None

    def _asker(self, cue: Token, verb: Token, asked: Speaker, resolved: list[Attribution]) -> Speaker:
        """Who put the question ``cue`` to ``asked``, the subject of ``verb``: the agent ("Asked
        by reporters"), the person the answer went to ("…, Scott told co-host Gayle King"), else
        the named person who last asked a question in the article (an interview's interviewer);
        else unknown."""
        agents = [g for c in cue.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agents:
            agent = agents[0]
            span = self.doc[agent.left_edge.i:agent.right_edge.i + 1]
            return self.describer.describe(span)  # the source, after the cue
        if cue.lemma_.lower() not in QUESTION:
            return Speaker()  # "Told of the decision, Hale said …": the teller is not named
        for child in verb.children:
            if child.dep_ in {"dobj", "dative"}:
                ent = self.index.ent_at(child.i)
                if ent is not None and ent.label_ == "PERSON":
                    return replace(self.describer.describe(self.describer.whole_name(ent)), resolved_from=clean_name(ent.text))
        for attribution in reversed(resolved):
            speaker = attribution.speaker
            if attribution.stance == "question" and speaker.type == "person" and speaker.name \
                    and speaker.name != asked.name:
                return replace(speaker, resolved_from="(who asked before)")
        return Speaker()


def _addressed(cue: Token) -> bool:
    """ "Asked whether …, Ortiz said": a cue in the passive participle, depending on a verb,
    tells what was put to that verb's subject, who is then its addressee, not its speaker. (The
    tagger reads a sentence-opening "Asked" as often as VBD: with no subject of its own, it is
    the participle either way.)"""
    return cue.tag_ in {"VBN", "VBD"} and cue.dep_ == "advcl"
