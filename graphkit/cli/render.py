"""graphkit render / graphkit report: the network and the report as self-contained HTML."""

from __future__ import annotations

import logging

import click

from ..errors import PartialInput
from .common import fallback_places_option, from_option, resolve_actor, store_option, window_options

log = logging.getLogger(__name__)


def view_options(command):
    """The options every view shares (render, report, map): the time window and where the statements
    come from."""
    return store_option(from_option(window_options(command)))


def focus_options(command):
    """Centre a view on one actor's neighbourhood (render, map)."""
    command = click.option("--hops", type=click.IntRange(min=0), default=1, show_default=True,
                           help="... and its N-hop neighbourhood.")(command)
    return click.option("--actor", metavar="A", help="Centre on one actor (id, name or alias) ...")(command)


def _report_bad_lines(errors: list[str]) -> None:
    for line in errors:
        click.echo(f"graphkit: error: {line}", err=True)


def _view_statements(from_path, store, since, until, actor: str | None):
    """The statements a focused view (render, map) draws: read, bad lines reported, the focus actor
    resolved from ids, names or aliases. Returns (statements, actors, focus actor id, bad lines)."""
    from ..viz.sources import load_statements

    errors: list[str] = []
    statements, actors = load_statements(from_path, store, since=since, until=until, errors=errors)
    _report_bad_lines(errors)
    if actor:
        actor = resolve_actor(actor, "--actor", _names(statements, actors))
    return statements, actors, actor, errors


@click.command("render")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="The page to write [default: graph.html, in graphkit.toml's [output] folder if set].")
@view_options
@focus_options
@click.option("--title", default=None, help="Page title.")
def render_cmd(output, since, until, actor, hops, title, from_path, store):
    """Write an interactive, self-contained HTML network view (works offline).

    Nodes are actors (colour and shape by kind, size by weighted degree); edges are one
    per dyad and statement type (colour: mean Goldstein from red = conflict to green =
    cooperation; width: number of statements). Hover an edge for its dated statements
    with sentence and outlet. The page has filters for type, modality and actor kind
    and a time-window slider.

    \b
    Examples:
      graphkit render -o graph.html
      graphkit render --actor IRQ.PMF --hops 2 -o pmf.html
      graphkit render --actor PMF -o pmf.html
      graphkit render --since 2024-01-01 --until 2024-06-30 -o h1.html
      graphkit extract data/articles/ > st.jsonl && graphkit render --from st.jsonl -o graph.html
    """
    from ..config import output_path
    from ..viz.network import build_network, render_network

    output = output or output_path("graph.html")
    statements, actors, actor, errors = _view_statements(from_path, store, since, until, actor)
    data = build_network(statements, actors, since=since, until=until, focus=actor, hops=hops)
    path = render_network(data, output, title=title or _default_title(actor, hops))
    log.info("wrote %s: %d actors, %d edges, %d statements", path, len(data.nodes), len(data.edges),
             data.statement_count)
    if errors:
        raise PartialInput(f"{len(errors)} bad input line(s) skipped; wrote {path} from the rest")


def _names(statements, actors) -> dict[str, str]:
    """id -> name of every actor in the statements and the actor list."""
    names = {a.id: a.name for a in actors}
    for st in statements:
        names.setdefault(st.source.id, st.source.name)
        names.setdefault(st.target.id, st.target.name)
    return names


def _default_title(actor: str | None, hops: int) -> str:
    return f"graphkit network around {actor} ({hops} hops)" if actor else "graphkit network"


@click.command("report")
@click.option("-o", "--output", default=None, type=click.Path(file_okay=False),
              help="The folder to write [default: report, in graphkit.toml's [output] folder if set].")
@view_options
@click.option("--freq", type=click.Choice(["D", "W", "M"]), default="W", show_default=True,
              help="Period of the trend charts and escalation alerts (day, ISO week, month).")
@click.option("--top", type=click.IntRange(min=1), default=8, show_default=True,
              help="How many dyads get a trend chart.")
@click.option("--title", default="graphkit report", show_default=True, help="Report title.")
def report_cmd(output, since, until, freq, top, title, from_path, store):
    """Write an HTML report: network, map, escalating dyads, trends, alerts, factions, statements.

    The folder gets index.html (the report), network.html (the interactive network) and
    map.html (the events on a map), both embedded in the report; all work offline. Every statement in the table keeps its
    provenance (article, sentence, rule) and the table can be searched.

    \b
    Examples:
      graphkit report -o report/
      graphkit report --freq M --top 12 --since 2024-01-01 -o report/
      graphkit report --from statements.jsonl -o report/
    """
    from ..config import output_path
    from ..viz.report import write_report
    from ..viz.sources import load_report_frame

    output = output or output_path("report")
    errors: list[str] = []
    # columns, not a Statement object per row: the report holds a million statements in a few GB
    frame, actors = load_report_frame(from_path, store, since=since, until=until, errors=errors)
    _report_bad_lines(errors)
    index = write_report(frame, actors, output, since=since, until=until, freq=freq, top=top, title=title)
    log.info("wrote %s", index)
    if errors:
        raise PartialInput(f"{len(errors)} bad input line(s) skipped; wrote {index} from the rest")


@click.command("map")
@click.option("-o", "--output", default=None, type=click.Path(dir_okay=False),
              help="The page to write [default: map.html, in graphkit.toml's [output] folder if set].")
@view_options
@focus_options
@fallback_places_option
@click.option("--title", default=None, help="Page title.")
def map_cmd(output, since, until, actor, hops, fallback_places, title, from_path, store):
    """Write the events on a map: a self-contained HTML page (works offline, no tiles).

    Each statement with coordinates (a place the extractor resolved with the gazetteer,
    or GDELT's ActionGeo / ACLED's geocode) is a point: colour by QuadClass or type,
    size by mentions or casualties; hover or click for the sentence behind it and how
    it was placed ("placed by dateline": an event whose sentence names no place, placed
    by a fallback; docs/statements.md). The page filters by type, QuadClass, modality,
    placement and time window; --no-fallback-places leaves fallback placements out of
    the page. The options select statements as `graphkit render` does (same window,
    same actor neighbourhood).

    \b
    Examples:
      graphkit map -o map.html
      graphkit map --since 2024-01-01 --until 2024-03-31 -o q1.html
      graphkit map --actor PMF --hops 1 -o pmf-map.html
      graphkit map --no-fallback-places -o told-places.html
      graphkit extract data/articles/ > st.jsonl && graphkit map --from st.jsonl -o map.html
    """
    from ..config import output_path
    from ..viz.map import build_map, render_map

    output = output or output_path("map.html")
    statements, actors, actor, errors = _view_statements(from_path, store, since, until, actor)
    data = build_map(statements, actors, since=since, until=until, focus=actor, hops=hops,
                     fallback_places=fallback_places)
    path = render_map(data, output, title=title or _default_title(actor, hops).replace("network", "map"))
    log.info("wrote %s: %d events on the map, %d without coordinates", path, len(data.points), data.unplaced)
    if errors:
        raise PartialInput(f"{len(errors)} bad input line(s) skipped; wrote {path} from the rest")


COMMANDS = [render_cmd, report_cmd, map_cmd]
