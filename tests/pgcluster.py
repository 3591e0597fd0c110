"""A throwaway PostgreSQL cluster on a free loopback port, for the store tests.

Uses the server binaries of the Debian ``postgresql`` package (``scripts/setup-system``
installs it). PostgreSQL refuses to run as root, so as root the cluster runs as the
``postgres`` system user (created by the package). Trust authentication, loopback only,
data in a temporary directory that `stop` removes.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from onrecord.store import StoreError


def server_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return found[0] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class TempCluster:
    """``with TempCluster() as pg: url = pg.url("dbname")``. A plain class: it owns a process."""

    def __init__(self) -> None:
        initdb, pg_ctl = server_bin("initdb"), server_bin("pg_ctl")
        if not initdb or not pg_ctl:
            raise StoreError("PostgreSQL server binaries not found: run scripts/setup-system "
                             "(apt-get install postgresql)")
        self.initdb, self.pg_ctl = initdb, pg_ctl
        self.port = _free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="onrecord-pg-"))
        self.data = self.dir / "data"
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            self.prefix = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres", "postgres")
        self.started = False

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise StoreError(f"{Path(args[0]).name} failed: {(result.stderr or result.stdout).strip()[-500:]}")

    def start(self) -> TempCluster:
        self._run(self.initdb, "-D", str(self.data), "-U", "onrecord", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://onrecord@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            if not name.replace("_", "").isalnum():
                raise StoreError(f"bad database name {name!r}")
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            subprocess.run([*self.prefix, self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> TempCluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
