"""The raw output of an attributor, before speakers, stance and dates are resolved.

Attributors (the hand-written rules in `rules.py`, the trained CRF in `crf.py`)
return `Found` records: character offsets into the analysed text only. The pipeline
merges them and `resolution.py` turns them into `Attribution` records.
"""

from __future__ import annotations

from dataclasses import dataclass

Offsets = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Found:
    """One attribution as offsets: cue, content fragments, optional source."""

    cue: Offsets
    content: tuple[Offsets, ...]
    source: Offsets | None = None
    kind: str | None = None  # direct / indirect / mixed; None lets the pipeline decide
    origin: str = "rules"  # which attributor found it ("rules", "model")
    # a speaker inherited from another cue (e.g. the shared subject of conjoined verbs)
    inherited_source: Offsets | None = None
