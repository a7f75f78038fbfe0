"""Assemble, start, stop and check a local Neo4j 5.26 Community server.

The jars come from Maven Central through `mvn dependency:copy-dependencies`
(the tarball is not published there).  The server listens on 127.0.0.1 only,
its home sits under the graphkit cache folder, and it counts as started only
once `RETURN 1` answers through the Python driver.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import GraphkitError
from ..paths import cache_dir

NEO4J_VERSION = "5.26.24"
DEFAULT_PORT = 7687

# Java 17 needs these to let Neo4j's off-heap and Netty code in.
JAVA_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
]


@dataclass(frozen=True)
class ServerHome:
    root: Path
    port: int = DEFAULT_PORT

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def conf(self) -> Path:
        return self.root / "conf"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def pidfile(self) -> Path:
        return self.root / "run" / "graphkit-neo4j.pid"

    @property
    def console_log(self) -> Path:
        return self.logs / "console.log"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"


def default_home(port: int = DEFAULT_PORT) -> ServerHome:
    root = os.environ.get("GRAPHKIT_NEO4J_HOME") or cache_dir() / f"neo4j-{NEO4J_VERSION}"
    return ServerHome(Path(root), port)


def _log(msg: str, verbose: bool) -> None:
    if verbose:
        print(msg, file=sys.stderr)


def install(home: ServerHome, verbose: bool = False) -> None:
    """Fetch the server's jars into home/lib with Maven (cached in ~/.m2)."""
    marker = home.lib / f".complete-{NEO4J_VERSION}"
    if marker.exists():
        return
    mvn = shutil.which("mvn")
    if not mvn:
        raise GraphkitError("Maven (mvn) is not on PATH: it is needed to fetch the Neo4j server jars")
    if not shutil.which("java"):
        raise GraphkitError("java is not on PATH: the Neo4j server needs Java 17 or 21")
    home.root.mkdir(parents=True, exist_ok=True)
    pom = home.root / "pom.xml"
    template = resources.files("graphkit.server").joinpath("pom.xml").read_text(encoding="utf-8")
    pom.write_text(template.replace("@NEO4J_VERSION@", NEO4J_VERSION), encoding="utf-8")
    if home.lib.exists():
        shutil.rmtree(home.lib)
    _log(f"fetching Neo4j {NEO4J_VERSION} jars from Maven Central into {home.lib} ...", True)
    cmd = [mvn, "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
           "-DincludeScope=runtime", f"-DoutputDirectory={home.lib}"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
        raise GraphkitError("mvn could not fetch the Neo4j jars: " + " | ".join(tail))
    marker.write_text(NEO4J_VERSION)


def write_config(home: ServerHome, auth: bool) -> None:
    for sub in ("conf", "data", "logs", "run", "import", "plugins"):
        (home.root / sub).mkdir(parents=True, exist_ok=True)
    r = home.root
    conf = f"""# Written by graphkit neo4j start; edits are overwritten at the next start.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:{home.port}
server.bolt.advertised_address=127.0.0.1:{home.port}
server.http.enabled=false
server.https.enabled=false
dbms.usage_report.enabled=false
dbms.security.auth_enabled={"true" if auth else "false"}
server.memory.heap.initial_size=2g
server.memory.heap.max_size=2g
server.memory.pagecache.size=1g
db.tx_log.rotation.retention_policy=100M size
server.directories.data={r / "data"}
server.directories.logs={r / "logs"}
server.directories.run={r / "run"}
server.directories.import={r / "import"}
server.directories.plugins={r / "plugins"}
server.directories.transaction.logs.root={r / "data" / "transactions"}
"""
    (home.conf / "neo4j.conf").write_text(conf, encoding="utf-8")


def _java_cmd(home: ServerHome) -> list[str]:
    return ["java", "-cp", f"{home.conf}/*:{home.lib}/*", "-Xms2g", "-Xmx2g", *JAVA_FLAGS]


def set_initial_password(home: ServerHome, password: str) -> None:
    """Set the neo4j user's password before the first start (only works on a fresh data dir).

    The password goes to the admin tool in a Java argument file (`java @FILE`, readable by this
    user only, deleted at once), never on a command line: every local user can read a process's
    argv (`ps`)."""
    if any(c in password for c in "\r\n\0"):
        raise GraphkitError("the Neo4j password cannot hold a line break or NUL")
    quoted = '"' + password.replace("\\", "\\\\").replace('"', '\\"') + '"'
    home.root.mkdir(parents=True, exist_ok=True)
    fd, argfile = tempfile.mkstemp(prefix=".graphkit-admin-", suffix=".args", dir=home.root)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # AdminTool itself: the Neo4jAdminCommand launcher would start a second JVM with the password in its argv
            fh.write(f"org.neo4j.cli.AdminTool dbms set-initial-password {quoted}\n")
        cmd = [*_java_cmd(home), f"@{argfile}"]
        env = {**os.environ, "NEO4J_HOME": str(home.root), "NEO4J_CONF": str(home.conf)}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    finally:
        os.unlink(argfile)
    if proc.returncode != 0:
        # the message may echo the arguments, so never show it whole (it holds the password)
        raise GraphkitError("could not set the initial Neo4j password (is the data folder fresh?)")


def read_pid(home: ServerHome) -> int | None:
    try:
        pid = int(home.pidfile.read_text().strip())
    except (OSError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return pid


def ping(uri: str, auth=None, timeout: float = 3.0) -> bool:
    """True when `RETURN 1` answers at uri."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout,
                                  max_connection_lifetime=30) as driver:
            # an auto-commit run, not execute_query: no retries, one quick answer
            with driver.session() as session:
                return session.run("RETURN 1 AS ok").single()["ok"] == 1
    except (ServiceUnavailable, Neo4jError, OSError, ValueError):
        return False
    except Exception:  # driver raises assorted errors while the server boots
        return False


def start(home: ServerHome, *, auth_password: str | None = None, fresh: bool = False,
          timeout: float = 180.0, verbose: bool = False) -> int:
    """Start the server in the background; return its pid once `RETURN 1` answers."""
    pid = read_pid(home)
    if pid:
        raise GraphkitError(f"a graphkit Neo4j server is already running (pid {pid}) at {home.uri}")
    install(home, verbose)
    if fresh and (home.root / "data").exists():
        shutil.rmtree(home.root / "data")
    write_config(home, auth=auth_password is not None)
    if auth_password is not None and not (home.root / "data" / "dbms").exists():
        set_initial_password(home, auth_password)
    home.logs.mkdir(parents=True, exist_ok=True)
    cmd = [*_java_cmd(home), "org.neo4j.server.CommunityEntryPoint",
           f"--home-dir={home.root}", f"--config-dir={home.conf}"]
    with open(home.console_log, "ab") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=home.root, start_new_session=True)
    home.pidfile.parent.mkdir(parents=True, exist_ok=True)
    home.pidfile.write_text(str(proc.pid))
    auth = ("neo4j", auth_password) if auth_password is not None else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            home.pidfile.unlink(missing_ok=True)
            raise GraphkitError(f"Neo4j exited with code {proc.returncode} while starting; "
                                f"see {home.console_log} and {home.logs / 'neo4j.log'}:\n" + tail(home))
        if ping(home.uri, auth, timeout=2.0):
            _log(f"Neo4j {NEO4J_VERSION} ready at {home.uri} (pid {proc.pid})", verbose)
            return proc.pid
        time.sleep(1.0)
    stop(home)
    raise GraphkitError(f"Neo4j did not answer RETURN 1 within {timeout:.0f}s; logs:\n" + tail(home))


def tail(home: ServerHome, lines: int = 20) -> str:
    out = []
    for log in (home.console_log, home.logs / "neo4j.log"):
        if log.exists():
            out += log.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(out)


def stop(home: ServerHome, timeout: float = 60.0) -> bool:
    """SIGTERM the server and wait for a clean shutdown; False if none was running."""
    pid = read_pid(home)
    if not pid:
        home.pidfile.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        _reap(pid)
        time.sleep(0.3)
    else:
        os.kill(pid, signal.SIGKILL)
    home.pidfile.unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def kill(home: ServerHome) -> bool:
    """SIGKILL the server (used by tests that simulate a crash)."""
    pid = read_pid(home)
    if not pid:
        return False
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        _reap(pid)
        time.sleep(0.1)
    home.pidfile.unlink(missing_ok=True)
    return True
