"""graphkit query: the library of read queries, or ad-hoc Cypher on Neo4j."""

from __future__ import annotations

import click

from ..errors import UsageError
from .common import emit_rows, format_option, resolve_actor, store_option

#: library query -> its parameters that name an actor
ACTOR_PARAMS = {"ego_network": ("actor",), "dyad_timeline": ("a", "b"), "monthly_dyad": ("a", "b")}


def _params(pairs) -> dict:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--param {pair!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


@click.command("query")
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="K=V", help="Query parameter (repeatable).")
@click.option("--list", "list_", is_flag=True, help="List the library queries and their parameters.")
@click.option("--cypher", metavar="TEXT", help="Run ad-hoc Cypher (Neo4j only) in a read transaction.")
@click.option("--write", is_flag=True, help="Allow --cypher to write (a write transaction).")
@store_option
@format_option()
def query_cmd(name, params, list_, cypher, write, store, fmt):
    """Run a library query from cypher/queries/ by NAME, or ad-hoc Cypher.

    Library queries answer on both stores (the embedded one computes the same columns
    without Cypher). Parameters are strings: dates as YYYY-MM-DD, numbers as digits.
    --cypher runs in a READ transaction, so the server refuses writes unless --write;
    its --param values are passed as Cypher parameters ($name), as strings.

    \b
    Examples:
      graphkit query --list
      graphkit query dyad_timeline --param a=USA --param b=IRQ.PMF
      graphkit query top_dyads --param order=hostile --param since=2024-01-01 --format csv
      graphkit query ego_network --param actor=IRN --param hops=2 --format json
      graphkit query ego_network --param actor=PMF
      graphkit query --cypher 'MATCH (a:Actor) RETURN a.name LIMIT 5' --store bolt://127.0.0.1:7687
    """
    from .. import cypher as cypher_files
    from ..store import open_store
    from ..store.base import LIBRARY_PARAMS, REQUIRED

    if list_:
        rows = []
        for qname, description in cypher_files.library().items():
            spec = LIBRARY_PARAMS.get(qname, {})
            rows.append({"name": qname, "parameters": ", ".join(
                k if d is REQUIRED else f"{k}={d}" if d is not None else f"{k}?" for k, (_, d) in spec.items()),
                "description": description})
        emit_rows(rows, fmt, ["name", "parameters", "description"])
        return
    if bool(name) == bool(cypher):
        raise UsageError("give a library query NAME or --cypher TEXT (see `graphkit query --list`)")
    if write and not cypher:
        raise UsageError("--write only applies to --cypher")
    values = _params(params)
    with open_store(store, create=False) as st:
        if not cypher:
            # actor parameters accept names and aliases too (ego_network actor=PMF): an id the
            # store holds is taken as it is, anything else goes through the registry
            for key in ACTOR_PARAMS.get(name, ()):
                if values.get(key) and not st.actors([values[key]]):
                    values[key] = resolve_actor(values[key], f"--param {key}")
                    if not st.actors([values[key]]):
                        click.echo(f"graphkit: note: {values[key]} is not in the store: no rows", err=True)
        if cypher:
            rows = st.run_cypher(cypher, values, write=write)
            columns = list(rows[0]) if rows else []
        else:
            from ..store.base import LIBRARY_COLUMNS

            rows = st.run_library(name, values)
            columns = list(LIBRARY_COLUMNS[name])
    emit_rows(rows, fmt, columns)


COMMANDS = [query_cmd]
