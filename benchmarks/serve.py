"""A bounded load test: N concurrent clients for D seconds on the article and search endpoints.

Starts ``onrecord serve`` in a subprocess on a free port of 127.0.0.1 (or loads a given
URL), then reports requests/s and latency percentiles per endpoint. No timing is asserted.
``python -m benchmarks.serve --db URL [--clients 50] [--duration 20] [--json]``.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import click

SEARCH_WORDS = ("said", "campaign", "tax", "president", "election", "deny", "believe", "poll", "police",
                "economy", "war", "negotiate", "immigration", "email", "debate", "voters", "court", "health")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(db: str | None, *, port: int | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> Iterator[str]:
    """``onrecord serve`` in a subprocess; yields its base URL and stops it afterwards."""
    port = port or free_port()
    command = [sys.executable, "-m", "onrecord", "serve", "--port", str(port)] + (["--db", db] if db else [])
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise RuntimeError(f"onrecord serve exited with {process.returncode}: {err[-2000:]}")
            try:
                with urllib.request.urlopen(base + "/openapi.json", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"onrecord serve did not answer on {base} within {timeout:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def _load(base: str, clients: int, duration: float) -> dict[str, Any]:
    import aiohttp  # a faster client than httpx under concurrency, so the figures measure the server

    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:
        async with http.get("/articles.json", params={"limit": "500"}) as response:
            listing = (await response.json())["items"]
        if not listing:
            raise RuntimeError("the store has no articles: ingest some first (onrecord ingest)")
        ids = [quote(a["id"], safe="") for a in listing]
        endpoints = {
            "article (JSON)": lambda rnd: f"/articles/{rnd.choice(ids)}.json",
            "article (HTML page)": lambda rnd: f"/articles/{rnd.choice(ids)}",
            "search (JSON)": lambda rnd: f"/search.json?q={rnd.choice(SEARCH_WORDS)}",
        }
        names = list(endpoints)
        latencies: dict[str, list[float]] = {name: [] for name in names}
        errors: dict[str, int] = {name: 0 for name in names}
        samples: list[str] = []
        deadline = time.perf_counter() + duration

        async def client(n: int) -> None:
            rnd = random.Random(n)
            turn = n
            while time.perf_counter() < deadline:
                name = names[turn % len(names)]
                turn += 1
                start = time.perf_counter()
                try:
                    async with http.get(endpoints[name](rnd)) as response:
                        await response.read()
                        ok = response.status == 200
                    if not ok and len(samples) < 5:
                        samples.append(f"{name}: HTTP {response.status}")
                except (aiohttp.ClientError, asyncio.TimeoutError) as err:
                    ok = False
                    if len(samples) < 5:
                        samples.append(f"{name}: {type(err).__name__}")
                latencies[name].append(time.perf_counter() - start)
                errors[name] += not ok

        started = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
    per_endpoint = {
        name: {"requests": len(lat), "requests_per_s": round(len(lat) / elapsed, 1),
               "p50_ms": round(1000 * percentile(lat, 50), 1), "p95_ms": round(1000 * percentile(lat, 95), 1),
               "max_ms": round(1000 * max(lat, default=0), 1), "errors": errors[name]}
        for name, lat in latencies.items()}
    everything = [x for lat in latencies.values() for x in lat]
    return {"url": base, "clients": clients, "seconds": round(elapsed, 2), "articles": len(ids),
            "requests": len(everything), "requests_per_s": round(len(everything) / elapsed, 1),
            "p95_ms": round(1000 * percentile(everything, 95), 1), "errors": sum(errors.values()),
            "error_samples": samples, "endpoints": per_endpoint}


def run_load(*, db: str | None = None, url: str | None = None, clients: int = 50,
             duration: float = 20.0) -> dict[str, Any]:
    """Figures of one load run: against ``url``, or a server started over ``db``."""
    if url:
        return asyncio.run(_load(url.rstrip("/"), clients, duration))
    with serving(db) as base:
        return asyncio.run(_load(base, clients, duration))


def format_report(figures: dict[str, Any]) -> str:
    lines = [f"{figures['clients']} clients for {figures['seconds']} s on {figures['url']} "
             f"({figures['articles']} articles)",
             f"{'endpoint':<22} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}"]
    for name, f in figures["endpoints"].items():
        lines.append(f"{name:<22} {f['requests']:>9} {f['requests_per_s']:>8} {f['p50_ms']:>8} {f['p95_ms']:>8} "
                     f"{f['max_ms']:>8} {f['errors']:>7}")
    lines.append(f"{'all':<22} {figures['requests']:>9} {figures['requests_per_s']:>8} {'':>8} "
                 f"{figures['p95_ms']:>8} {'':>8} {figures['errors']:>7}")
    lines += [f"  {s}" for s in figures["error_samples"]]
    return "\n".join(lines)


@click.command()
@click.option("--db", envvar="ONRECORD_DB", default=None, metavar="URL",
              help="Store: SQLite path, sqlite:///path or postgresql://… (default: onrecord.db; env ONRECORD_DB).")
@click.option("--url", default=None, help="Load a running server instead of starting one over --db.")
@click.option("--clients", type=click.IntRange(1, 1000), default=50, show_default=True, help="Concurrent clients.")
@click.option("--duration", type=click.FloatRange(0.5, 600), default=20.0, show_default=True, help="Seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def main(db: str | None, url: str | None, clients: int, duration: float, as_json: bool) -> None:
    """Load-test the server: concurrent clients on the article and search endpoints (exit 1 if any request failed)."""
    try:
        figures = run_load(db=db, url=url, clients=clients, duration=duration)
    except RuntimeError as err:
        raise click.ClickException(str(err)) from None
    click.echo(json.dumps(figures, indent=2) if as_json else format_report(figures))
    if figures["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
