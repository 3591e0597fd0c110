"""Precision of `onrecord verify` on statements drawn from a store and altered in known ways.

    python scripts/measure_verify.py STORE_DB ABSENT_TEXT_DIR [--n 200] [--seed 13]

For each sampled statement (8-60 words): the words as stored (expect verbatim), one content
word replaced by a word from another statement (expect altered), "not" added after the
first auxiliary verb (expect altered, flagged "negation added"), the words as stored but
asked about another speaker (expect: not on record from that speaker), plus sentences of
texts that were never ingested (expect not found). Prints the share of right verdicts.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

from onrecord.store import open_store
from onrecord.verify import STOPWORDS, tokens, verify

AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|does|did|do|must|may|might)\b")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("absent", help="folder of .txt files never ingested")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with open_store(args.db) as store:
        every = store.quotes(limit=100_000)
        pool = [q for q in every if 8 <= len(tokens(q.attribution.content_text)) <= 60]
        vocab = sorted({t.norm for q in every for t in tokens(q.attribution.content_text)
                        if t.norm.isalpha() and t.norm not in STOPWORDS and len(t.norm) > 3})
        people = [q for q in every
                  if q.attribution.speaker.type == "person" and q.speaker_id is not None and q.speaker_name]
        sample = rng.sample(pool, min(args.n, len(pool)))
        right: Counter[str] = Counter()
        total: Counter[str] = Counter()
        wrong: list[dict[str, str]] = []

        def score(case: str, ok: bool, quote: str, got: str) -> None:
            total[case] += 1
            right[case] += ok
            if not ok and len(wrong) < 40:
                wrong.append({"case": case, "quote": quote, "got": got})

        for q in sample:
            words = q.attribution.content_text.split()
            top = verify(store, q.attribution.content_text)[0]
            score("verbatim", top.verdict == "verbatim", q.attribution.content_text, top.verdict)

            content = [i for i, w in enumerate(words) if w.isalpha() and w.lower() not in STOPWORDS and len(w) > 3]
            if content:
                i = rng.choice(content)
                changed = list(words)
                changed[i] = rng.choice([w for w in vocab if w != words[i].lower()])
                quote = " ".join(changed)
                top = verify(store, quote)[0]
                score("word changed", top.verdict == "altered", quote, top.verdict)

            m = AUX.search(q.attribution.content_text)
            if m and not re.match(r"\s+(not|n't|never)\b", q.attribution.content_text[m.end():]):
                quote = q.attribution.content_text[:m.end()] + " not" + q.attribution.content_text[m.end():]
                top = verify(store, quote)[0]
                score("negation added", top.verdict == "altered" and any("negation added" in n for n in top.notes),
                      quote, f"{top.verdict} {list(top.notes)}")

            others = [p for p in people if p.speaker_id != q.speaker_id and p.speaker_name != q.speaker_name]
            if others:
                other = rng.choice(others).speaker_name
                found = verify(store, q.attribution.content_text, speaker=other)
                ok = not any(v.said_by_speaker for v in found)
                score("other speaker", ok, f"{q.attribution.content_text} [{other}]", found[0].verdict)

        absent = [s.strip() for p in sorted(Path(args.absent).glob("*.txt"))
                  for s in re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8")) if 8 <= len(s.split()) <= 40]
        stored = {" ".join(t.norm for t in tokens(q.attribution.content_text)) for q in every}
        for sentence in rng.sample(absent, min(args.n, len(absent))):
            norm = " ".join(t.norm for t in tokens(sentence))
            if any(norm in s or s in norm for s in stored if len(s) > 20):
                continue  # happens to be in the store after all
            top = verify(store, sentence)[0]
            score("absent", top.verdict == "not_found", sentence, top.verdict)

    report = {case: {"right": right[case], "total": total[case], "share": round(right[case] / total[case], 3)}
              for case in total}
    report["all"] = {"right": sum(right.values()), "total": sum(total.values()),
                     "share": round(sum(right.values()) / sum(total.values()), 3)}
    json.dump({"figures": report, "wrong": wrong}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()
