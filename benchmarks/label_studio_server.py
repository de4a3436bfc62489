"""A Label Studio server for a benchmark: started from its own virtual environment on
127.0.0.1 with a throwaway data folder, driven through its REST API, stopped by its process
id when the block ends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any


class LabelStudio:
    def __init__(self, venv: Path, data: Path, port: int, token: str) -> None:
        self.venv = venv
        self.data = data
        self.base = f"http://127.0.0.1:{port}"
        self.port = port
        self.token = token
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> LabelStudio:
        self.data.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.venv / "bin" / "label-studio"),
            "start",
            "--no-browser",
            "--internal-host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--username",
            "bench@example.org",
            "--password",
            self.token[:16],
            "--user-token",
            self.token,
            "--enable-legacy-api-token",
        ]
        env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(self.data)}
        log = (self.data / "server.log").open("wb")
        self.process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_until_up(timeout=300)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own session: it and its children
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def _wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"Label Studio stopped; see {self.data / 'server.log'}")
            try:
                self.request("GET", "/api/projects")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
        raise SystemExit(f"Label Studio did not answer in {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """CPU seconds (user + system) used so far by the server's processes (its session),
        read from /proc: on a loaded machine a fairer measure than wall time."""
        assert self.process is not None
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[3]) == self.process.pid:  # its session: the process group id
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def request(
        self, method: str, path: str, body: bytes | None = None, timeout: float = 600
    ) -> bytes:
        request = urllib.request.Request(
            self.base + path,
            data=body,
            method=method,
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def json(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        return json.loads(self.request(method, path, data))

    def create_project(self, title: str, label_config: str) -> int:
        found = self.json("POST", "/api/projects", {"title": title, "label_config": label_config})
        return int(found["id"])

    def import_tasks(self, project: int, body: bytes, count: int) -> None:
        """Imports a JSON task list and waits until every task is stored."""
        self.request("POST", f"/api/projects/{project}/import", body)
        while int(self.json("GET", f"/api/projects/{project}")["task_number"]) < count:
            time.sleep(0.05)

    def export(self, project: int, kind: str) -> bytes:
        return self.request("GET", f"/api/projects/{project}/export?exportType={kind}")
