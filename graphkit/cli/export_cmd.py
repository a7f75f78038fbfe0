"""graphkit export: statements to Gephi (GraphML, GEXF) and to a flat table (CSV, Parquet, JSONL)."""

from __future__ import annotations

import click

from ..errors import PartialInput, UsageError
from .common import (
    emit_rows,
    fallback_places_option,
    format_option,
    from_option,
    store_option,
    window_options,
)

FORMATS = ("graphml", "gexf", "csv", "parquet", "jsonl")


@click.command("export")
@click.argument("fmt", metavar="FORMAT", required=False, type=click.Choice(FORMATS, case_sensitive=False))
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False), help="The file to write.")
@window_options
@click.option("--actor", "actors", multiple=True, metavar="ID|NAME",
              help="Only statements with this actor at either end: an id (IRQ.PMF) or a name as stored "
                   "(\"Popular Mobilization Forces\"); repeatable.")
@click.option("--type", "types", multiple=True, metavar="TYPE",
              help="Only this statement type (PLOVER type or TENSION/ALLIANCE); repeatable.")
@fallback_places_option
@from_option
@click.option("--schema", is_flag=True, help="Print the flat table's columns (name, type, meaning) and exit.")
@format_option(dest="schema_fmt")
@store_option
def export_cmd(fmt, output, since, until, actors, types, fallback_places, from_path, schema, schema_fmt, store):
    """Export statements for Gephi (GraphML, GEXF) or as a flat table (CSV, Parquet, JSONL).

    \b
    graphml, gexf  one node per actor (label, name, kind, country, sector) and one edge per
                   source, target, type and modality (label and statement_type, cameo,
                   quad_class, goldstein = mean, count, weight, mentions, first_date, last_date):
                   in Gephi, colour nodes by kind or country and edges by quad_class or
                   statement_type, size edges by weight.
    csv, parquet,  one row per statement, ACLED/GDELT style: ids, ISO dates, source_/target_ id,
    jsonl          name, kind, country, type, cameo (text: "040"), quad_class, goldstein,
                   modality, date_precision, location, place_name ... latitude, longitude,
                   place_source (sentence, or the fallback that placed it: coreference,
                   dateline, article, country; --no-fallback-places leaves those out),
                   article ids, evidence_count, record_id, outlet, url ... (`--schema` lists
                   them all; docs/exports.md).
    In pandas: graphkit.export.read_table("st.csv") keeps codes as text and dates as dates;
    or pd.read_csv("st.csv", dtype={"cameo": str}).
    Examples:
      graphkit export gexf -o graph.gexf
      graphkit export csv -o statements.csv --since 2024-01-01 --type ASSAULT --type COERCE
      graphkit export parquet -o pmf.parquet --actor "Popular Mobilization Forces"
      graphkit export csv -o told-places.csv --no-fallback-places
      graphkit export graphml -o graph.graphml --store bolt://127.0.0.1:7687
      graphkit extract data/articles/ > st.jsonl && graphkit export jsonl --from st.jsonl -o flat.jsonl
      graphkit export csv --from shards/ -o statements.csv       # Parquet shards, streamed by DuckDB
      graphkit export --schema --format csv
    """
    from ..export import TABLE_FORMATS, export, statement_columns

    if schema:
        emit_rows([{"column": c.name, "type": c.kind, "meaning": c.doc} for c in statement_columns()], schema_fmt,
                  ["column", "type", "meaning"])
        return
    if not fmt:
        raise click.UsageError("give a FORMAT (graphml, gexf, csv, parquet, jsonl), or --schema")
    if not output:
        raise click.UsageError("give the file to write with -o FILE")
    fmt = fmt.lower()
    kinds = _checked_types(types)
    # DuckDB streams a flat table from shards as they are (--no-fallback-places reads them into memory)
    if from_path and fmt in TABLE_FORMATS and fallback_places and _streams(from_path):
        from ..export import export_shards

        ids = tuple(resolve_actor(a, _shard_actors(from_path)) for a in actors)
        written = export_shards(from_path, output, fmt, since=since, until=until, actors=ids, types=kinds)
        click.echo(f"graphkit: wrote {output}: {written} rows from Parquet shards {from_path}", err=True)
        return
    statements, actor_list, articles = _read(from_path, store, since, until, actors, kinds)
    if not fallback_places:
        from ..model import without_fallback_place

        statements = [without_fallback_place(s) for s in statements]
    written = export(statements, output, fmt, actors=actor_list, articles=articles)
    what = "edges" if fmt in ("graphml", "gexf") else "rows"
    click.echo(f"graphkit: wrote {output}: {written} {what} from {len(statements)} statements", err=True)


