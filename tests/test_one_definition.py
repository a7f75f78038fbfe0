"""One definition per fact: the sector table, actor kinds, affiliation types and date precisions are
each defined once and every path that uses them agrees."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest

from graphkit import model, sectors, typology
from graphkit.cli.main import cli
from graphkit.errors import InputError
from graphkit.importers import acled, cameo, gdelt
from graphkit.importers.common import RegistryView


def test_every_sector_code_has_one_kind_and_label_whichever_path_makes_the_actor(registry):
    table = sectors.sectors()
    assert {"GOV", "MIL", "OPP", "UAF", "UNK", "IGO"} <= set(table)
    bare = gdelt.ActorMapper(RegistryView(None))  # the importer on its own, without the registry
    with_registry = gdelt.ActorMapper(RegistryView(registry))
    for code, sector in table.items():
        extraction = registry.sector_actor("IRQ", code)  # what the resolver makes for "Iraqi <agent>"
        derived = registry.get(f"IRQ{code}")
        imported = bare.actor(f"IRQ{code}", "", "IRQ", "", "")
        via_registry = with_registry.actor(f"IRQ{code}", "", "IRQ", "", "")
        assert derived is not None, code
        kinds = {extraction.kind, imported.kind, via_registry.kind, sector.kind}
        assert kinds == {sector.kind}, (code, kinds)
        if code not in ("GOV", "MIL"):  # the registry's own Government/Armed Forces of Iraq keep their names
            assert sector.label.casefold() in extraction.name.casefold(), (code, extraction.name)
        assert sector.label in imported.name, (code, imported.name)
    assert cameo.actor_types() is table  # the importers' lookup is the same table, not a copy


def test_acled_generic_actors_take_kind_and_label_from_the_sector_table():
    mapper = acled.ActorMapper(RegistryView(None))
    for name, code in (("Protesters (Iraq)", "OPP"), ("Military Forces of Iraq (2022-)", "MIL"),
                       ("Police Forces of Iraq (2022-)", "COP"), ("Journalists (Iraq)", "MED")):
        actor = mapper.actor(name, "")
        assert actor.id == f"IRQ{code}"
        assert actor.kind == sectors.kind(code)
        assert actor.name.endswith(sectors.label(code))


def test_the_six_reconciled_codes():
    # decisions recorded in data/cameo/actor_types.tsv's history: see the commit that unified the table
    assert sectors.get("OPP").kind == "group" and sectors.get("OPP").label == "opposition"
    assert sectors.label("MIL") == "armed forces"
    assert sectors.label("COP") == "police and security forces"
    assert sectors.label("PTY") == "political parties"
    assert sectors.label("HLH") == "health sector"
    assert sectors.label("UAF") == "unidentified armed group"
    assert sectors.state_organs() == {"GOV", "MIL", "COP", "SPY", "LEG", "JUD"}


def test_sector_table_refuses_a_bad_row(tmp_path, monkeypatch):
    (tmp_path / "cameo").mkdir()
    (tmp_path / "cameo" / "actor_types.tsv").write_text("GOV\tgovernment\tgovernment\tyes\nMIL\tarmy\tarmed forces\tyes\n")
    monkeypatch.setenv("GRAPHKIT_DATA", str(tmp_path))
    sectors.sectors.cache_clear()
    try:
        with pytest.raises(InputError, match=r"actor_types.tsv:2: kind 'army'"):
            sectors.sectors()
        (tmp_path / "cameo" / "actor_types.tsv").write_text("GOV\tgovernment\tgovernment\tyes\nGOV\tgovernment\tx\tyes\n")
        with pytest.raises(InputError, match=r"actor_types.tsv:2: sector GOV is listed twice"):
            sectors.sectors()
    finally:
        sectors.sectors.cache_clear()


def test_actor_kinds_affiliation_types_and_precisions_are_defined_once():
    from graphkit.registry import registry as registry_module
    from graphkit.store import prepare

    assert tuple(typology.KIND_LABELS) == model.ACTOR_KINDS  # every kind has its Neo4j label, no other
    assert registry_module.KINDS is model.ACTOR_KINDS
    assert prepare.AFFILIATION_TYPES is model.AFFILIATION_TYPES
    assert prepare.DATE_PRECISIONS is model.DATE_PRECISIONS
    assert {s.kind for s in sectors.sectors().values()} <= set(model.ACTOR_KINDS)
    from graphkit.viz.network import KIND_STYLE

    assert set(KIND_STYLE) == set(model.ACTOR_KINDS)


# -- shared steps and options: each defined once (issue 17) --------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _modules(under: str = "graphkit"):
    """(path relative to the repository, parsed module) of every source file under `under`."""
    for path in sorted((ROOT / under).rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.AST) -> str | None:
    """The name a call calls: `f(...)` -> "f", `a.b.f(...)` -> "f"."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _commands():
    """(command path, click.Command) of every graphkit command, groups walked."""
    ctx = click.Context(cli)

    def walk(command, path):
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])
        else:
            yield " ".join(path), command

    yield from walk(cli, [])


