"""The link stage at scale, step by step (``python -m benchmarks.linking``, or
``python -m benchmarks.store --link``).

Synthetic attributions stand in for a news crawl (no database). Three kinds of stage, each
in a fresh process, so one stage's memory is not another's:

- ``speakers``: `canonicalize` over speakers with many written variants (full names, middle
  initials, titles, bare surnames, epithets, organisations in several spellings, anonymous
  sources of many outlets);
- ``claims``: `cluster` over statements given as sentence vectors (no encoder, no parse), most
  of them alone, many in families of near-duplicates (wire copies, paraphrases around one
  claim), all on a few shared topics as real sentence vectors are: the nearest-neighbour
  index alone, cheap enough to run at a million;
- ``sentences``: what `onrecord link` does after the speakers, on written statements built
  from templates (`synthetic_contents`: varied names, places, figures and dates; claims
  reported in other words, copied, denied, negated and given with another figure or date):
  the encoder over the distinct texts (``encode``), then `claims.link` with its structured
  step, spaCy's parse of every statement in a candidate pair timed apart (``link``), then
  each claim's contradictions and label and the contradictions between claims
  (``contradictions``), as `link.stored.link_claims` runs them. The database reads and
  writes are not in it (`onrecord link` on a real store has them; docs/benchmarks.md).

Peak memory is the process's peak resident size after the step (models included).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import time
from queue import Empty
from collections.abc import Callable
from typing import Any

import click

from onrecord.link.claims import Statement

DIM = 384
TITLES = ("Senator", "President", "Gov.", "Dr.", "Mr.", "Ms.", "Secretary", "Rep.")
EPITHETS = ("Crooked", "Sleepy", "Little", "Crazy")
OUTLETS = 400
SYLLABLES = ("ka", "lo", "mi", "ra", "den", "vi", "sto", "ne", "ber", "tan", "ol", "gu", "rie", "shi", "mon", "da",
             "fel", "zo", "ha", "pri")


def _word(rng: Any, low: int, high: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(int(rng.integers(low, high + 1)))).capitalize()


def synthetic_speakers(n_attributions: int, seed: int = 7) -> list[Any]:
    """The raw speakers (`RawSpeaker`, one per raw key) of ``n_attributions`` synthetic attributions.

    About 70% name a person (one of n/10 people, a few quoted often and most rarely, one
    in eight sharing a surname with another), written as "First Last", "First M. Last",
    with a title, as a bare surname or with an epithet; 15% an organisation or medium (one of n/200, in three
    spellings); 15% an anonymous source (one of 300 descriptions, of 400 outlets).
    """
    import numpy as np

    from onrecord.link.speakers import RawSpeaker
    from onrecord.names import speaker_key
    from onrecord.models import Speaker

    rng = np.random.default_rng(seed)
    n_people, n_orgs = max(10, n_attributions // 10), max(5, n_attributions // 200)
    surnames = [_word(rng, 2, 3) for _ in range(n_people)]
    for n in range(0, n_people, 8):  # one in eight shares a surname with the person before
        if n:
            surnames[n] = surnames[n - 1]
    firsts = [_word(rng, 1, 2) for _ in range(n_people)]
    orgs = [_word(rng, 2, 4) + " " + rng.choice(["Institute", "Party", "Council", "News", "Group"])
            for _ in range(n_orgs)]
    descriptions = [f"{rng.choice(['senior', 'a', 'two', 'several'])} {_word(rng, 1, 2).lower()} "
                    f"{rng.choice(['official', 'source', 'aide', 'diplomat'])}" for _ in range(300)]
    raw: dict[str, RawSpeaker] = {}
    kinds = rng.random(n_attributions)
    people = (n_people * rng.random(n_attributions) ** 2.5).astype(np.int64)  # a few often, most rarely
    variants = rng.integers(0, 10, n_attributions)
    for n in range(n_attributions):
        outlet = f"outlet{n % OUTLETS}"
        date = f"20{15 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        if kinds[n] < 0.70:
            p = int(people[n])
            first, last, v = firsts[p], surnames[p], variants[n]
            name = (f"{first} {last}" if v < 5 else f"{first} {first[0]}. {last}" if v < 6
                    else f"{TITLES[p % len(TITLES)]} {first} {last}" if v < 8 else last if v < 9
                    else f"{EPITHETS[p % len(EPITHETS)]} {first} {last}")
            speaker = Speaker(name=name, type="person", role=TITLES[p % len(TITLES)] if v == 7 else None)
        elif kinds[n] < 0.85:
            org = orgs[int(people[n]) % n_orgs]
            name = (org, org.upper(), "the " + org)[n % 3]
            speaker = Speaker(name=name, type="media" if org.endswith("News") else "organization")
        else:
            speaker = Speaker(type="anonymous", description=descriptions[int(people[n]) % 300])
        key = speaker_key(speaker, source=None, outlet=outlet)
        if key is not None:
            raw.setdefault(key, RawSpeaker(key)).add(speaker.name, speaker.role, 1, date, date, outlet,
                                                     speaker.description)
    return list(raw.values())


def synthetic_statements(n: int, seed: int = 7) -> tuple[Any, list[Statement]]:
    """Unit vectors of ``n`` statements and the statements (ten per article).

    Half stand alone; half belong to claims (n/40 of them, Zipf-sized, so a few are reported
    hundreds of times), each member a paraphrase (cosine to the claim about 0.85-0.97) or,
    one time in three, a copy of a text already used (the same vector).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n_claims = max(2, n // 40)
    topics = rng.standard_normal((40, DIM)).astype(np.float32)
    centres = rng.standard_normal((n_claims, DIM)).astype(np.float32) + 0.7 * topics[rng.integers(0, 40, n_claims)]
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(n, start + 100_000) - start
        chunk = rng.standard_normal((m, DIM)).astype(np.float32) + 0.7 * topics[rng.integers(0, 40, m)]
        chunk /= np.linalg.norm(chunk, axis=1, keepdims=True)
        member = rng.random(m) < 0.5
        claim = np.minimum(rng.zipf(1.5, m) - 1, n_claims - 1)[member]
        noise = rng.standard_normal((len(claim), DIM)).astype(np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        paraphrase = centres[claim] + noise * rng.uniform(0.25, 0.6, (len(claim), 1)).astype(np.float32)
        chunk[member] = paraphrase / np.linalg.norm(paraphrase, axis=1, keepdims=True)
        vectors[start:start + m] = chunk
    copies = np.nonzero(rng.random(n) < 1 / 6)[0]  # a third of the claims' members (half of all)
    copies = copies[copies > 0]
    vectors[copies] = vectors[rng.integers(0, copies)]  # an earlier text, word for word
    statements = [Statement(i, i // 10, i % 10, None, None, "assert", "") for i in range(n)]
    return vectors, statements


# Written statements from templates: a subject, a predicate (with its paraphrases and its
# negation), an object (some with a figure) and a time or place, so that statements on one
# topic share words, as news statements do, and differ by a name, a figure or a date.
FIRST_NAMES = ("Maria", "James", "Olena", "Ahmed", "Sofia", "Daniel", "Mei", "Fatima", "Carlos", "Anna", "Peter",
               "Grace", "Ivan", "Amara", "Lucas", "Hannah", "Omar", "Elena", "Samuel", "Yuki", "Rachel", "Tomasz",
               "Nadia", "George", "Priya", "Kwame", "Laura", "Viktor", "Chloe", "Mateo")
SURNAMES = ("Kowalski", "Okafor", "Brennan", "Haddad", "Lindqvist", "Moreau", "Petrenko", "Tanaka", "Alvarez",
            "Schmidt", "Novak", "Mensah", "Rossi", "Bauer", "Costa", "Duarte", "Fischer", "Ivanova", "Jensen",
            "Kaplan", "Larsen", "Murphy", "Nakamura", "Oliveira", "Popescu", "Quinn", "Reyes", "Silva", "Turner",
            "Walsh", "Yilmaz", "Zielinski", "Horvat", "Eriksen", "Dubois", "Romano", "Sato", "Chen", "Kumar", "Ward")
PLACES = ("Ohio", "Texas", "Kyiv", "Warsaw", "Lagos", "Nairobi", "Manila", "Lyon", "Bavaria", "Quebec", "Florida",
          "Arizona", "Odesa", "Gdansk", "Porto", "Seville", "Osaka", "Perth", "Ontario", "Punjab", "Kherson",
          "Michigan", "Nevada", "Georgia", "Kenya", "Ghana", "Chile", "Peru", "Romania", "Serbia", "Hungary",
          "Bavaria", "Scotland", "Wales", "Sicily", "Crete", "Cyprus", "Malta", "Iowa", "Oregon")
ORGS = ("the city council", "the central bank", "the health ministry", "Acme Steel", "Northwind Energy",
        "the transport authority", "the teachers' union", "the state police", "Globex", "the finance ministry",
        "the defence ministry", "Union Rail", "the election commission", "the port authority", "Helios Power",
        "the World Bank", "the European Commission", "the Red Cross", "the army", "the governor's office")
PREDICATES = (  # paraphrases of one predicate, then its negation
    (("will cut", "is going to cut", "plans to cut"), "will not cut"),
    (("has approved", "approved", "gave final approval to"), "has not approved"),
    (("will build", "is set to build", "plans to build"), "will not build"),
    (("rejected", "turned down", "refused"), "did not reject"),
    (("is investigating", "has opened an inquiry into", "is looking into"), "is not investigating"),
    (("will close", "is closing", "plans to shut"), "will not close"),
    (("has banned", "banned", "outlawed"), "has not banned"),
    (("will expand", "is expanding", "plans to enlarge"), "will not expand"),
    (("signed a deal for", "agreed to buy", "struck a deal for"), "did not sign a deal for"),
    (("will raise taxes on", "plans higher taxes on", "is going to increase taxes on"), "will not raise taxes on"),
    (("blocked", "stopped", "halted"), "did not block"),
    (("knew about", "was aware of", "had been told about"), "did not know about"),
    (("paid for", "financed", "funded"), "did not pay for"),
    (("will sell", "plans to sell", "is selling"), "will not sell"),
    (("hid", "concealed", "covered up"), "did not hide"),
    (("will deliver", "is to deliver", "promised to deliver"), "will not deliver"),
)
OBJECTS = ("{fig} jobs", "{fig} new homes", "a {fig}-bed hospital", "{fig} troops", "{fig} electric buses",
           "{fig} tonnes of grain", "{fig} school places", "{fig} hectares of forest", "the new pipeline",
           "the border crossing", "the pension reform", "the coal plant", "the trade agreement with {place2}",
           "fuel subsidies", "the vaccine programme", "the airport expansion", "the steel mill", "the water contract",
           "the emails about {place2}", "the report on {place2}", "the wind farm", "the railway line to {place2}",
           "the tax on sugar", "the mining permits", "the refugee camp", "the arms shipment to {place2}")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WHEN = ("in {place}", "by {month} {year}", "on {month} {day}", "in {place} by {month} {year}", "in {year}",
        "last year", "in {place} last week", "before the election", "in {place} on {month} {day}", "")


def _fill(rng: Any, template: str, slots: dict[str, str]) -> str:
    return template.format(**slots) if "{" in template else template


def _slots(rng: Any) -> dict[str, str]:
    figure = int(rng.choice([rng.integers(2, 100), rng.integers(100, 1000), rng.integers(1, 90) * 1000]))
    return {"fig": f"{figure:,}", "place": str(rng.choice(PLACES)), "place2": str(rng.choice(PLACES)),
            "month": str(rng.choice(MONTHS)), "day": str(rng.integers(1, 29)), "year": str(rng.integers(2015, 2027))}


def _subject(rng: Any) -> str:
    kind = rng.random()
    if kind < 0.5:
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    if kind < 0.85:
        return str(rng.choice(ORGS))
    return f"the government of {rng.choice(PLACES)}"


def _proposition(rng: Any) -> dict[str, Any]:
    """One proposition: its parts, from which statements of it are written."""
    return {"subject": _subject(rng), "predicate": int(rng.integers(len(PREDICATES))),
            "object": str(rng.choice(OBJECTS)), "when": str(rng.choice(WHEN)), "slots": _slots(rng)}


def _write(rng: Any, p: dict[str, Any], negated: bool = False, framed: bool = False) -> str:
    """A statement of the proposition, its predicate in one of its paraphrases (or negated)."""
    words, negation = PREDICATES[p["predicate"]]
    predicate = negation if negated else str(rng.choice(words))
    text = " ".join(w for w in (p["subject"], predicate, _fill(rng, p["object"], p["slots"]),
                                _fill(rng, p["when"], p["slots"])) if w)
    if framed:
        text = "it is not true that " + text
    return ("that " + text) if rng.random() < 0.6 else text


def synthetic_contents(n: int, seed: int = 7) -> list[Statement]:
    """``n`` written statements, ten per article, of many speakers.

    As `synthetic_statements`, half stand alone (each a proposition of its own) and half belong to
    claims (n/40 of them), but the claim of a member is drawn as n/40·u² (u uniform): the first
    claims are reported most (the largest about 1,000 times at 100,000 statements, 1% of those
    in claims) without the Zipf head of `synthetic_statements`, whose largest claim would hold a
    fifth of all statements and make the contradictions within it quadratic in a way that says
    more about the draw than about news. One member in three is a copy of an earlier text; the other
    members write the claim's proposition with another paraphrase of its predicate, or deny it
    (stance deny, 5%), negate it (3%), frame it ("it is not true that", 2%), or give it with
    another figure or date (5%: a contradiction between claims when the rest is the same).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    n_claims = max(2, n // 40)
    claims = [_proposition(rng) for _ in range(n_claims)]
    written: list[list[str]] = [[] for _ in range(n_claims)]
    out = []
    for i in range(n):
        stance = "assert"
        if rng.random() < 0.5:
            content = _write(rng, _proposition(rng))
        else:
            c = int(n_claims * rng.random() ** 2)
            p, roll = claims[c], rng.random()
            if written[c] and roll < 1 / 3:
                content = written[c][int(rng.integers(len(written[c])))]
            elif roll < 1 / 3 + 0.05:
                content, stance = _write(rng, p), "deny"
            elif roll < 1 / 3 + 0.08:
                content = _write(rng, p, negated=True)
            elif roll < 1 / 3 + 0.10:
                content = _write(rng, p, framed=True)
            elif roll < 1 / 3 + 0.15:
                content = _write(rng, {**p, "slots": _slots(rng)})
            else:
                content = _write(rng, p)
                written[c].append(content)
        out.append(Statement(i, i // 10, i % 10, None, int(rng.integers(max(2, n // 10))), stance, content))
    return out


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _vectors_path(workdir: str, n: int) -> str:
    return f"{workdir}/vectors-{n}.npy"


def _encode(n: int, workdir: str) -> list[dict[str, Any]]:
    """The encoder over the distinct texts of ``n`` statements, as `link.stored.vectors` calls it
    (in chunks of `EMBED_CHUNK`); the vectors are kept for the ``link`` step."""
    import numpy as np

    from onrecord.link.claims import claim_text
    from onrecord.link.embeddings import load_encoder
    from onrecord.link.stored import EMBED_CHUNK

    statements = synthetic_contents(n)
    texts = [claim_text(st.content) for st in statements]
    unique = list(dict.fromkeys(texts))
    before = _rss_mb()
    start = time.perf_counter()
    encoder = load_encoder()
    loaded = time.perf_counter() - start
    parts = [encoder.encode(unique[s:s + EMBED_CHUNK]) for s in range(0, len(unique), EMBED_CHUNK)]
    seconds = time.perf_counter() - start - loaded
    computed = np.concatenate(parts)
    row = {text: r for r, text in enumerate(unique)}
    np.save(_vectors_path(workdir, n), computed[[row[t] for t in texts]])
    return [{"stage": "encode", "distinct_texts": len(unique), "model_load_s": round(loaded, 2),
             "seconds": round(seconds, 2), "texts_per_s": round(len(unique) / max(seconds, 1e-9)),
             "rss_before_mb": round(before), "peak_rss_mb": _peak_mb()}]


def _link(n: int, workdir: str) -> list[dict[str, Any]]:
    """`claims.link` (structured) with the parse timed apart, then the contradictions and labels,
    as `link.stored.link_claims` runs them over its statements and vectors."""
    import numpy as np

    from onrecord.link import propositions
    from onrecord.link.claims import THRESHOLD, label_of, link
    from onrecord.link.contradictions import between, contradictions_in
    from onrecord.nlp import load_nlp

    statements = synthetic_contents(n)
    vectors = np.load(_vectors_path(workdir, n))
    before = _rss_mb()
    start = time.perf_counter()
    load_nlp()
    loaded = time.perf_counter() - start
    parsed = {"seconds": 0.0, "rows": 0}
    parse_all = propositions.parse_all

    def timed_parse_all(contents: Any) -> Any:
        contents = list(contents)
        began = time.perf_counter()
        try:
            return parse_all(contents)
        finally:
            parsed["seconds"] += time.perf_counter() - began
            parsed["rows"] += len(contents)

    propositions.parse_all = timed_parse_all  # `link` imports it when it runs: the patched one
    start = time.perf_counter()
    try:
        linked = link(vectors, statements, THRESHOLD)
    finally:
        propositions.parse_all = parse_all
    seconds = time.perf_counter() - start
    link_row = {"stage": "link", "candidate_pairs": len(linked.candidates), "parsed": parsed["rows"],
                "claims": len(linked.groups), "in_claims": sum(len(g) for g in linked.groups),
                "largest_claim": max((len(g) for g in linked.groups), default=0),
                "model_load_s": round(loaded, 2), "parse_s": round(parsed["seconds"], 2),
                "seconds": round(seconds, 2), "rss_before_mb": round(before), "peak_rss_mb": _peak_mb()}
    start = time.perf_counter()
    claim_of: dict[int, int] = {}
    found = labels = 0
    for c, members in enumerate(linked.groups):
        label_of(members, statements)
        labels += 1
        found += len(contradictions_in(members, statements, vectors))
        claim_of.update({m: c for m in members})
    across = between(linked.candidates, claim_of, statements, linked.propositions)
    seconds = time.perf_counter() - start
    return [link_row, {"stage": "contradictions", "within_claims": found, "between_claims": len(across),
                       "labels": labels, "seconds": round(seconds, 2), "rss_before_mb": link_row["peak_rss_mb"],
                       "peak_rss_mb": _peak_mb()}]


def _stage(kind: str, n: int, workdir: str, queue: Any) -> None:
    """In a fresh process: make the data, then time one stage and note its peak memory."""
    if kind in ("encode", "link"):
        queue.put((_encode if kind == "encode" else _link)(n, workdir))
        return
    if kind == "speakers":
        from onrecord.link.speakers import canonicalize

        raw = synthetic_speakers(n)
        before = _rss_mb()
        start = time.perf_counter()
        out: Any = canonicalize(raw)
        figures = {"raw_keys": len(raw), "speakers": len(out)}
    else:
        from onrecord.link.claims import cluster

        vectors, statements = synthetic_statements(n)
        before = _rss_mb()
        start = time.perf_counter()
        out = cluster(vectors, statements)
        figures = {"claims": len(out), "in_claims": sum(len(g) for g in out)}
    seconds = time.perf_counter() - start
    queue.put([{"stage": kind, **figures, "seconds": round(seconds, 2), "rss_before_mb": round(before),
                "peak_rss_mb": _peak_mb()}])


def measure_stage(kind: str, n: int, workdir: str = "") -> list[dict[str, Any]]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_stage, args=(kind, n, workdir, queue))
    process.start()
    while True:  # a child that dies (an import error, the OOM killer) must not leave us waiting forever
        try:
            result = queue.get(timeout=5)
            break
        except Empty:
            if not process.is_alive():
                raise RuntimeError(f"the {kind} stage at {n:,} attributions died (exit {process.exitcode})") from None
    process.join()
    return list(result)


STAGES = ("speakers", "claims", "sentences")


def run_link_benchmark(sizes: list[int], log: Callable[[str], None] = lambda m: None,
                       stages: tuple[str, ...] = ("speakers", "claims")) -> dict[str, Any]:
    """Time the stages (`STAGES`) at each number of attributions."""
    import tempfile

    results = []
    with tempfile.TemporaryDirectory(prefix="bench-link-") as workdir:
        for n in sizes:
            for kind in stages:
                for step in (("encode", "link") if kind == "sentences" else (kind,)):
                    for figures in measure_stage(step, n, workdir):
                        figures = {"attributions": n, **figures}
                        log(f"{figures['stage']} at {n:,}: {figures}")
                        results.append(figures)
    return {"date": time.strftime("%Y-%m-%d"), "cpus": multiprocessing.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()], "results": results}


def extrapolate(results: list[dict[str, Any]], target: int) -> list[dict[str, Any]]:
    """Each stage's time and peak memory at ``target``, from its two largest sizes: time by the
    power law through them (the growth observed, ``exponent``), memory by the straight line
    through them (MB per statement, the models' fixed cost included). An estimate, not a
    measurement: the stages that grow faster than that past the sizes run are not seen."""
    import math

    out = []
    for stage in dict.fromkeys(r["stage"] for r in results):
        runs = sorted((r for r in results if r["stage"] == stage), key=lambda r: r["attributions"])
        if len(runs) < 2 or runs[-1]["attributions"] >= target:
            continue
        a, b = runs[-2], runs[-1]
        ratio = b["attributions"] / a["attributions"]
        if ratio <= 1:
            continue
        exponent = math.log(max(b["seconds"], 0.01) / max(a["seconds"], 0.01)) / math.log(ratio)
        seconds = b["seconds"] * (target / b["attributions"]) ** exponent
        per_statement = (b["peak_rss_mb"] - a["peak_rss_mb"]) / (b["attributions"] - a["attributions"])
        peak = b["peak_rss_mb"] + per_statement * (target - b["attributions"])
        out.append({"stage": stage, "from": [a["attributions"], b["attributions"]], "exponent": round(exponent, 2),
                    "attributions": target, "seconds": round(seconds), "peak_rss_mb": round(peak)})
    return out


def _what(r: dict[str, Any]) -> str:
    if r["stage"] == "speakers":
        return f"{r['raw_keys']:,} raw keys -> {r['speakers']:,} speakers"
    if r["stage"] == "claims":
        return f"{r['claims']:,} claims of {r['in_claims']:,} statements"
    if r["stage"] == "encode":
        return f"{r['distinct_texts']:,} distinct texts, {r['texts_per_s']:,}/s (model load {r['model_load_s']} s)"
    if r["stage"] == "link":
        return (f"{r['candidate_pairs']:,} candidate pairs, {r['parsed']:,} parsed in {r['parse_s']} s; "
                f"{r['claims']:,} claims of {r['in_claims']:,} (spaCy load {r['model_load_s']} s)")
    return (f"{r['within_claims']:,} within claims, {r['between_claims']:,} between, "
            f"{r['labels']:,} labels")


def format_link_report(figures: dict[str, Any]) -> str:
    load = figures.get("load_average")
    lines = [f"bench-link {figures['date']} ({figures['cpus']} cores" + (f", load {load[0]})" if load else ")")]
    for r in figures["results"]:
        lines.append(f"  {r['stage']:14s} {r['attributions']:>10,}: {r['seconds']:8.2f} s, peak "
                     f"{r['peak_rss_mb']:,} MB (data {r['rss_before_mb']:,} MB); {_what(r)}")
    for e in figures.get("extrapolated", []):
        lines.append(f"  {e['stage']:14s} {e['attributions']:>10,}: ~{e['seconds']:,} s, peak ~{e['peak_rss_mb']:,} MB "
                     f"(extrapolated from {e['from'][0]:,} and {e['from'][1]:,}: time ~ n^{e['exponent']})")
    return "\n".join(lines)


@click.command()
@click.option("--attributions", "sizes", type=click.IntRange(1), multiple=True, default=[1_000_000],
              show_default=True, help="Synthetic attributions (repeat for several sizes).")
@click.option("--stage", "stages", type=click.Choice(STAGES), multiple=True, default=["speakers", "claims"],
              show_default=True, help="Stages to time (repeat): 'sentences' is the encoder, the structured "
                                      "clustering with its parse, and the contradictions, on written statements.")
@click.option("--extrapolate-to", type=click.IntRange(1), default=None,
              help="Also estimate each stage at this many attributions from its two largest sizes.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def main(sizes: tuple[int, ...], stages: tuple[str, ...], extrapolate_to: int | None, as_json: bool) -> None:
    """Time the link stages on synthetic attributions, each in a fresh process."""
    figures = run_link_benchmark(list(sizes), log=lambda m: click.echo(m, err=True), stages=tuple(stages))
    if extrapolate_to:
        figures["extrapolated"] = extrapolate(figures["results"], extrapolate_to)
    click.echo(json.dumps(figures, indent=2) if as_json else format_link_report(figures))


if __name__ == "__main__":
    main()
