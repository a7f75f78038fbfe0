import os
from pathlib import Path

import click

from ..server import local


def _home(port: int, home: str | None) -> local.ServerHome:
    base = local.default_home(port)
    return local.ServerHome(Path(home), port) if home else base


_port = click.option("--port", type=int, default=lambda: int(os.environ.get("GRAPHKIT_NEO4J_PORT", local.DEFAULT_PORT)),
                     show_default=f"{local.DEFAULT_PORT} or GRAPHKIT_NEO4J_PORT", help="Bolt port on 127.0.0.1.")
_homeopt = click.option("--home", type=click.Path(file_okay=False), default=None,
                        help="Server home (jars, conf, data, logs). Default: ~/.cache/graphkit/neo4j-VERSION "
                        "or GRAPHKIT_NEO4J_HOME.")


@click.group("neo4j")
def neo4j_group():
    """Run a local Neo4j 5.26 Community server, assembled from Maven Central (no Docker needed).

    \b
    Needs Java 17+ and Maven. The server listens on 127.0.0.1 only.
      graphkit neo4j start            # fetch jars once (~120 MB), start, wait for RETURN 1
      graphkit neo4j status
      graphkit neo4j stop
    Authentication is on when NEO4J_PASSWORD is set at first start, off otherwise.
    With Docker instead:
      docker run -p 127.0.0.1:7687:7687 -e NEO4J_AUTH=neo4j/secret-password neo4j:5.26-community
    """


@neo4j_group.command("install")
@_port
@_homeopt
@click.pass_context
def install_cmd(ctx, port, home):
    """Fetch the server jars into the server home (start does this when needed)."""
    h = _home(port, home)
    local.install(h, verbose=True)
    click.echo(str(h.root))


@neo4j_group.command("start")
@_port
@_homeopt
@click.option("--fresh", is_flag=True, help="Delete the server's data first (an empty graph).")
@click.option("--timeout", type=float, default=180, show_default=True, help="Seconds to wait for RETURN 1.")
@click.pass_context
def start_cmd(ctx, port, home, fresh, timeout):
    """Start the server in the background and wait until it answers RETURN 1."""
    h = _home(port, home)
    password = os.environ.get("NEO4J_PASSWORD") or None
    pid = local.start(h, auth_password=password, fresh=fresh, timeout=timeout, verbose=ctx.obj["verbose"] > 0)
    click.echo(f"Neo4j {local.NEO4J_VERSION} ready at {h.uri} (pid {pid}, home {h.root})")


@neo4j_group.command("stop")
@_port
@_homeopt
def stop_cmd(port, home):
    """Stop the server cleanly (SIGTERM, then wait)."""
    h = _home(port, home)
    if local.stop(h):
        click.echo("Neo4j stopped")
    else:
        click.echo("no graphkit Neo4j server was running", err=True)


@neo4j_group.command("status")
@_port
@_homeopt
def status_cmd(port, home):
    """Say whether the server runs and answers; exit 0 if it does, 1 if not."""
    h = _home(port, home)
    pid = local.read_pid(h)
    user, password = os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD")
    answers = local.ping(h.uri, (user, password) if password else None)
    click.echo(f"{'running' if pid else 'not running'}{f' (pid {pid})' if pid else ''}; "
               f"{h.uri} {'answers RETURN 1' if answers else 'does not answer'}")
    raise SystemExit(0 if answers else 1)


COMMANDS = [neo4j_group]