def test_one_batcher_makes_every_load_batch():
    """Load and the importers fill their batches with graphkit.batches.BatchBuilder: no other module
    makes a LoadBatch (a second batcher would have to)."""
    makers = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if _called(node) == "LoadBatch" or (isinstance(node, ast.keyword) and node.arg == "default_factory"
                                                 and getattr(node.value, "id", None) == "LoadBatch"):
                makers.add(name)
    assert makers == {"graphkit/batches.py"}
    from graphkit import batches, loading
    from graphkit.importers import acled, common, gdelt

    assert gdelt.batched is acled.batched is batches.batched
    assert not hasattr(common, "BatchBuilder") and not hasattr(common, "batched")
    assert isinstance(loading.BatchWriter(None, 10).builder, batches.BatchBuilder)


def test_one_progress_display():
    """Every progress bar is cli.common.progress_bars: no other module sets up rich progress."""
    users = {name for name, tree in _modules() for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rich.progress")
             or isinstance(node, ast.Import) and any(a.name.startswith("rich.progress") for a in node.names)}
    assert users == {"graphkit/cli/common.py"}


def test_one_jsonl_reader_for_articles_and_statements(tmp_path):
    """An article file and a statement file with the same bad line give the same one-line error (both
    read through graphkit.inputs.jsonl_records), and no other loop outside graphkit.inputs decodes
    JSON line by line."""
    from graphkit.ingest import read_paths
    from graphkit.loading import read_statements

    bad = '{"text": "x", \n'
    for name in ("articles.jsonl", "statements.jsonl"):
        (tmp_path / name).write_text(bad, encoding="utf-8")
    article_problem = str(read_paths([str(tmp_path / "articles.jsonl")]).problems[0])
    statement_problem = str(read_statements(tmp_path / "statements.jsonl")[1][0])
    assert article_problem.split(": ", 1)[1] == statement_problem.split(": ", 1)[1]
    assert article_problem.startswith(f"{tmp_path / 'articles.jsonl'}:1: not JSON")
    # JSON decoded inside a loop: the reader itself, and JSON that is a column or a tag, not a line
    not_lines = {"graphkit/inputs.py",  # the one reader
                 "graphkit/loading.py",  # is_statement_jsonl sniffs a file's first object
                 "graphkit/shards.py", "graphkit/store/sqlite.py", "graphkit/store/neo4j.py",  # an `extra` column
                 "graphkit/ingest/html.py",  # a page's JSON-LD <script> tags
                 "graphkit/extract/lexicon.py"}  # tomllib.loads of each lexicon file: TOML, not JSON lines
    loops = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.For) and any(_called(n) in ("loads", "parse_json")
                                                 for stmt in node.body for n in ast.walk(stmt)):
                loops.add(name)
    assert loops <= not_lines, loops - not_lines


def test_one_from_option_everywhere():
    """Every `--from` that reads statements is cli.common.from_option: one dest, JSONL files and
    Parquet shard folders alike."""
    from graphkit.cli.common import from_option

    @from_option
    def reference(from_path):
        pass

    (want,) = reference.__click_params__
    seen = []
    for path, command in _commands():
        for param in command.params:
            if "--from" not in getattr(param, "opts", ()):
                continue
            if path == "actors":  # --from FILE... there reads articles too (repeatable): another option
                assert param.multiple
                continue
            seen.append(path)
            assert (param.name, param.help, param.metavar) == (want.name, want.help, want.metavar), path
            assert param.type.dir_okay and param.type.file_okay and param.type.exists, path
    assert {"tension series", "tension alerts", "balance", "export", "render", "report", "map"} <= set(seen)


def test_one_date_type_for_every_date_option():
    """Dates on the command line are parsed once, by cli.common.ISO_DATE: no command module parses
    ISO dates itself."""
    from graphkit.cli.common import ISO_DATE

    dated = 0
    for path, command in _commands():
        for param in command.params:
            if {"--since", "--until", "--published"} & set(getattr(param, "opts", ())):
                assert param.type is ISO_DATE, (path, param.name)
                dated += 1
    assert dated >= 20
    parsers = {name for name, tree in _modules("graphkit/cli") for node in ast.walk(tree)
               if _called(node) in ("fromisoformat", "strptime")}
    assert parsers == {"graphkit/cli/common.py"}
