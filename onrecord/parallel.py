"""Extraction on every core: `extract_many` in worker processes, results in input order.

Each worker loads the spaCy pipeline and the attribution model once (at start-up) and
extracts batches of articles. At most two batches per worker are in flight, so memory
stays bounded on an input stream of any length. A single batch is extracted in-process:
starting workers would cost more than it saves.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from .config import Settings
from .errors import OnRecordError
from .models import Article
from .pipeline import extract_many

logger = logging.getLogger(__name__)

Outcome = list[Article | OnRecordError]


WORKER_BYTES = 1_000_000_000  # a worker's peak with the models loaded (about 0.6 GB measured), with room


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    """The cores this process may run on, as many as memory holds workers (1 GB each)."""
    cores = _cores()
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        memory = cores * WORKER_BYTES
    return max(1, min(cores, memory // WORKER_BYTES))


def _warm(settings: Settings, threads: int = 1) -> None:
    # each worker gets its share of the cores: torch's default (every core in every worker)
    # made two workers slower than one process (docs: README, Corpora at scale)
    for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    try:
        import torch
    except ImportError:
        pass
    else:
        torch.set_num_threads(threads)
    from .nlp import load_nlp

    load_nlp(settings.model)
    # one tiny article loads the attribution models the settings ask for
    list(extract_many([Article(id="warm-up", text="She said that it rained.")], settings))


def _work(batch: list[Article], settings: Settings) -> Outcome:
    out: Outcome = []
    for article in extract_many(batch, settings, on_error=out.append):
        out.append(article)
    return out


def extract_parallel(articles: Iterable[Article], settings: Settings | None = None, *, workers: int | None = None,
                     progress: Callable[[Article], None] | None = None,
                     on_error: Callable[[OnRecordError], None] | None = None) -> Iterator[Article]:
    """Like `extract_many`, in ``workers`` processes (default: one per core); same order, same results."""
    settings = settings or Settings()
    workers = workers or default_workers()
    stream = iter(articles)
    size = settings.batch_size
    first = list(islice(stream, size))
    second = list(islice(stream, size)) if workers > 1 else []
    if not second:
        yield from extract_many(first + list(stream), settings, progress=progress, on_error=on_error)
        return

    import multiprocessing

    def batches() -> Iterator[list[Article]]:
        yield first
        yield second
        while batch := list(islice(stream, size)):
            yield batch

    def deliver(outcome: Outcome) -> Iterator[Article]:
        for item in outcome:
            if isinstance(item, Article):
                if progress:
                    progress(item)
                yield item
            elif on_error is not None:
                on_error(item)
            else:
                raise item

    # spawn: a forked child would inherit the parent's threads (tokenizers, torch) mid-state
    context = multiprocessing.get_context("spawn")
    threads = max(1, _cores() // workers)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm, initargs=(settings, threads)) as pool:
        pending: deque[Future[Outcome]] = deque()
        for batch in batches():
            pending.append(pool.submit(_work, batch, settings))
            while len(pending) >= 2 * workers:
                yield from deliver(pending.popleft().result())
        while pending:
            yield from deliver(pending.popleft().result())
