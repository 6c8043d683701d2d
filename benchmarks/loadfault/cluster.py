"""A PostgreSQL cluster of our own: initdb into a temporary folder, on a free loopback
port, started and stopped with pg_ctl. The machine's shared PostgreSQL is never touched."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

# PostgreSQL refuses to run as root; under root the cluster belongs to this user.
UNPRIVILEGED_USER = "postgres"


def free_port() -> int:
    """A TCP port nobody listens on at the moment (loopback)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path:
    """The newest installed server binaries (``/usr/lib/postgresql/<version>/bin``)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise SystemExit("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin.")
    return Path(found[-1]).parent


class PgCluster:
    """One throw-away cluster: ``start()``, ``stop()``, ``url(database)``."""

    def __init__(self, base: Path) -> None:
        self.bin = postgres_bin()
        self.data = base / "pgdata"
        self.socket_dir = base / "pgsocket"
        self.log = base / "postgresql.log"
        self.port = free_port()
        self._as_other_user = os.geteuid() == 0
        for path in (base, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
        if self._as_other_user:
            shutil.chown(base, UNPRIVILEGED_USER)
            shutil.chown(self.socket_dir, UNPRIVILEGED_USER)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self._as_other_user:
            command = ["runuser", "-u", UNPRIVILEGED_USER, "--", *command]
        # Our own fixed commands and paths, never input from elsewhere.
        return subprocess.run(command, check=check, capture_output=True, text=True)  # noqa: S603

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "max_connections": "100",
            "fsync": "on",  # a restart must lose nothing that was committed
            "log_min_messages": "warning",
            "log_lock_waits": "on",
            "deadlock_timeout": "1s",
        }
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# load_fault.py\n")
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop", check=False)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def accepting(self) -> bool:
        result = self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False)
        return result.returncode == 0

    def wait_until_accepting(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.accepting():
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not come up")
            time.sleep(0.2)
