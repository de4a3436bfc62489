"""A throwaway PostgreSQL cluster: initdb into a temporary folder (in memory where the machine
has a tmpfs), serve on a free loopback port, one database per test, dropped when it ends.

Nothing here needs to survive a crash, so the server never syncs to disk and is stopped with
`-m immediate`; the folder then goes in one cheap removal from memory."""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

# What a cluster no one will restart can skip: syncing, torn-page protection, and the wait for
# the commit record. Written into postgresql.conf so that every start uses them.
_THROWAWAY_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
}

# A tmpfs: the cluster's files never reach the disk, and removing them costs nothing. Used
# only with room to spare (a container's /dev/shm may be 64 MB; a run peaks near 60 MB).
_MEMORY_FOLDER = Path("/dev/shm")
_MEMORY_NEEDED = 1 << 30


def _bindir() -> Path | None:
    try:
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def postgres_available() -> str | None:
    """None when a cluster can be started here, else why not."""
    if _bindir() is None:
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser to switch to the postgres user"
    return None


def _name_of(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parent_folder() -> str | None:
    """Where the cluster's folder goes: the tmpfs when we may write there and it has room,
    else $TMPDIR."""
    try:
        if os.access(_MEMORY_FOLDER, os.W_OK | os.X_OK):
            room = os.statvfs(_MEMORY_FOLDER)
            if room.f_bavail * room.f_frsize >= _MEMORY_NEEDED:
                return str(_MEMORY_FOLDER)
    except OSError:
        pass
    return None


class PostgresCluster:
    def __init__(self) -> None:
        bindir = _bindir()
        assert bindir is not None
        self._bin = bindir
        self._dir = Path(tempfile.mkdtemp(prefix="labeler-pg-", dir=_parent_folder()))
        self._data = self._dir / "data"
        self.port = _free_port()
        self._counter = itertools.count(1)
        self._as_root = os.geteuid() == 0
        self._admin: Any = None  # a psycopg connection to the maintenance database

    @property
    def folder(self) -> Path:
        return self._dir

    def _run(self, *args: str) -> None:
        command = [str(self._bin / args[0]), *args[1:]]
        if self._as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> None:
        if self._as_root:
            shutil.chown(self._dir, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self._data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",  # UTF-8 character classes: lower() folds accented letters
        )
        settings = "".join(f"{key} = {value}\n" for key, value in _THROWAWAY_SETTINGS.items())
        with (self._data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"\n# labeler's tests: a throwaway cluster\n{settings}")
        self._run(
            "pg_ctl",
            "-D",
            str(self._data),
            "-o",
            f"-p {self.port} -k {self._dir}",
            "-l",
            str(self._dir / "server.log"),
            "-w",
            "start",
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _execute(self, sql: str) -> None:
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(
                f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
            )
        self._admin.execute(sql)

    def new_database(self, template: str | None = None) -> str:
        """The URL of a new database: empty, or a copy of the template database (given by
        URL; nothing may be connected to it). FILE_COPY copies the template's files without
        logging them (WAL_LOG, the default, writes the whole template into the WAL)."""
        name = f"labeler_test_{next(self._counter)}"
        source = f' TEMPLATE "{_name_of(template)}"' if template else ""
        self._execute(f'CREATE DATABASE "{name}"{source} STRATEGY = FILE_COPY')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drops the database, closing whatever connections a test left open on it."""
        self._execute(f'DROP DATABASE IF EXISTS "{_name_of(url)}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            if self._admin is not None:
                self._admin.close()
            self._run("pg_ctl", "-D", str(self._data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