def _checked_types(types: tuple[str, ...]) -> tuple[str, ...]:
    from .. import typology

    out = []
    for name in types:
        upper = name.strip().upper()
        if not typology.is_type(upper):
            raise UsageError(f"--type {name!r}: not a statement type (one of {', '.join(sorted(typology.types()))})")
        out.append(upper)
    return tuple(out)


def _streams(from_path: str) -> bool:
    """A flat table from Parquet shards is streamed by DuckDB (beyond memory) when it is installed;
    without it the shards are read into memory like a JSONL file."""
    from ..analysis.duckdb_connection import duckdb_available
    from ..shards import is_shard_input

    if not is_shard_input(from_path):
        return False
    if not duckdb_available():
        click.echo("graphkit: note: duckdb is not installed (pip install 'graphkit[scale]'): the shards are read "
                   "into memory", err=True)
        return False
    return True


def _shard_actors(from_path: str) -> list:
    """The actors the shards name (their ActorRefs), for --actor names: DuckDB reads two columns."""
    from ..analysis.duckdb_connection import connect
    from ..model import Actor
    from ..shards import shard_files

    con = connect()
    try:
        rows = con.execute("""SELECT DISTINCT r.id, r.name, r.kind, r.country FROM (
            SELECT source AS r FROM read_parquet($files) UNION ALL SELECT target FROM read_parquet($files))""",
                           {"files": [str(f) for f in shard_files(from_path)]}).fetchall()
    finally:
        con.close()
    return [Actor(*row) for row in sorted(rows)]


def _read(from_path, store, since, until, actors, types):
    """(statements, actors, articles) from --from (JSONL or shards) or the store, filtered."""
    from ..store import StatementFilter, open_store

    if from_path:
        from ..loading import read_statements
        from ..store import one_per_event

        statements, problems = read_statements(from_path)
        if problems:
            raise PartialInput(f"{problems[0]} ({len(problems)} bad line(s); nothing written)")
        # one row per event, as the store exports them: the reports of one event merged and folded
        statements = one_per_event(statements)
        refs = {r.id: r for s in statements for r in (s.source, s.target)}
        from ..model import Actor, in_window

        known = [Actor(r.id, r.name, r.kind, r.country) for r in refs.values()]
        ids = tuple(resolve_actor(a, known) for a in actors)
        statements = [s for s in statements
                      if in_window(s.date, since, until) and (not ids or s.source.id in ids or s.target.id in ids) and (not types or s.type in types)]
        return statements, known, []
    with open_store(store, create=False) as st:
        ids = tuple(resolve_actor(a, st.actors()) for a in actors) if actors else ()
        statements = list(st.statements(StatementFilter(since=since, until=until, actors=ids, types=types)))
        wanted = sorted({s.source.id for s in statements} | {s.target.id for s in statements})
        return statements, st.actors(wanted) if wanted else [], st.articles() if statements else []


def resolve_actor(token: str, actors) -> str:
    """An actor id from an id or a name (case ignored; a name must be unique among the stored actors)."""
    token = token.strip()
    by_id = {a.id: a for a in actors}
    if token in by_id:
        return token
    folded = token.casefold()
    hits = sorted({a.id for a in actors if a.id.casefold() == folded
                   or a.name.casefold() == folded or any(x.casefold() == folded for x in a.aliases)})
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UsageError(f"--actor {token!r} names several actors: {', '.join(hits[:8])}; give an id")
    raise UsageError(f"--actor {token!r}: no stored actor has this id or name (see `graphkit actors`)")


COMMANDS = [export_cmd]
