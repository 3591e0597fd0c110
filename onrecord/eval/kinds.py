"""Which kind of reference a gold path holds: a PolNeAR compartment, web references, or one sample."""

from __future__ import annotations

from pathlib import Path

from .errors import EvalError
from .sample import SUFFIX

POLNEAR, WEB, SAMPLE, NEWS = "polnear", "web", "sample", "news"
KINDS = (POLNEAR, WEB, SAMPLE, NEWS)


class GoldKindError(EvalError):
    """A gold path is none of the reference kinds onrecord scores."""


def detect_kind(path: str | Path) -> str:
    """``sample`` for one ``<id>.gold.json`` file, ``polnear`` for a folder with brat ``.ann``
    files under ``attributions/``, ``web`` for a folder of ``*.gold.json`` references, ``news``
    for a corpus folder whose ``gold/`` holds them (`onrecord.eval.news`, scored by folds).

    Raises:
        GoldKindError: the path is none of these.
    """
    path = Path(path)
    if path.is_file() and path.name.endswith(SUFFIX):
        return SAMPLE
    if path.is_dir():
        if any((path / "attributions").glob("*.ann")):
            return POLNEAR
        if any(path.glob("*" + SUFFIX)):
            return WEB
        if any((path / "gold").glob("*" + SUFFIX)):
            return NEWS
    raise GoldKindError(f"{path}: not a PolNeAR compartment (attributions/*.ann), a folder of *{SUFFIX} "
                        f"references, a corpus with gold/*{SUFFIX}, or one *{SUFFIX} file")
