"""The server under a newsroom's load: 4 writers and 20 readers at once on a real ``onrecord serve``
(a subprocess on a free port of 127.0.0.1), on SQLite and on PostgreSQL.

Asserts what a user would notice: no 5xx, no request refused or dropped, and every article a
writer was told was stored can be read afterwards. The read and write percentiles are printed
(``-s``) and recorded in the README, not asserted: the machines are shared and noisy (that reads
never queue behind writes is checked without a clock in test_server.py). ``ONRECORD_LOAD_SECONDS``
shortens the run (default 20 s).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest

pytest.importorskip("uvicorn")
pytest.importorskip("aiohttp")
pytest.importorskip("sqlalchemy")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TOKEN = "load-test-token"
WRITERS = 4
READERS = 20
SECONDS = float(os.environ.get("ONRECORD_LOAD_SECONDS", "20"))
WORDS = ("budget", "bridge", "harbour", "school", "tariff", "vaccine", "pension", "railway")
NAMES = ("Mira Kowalczyk", "Tomas Reyes", "Ana Lindqvist", "Oskar Brandt", "Lena Moreau", "Ivo Petrenko")


def article_text(writer: int, n: int) -> str:
    """A small, distinct article with a direct quote and a denial, so linking has work to do."""
    rnd = random.Random(writer * 10_000 + n)
    who, other = rnd.sample(NAMES, 2)
    word = rnd.choice(WORDS)
    return (f"Report {writer}-{n} on the {word}.\n\n"
            f'"The {word} plan number {n} will be finished by spring," {who} said on Monday.\n\n'
            f"{other} denied that the {word} plan had ever been approved by the council.\n")


@dataclass
class Figures:
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # 5xx, other unexpected statuses, dropped requests
    stored: list[str] = field(default_factory=list)    # ids a writer was told were stored


async def load(base: str, seconds: float) -> Figures:
    import aiohttp

    figures = Figures()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=WRITERS + READERS)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:

        async def post(writer: int, n: int) -> None:
            body = {"articles": [{"id": f"load-{writer}-{n}", "text": article_text(writer, n),
                                  "outlet": f"Outlet {writer}", "published": f"2026-11-{1 + n % 25:02d}"}]}
            start = time.perf_counter()
            try:
                async with http.post("/api/articles", json=body, headers=headers) as response:
                    answer = await response.json(content_type=None)
                    status = response.status
            except (aiohttp.ClientError, asyncio.TimeoutError) as err:
                figures.problems.append(f"POST load-{writer}-{n}: {type(err).__name__}")
                return
            figures.writes.append(time.perf_counter() - start)
            if status != 202:  # stored, linked after in the background
                figures.problems.append(f"POST load-{writer}-{n}: HTTP {status} {str(answer)[:300]}")
            figures.stored.extend(answer.get("ids", []) if isinstance(answer, dict) else [])

        await post(0, 0)  # a first article, so readers have something to open from the start
        deadline = time.perf_counter() + seconds

        async def writer(w: int) -> None:
            n = 1
            while time.perf_counter() < deadline:
                await post(w, n)
                n += 1

        def read_path(rnd: random.Random, turn: int) -> str:
            some_id = quote(rnd.choice(figures.stored), safe="") if figures.stored else "load-0-0"
            word = rnd.choice(WORDS)
            return [f"/articles.json?limit=50&offset={rnd.randrange(3) * 50}", "/articles", f"/articles/{some_id}.json",
                    f"/articles/{some_id}", f"/search.json?q={word}", f"/search?q={word}", "/speakers.json",
                    "/speakers", "/quotes.json?limit=50", "/"][turn % 10]

        async def reader(r: int) -> None:
            rnd = random.Random(r)
            turn = r
            while time.perf_counter() < deadline:
                path = read_path(rnd, turn)
                turn += 1
                start = time.perf_counter()
                try:
                    async with http.get(path) as response:
                        await response.read()
                        status = response.status
                except (aiohttp.ClientError, asyncio.TimeoutError) as err:
                    figures.problems.append(f"GET {path}: {type(err).__name__}")
                    continue
                figures.reads.append(time.perf_counter() - start)
                if status != 200:
                    figures.problems.append(f"GET {path}: HTTP {status}")

        await asyncio.gather(*(writer(w) for w in range(WRITERS)), *(reader(r) for r in range(READERS)))

        # Afterwards, every article a writer was told was stored is there.
        for article_id in figures.stored:
            async with http.get(f"/articles/{quote(article_id, safe='')}.json") as response:
                if response.status != 200:
                    figures.problems.append(f"lost: {article_id} answers HTTP {response.status}")
    return figures


def run_and_report(db: str, backend: str) -> Figures:
    from benchmarks.serve import percentile, serving

    with serving(db, env={**os.environ, "ONRECORD_TOKEN": TOKEN}, timeout=180) as base:
        started = time.perf_counter()
        figures = asyncio.run(load(base, SECONDS))
        elapsed = time.perf_counter() - started
    print(f"\n{backend}: {WRITERS} writers, {READERS} readers, {elapsed:.1f} s: "
          f"{len(figures.reads)} reads, p50 {1000 * percentile(figures.reads, 50):.0f} ms, "
          f"p95 {1000 * percentile(figures.reads, 95):.0f} ms, p99 {1000 * percentile(figures.reads, 99):.0f} ms, max {1000 * max(figures.reads, default=0):.0f} ms; "
          f"{len(figures.writes)} writes, p50 {1000 * percentile(figures.writes, 50):.0f} ms, "
          f"p95 {1000 * percentile(figures.writes, 95):.0f} ms, max {1000 * max(figures.writes, default=0):.0f} ms; "
          f"{len(figures.stored)} articles stored, {len(figures.problems)} problems")
    return figures


def check(figures: Figures) -> None:
    assert figures.problems == []
    assert figures.reads, "no read completed"
    assert len(figures.stored) > WRITERS, "the writers stored (almost) nothing"
    assert len(set(figures.stored)) == len(figures.stored), "an article was reported stored twice"


def test_load_sqlite(tmp_path) -> None:
    check(run_and_report(str(tmp_path / "onrecord.db"), "SQLite"))


def test_load_postgres(pg_url) -> None:
    check(run_and_report(pg_url, "PostgreSQL"))


def test_slow_and_idle_clients_are_dropped(tmp_path) -> None:
    """Issue 24, item 7: 1,000 partial-header sockets, 50 slow bodies and 1,000 idle sockets stayed open
    for more than 60 s. Here 50 of each: all closed by the server within its header and body limits,
    while it goes on answering others."""
    import socket

    from benchmarks.serve import serving

    def connect(port: int) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        return sock

    def closed_within(sock: socket.socket, seconds: float) -> bool:
        sock.settimeout(seconds)
        try:
            while sock.recv(65536):  # a 408 (slow body) comes before the close
                pass
            return True
        except (socket.timeout, TimeoutError):
            return False
        except OSError:  # reset by the server: closed too
            return True

    with serving(str(tmp_path / "onrecord.db"), env={**os.environ, "ONRECORD_TOKEN": TOKEN}, timeout=180) as base:
        port = int(base.rsplit(":", 1)[1])
        idle = [connect(port) for _ in range(50)]
        partial = [connect(port) for _ in range(50)]
        for sock in partial:
            sock.sendall(b"GET /articles HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        slow_body = [connect(port) for _ in range(50)]
        for sock in slow_body:
            sock.sendall(b"POST /api/extract HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000\r\n\r\n{\"text\": \"")
        started = time.perf_counter()
        for n in range(12):  # a byte every 3 s: never late for one piece, late for the whole body
            time.sleep(3)
            for sock in slow_body:
                try:
                    sock.sendall(b"a")
                except OSError:
                    pass
            if n == 1:
                with socket.create_connection(("127.0.0.1", port), timeout=30) as other:  # others are served
                    other.sendall(b"GET /articles.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    assert other.recv(100).startswith(b"HTTP/1.1 200")
        assert all(closed_within(sock, 1) for sock in idle + partial), "idle or partial-header socket kept open"
        assert all(closed_within(sock, 5) for sock in slow_body), "slow body kept open"
        assert time.perf_counter() - started < 60
        for sock in idle + partial + slow_body:
            sock.close()
