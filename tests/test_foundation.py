"""The foundation: CLI surface, store selection, secrets kept out of messages, real Neo4j round trip."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli
from graphkit.store import open_store, redact, store_uri

COMMANDS = ["articles", "extract", "load", "query", "tension", "render", "report", "import", "neo4j",
            "actors", "balance", "eval"]


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert set(COMMANDS) <= listed


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_teaching_help(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output) > 200


def test_import_lists_its_sources():
    out = CliRunner().invoke(cli, ["import", "--help"]).output
    for source in ("gdelt", "acled", "phoenix"):
        assert source in out


def test_store_uri_precedence(monkeypatch):
    monkeypatch.delenv("GRAPHKIT_STORE", raising=False)
    assert store_uri() == "sqlite:///graphkit.db"
    monkeypatch.setenv("GRAPHKIT_STORE", "bolt://127.0.0.1:7688")
    assert store_uri() == "bolt://127.0.0.1:7688"
    assert store_uri("sqlite:///x.db") == "sqlite:///x.db"


def test_redact_hides_password():
    assert redact("bolt://neo4j:s3cr3t@host:7687") == "bolt://neo4j:***@host:7687"
    assert "s3cr3t" not in redact("neo4j://u:s3cr3t@h")
    assert redact("sqlite:///graphkit.db") == "sqlite:///graphkit.db"


def test_unknown_store_scheme_is_one_clear_line():
    from graphkit.errors import GraphkitError

    with pytest.raises(GraphkitError) as err:
        open_store("postgres://u:hunter2@db/x")
    assert "hunter2" not in str(err.value) and "\n" not in str(err.value)


@pytest.mark.neo4j
def test_real_neo4j_session_writes_and_reads_a_node(neo4j_driver):
    with neo4j_driver.session() as session:
        session.execute_write(lambda tx: tx.run("CREATE (:Smoke {name: $name})", name="graphkit").consume())
        names = session.execute_read(lambda tx: [r["n"] for r in tx.run("MATCH (s:Smoke) RETURN s.name AS n")])
        version = session.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v").single()["v"]
    assert names == ["graphkit"]
    assert version.startswith("5.26")


def test_typology_has_plover_16_plus_relation_states():
    from graphkit import typology

    plover = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
              "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    assert plover | {"TENSION", "ALLIANCE"} == set(typology.types())
    assert typology.get("FIGHT").name == "ASSAULT" and typology.get("demand").name == "REQUEST"
    assert typology.get("ASSAULT").quad_class == 4 and typology.get("ASSAULT").goldstein == -10.0
    assert all(t.conflict == (t.goldstein < 0) for t in typology.types().values())


def test_typology_refuses_unknown_relationship_types_and_labels():
    from graphkit import typology
    from graphkit.errors import GraphkitError

    assert typology.checked_rel_type("ASSAULT") == "ASSAULT"
    for bad in ("ASSAULT]->() DETACH DELETE (n", "FOO", ""):
        with pytest.raises(GraphkitError):
            typology.checked_rel_type(bad)
    with pytest.raises(GraphkitError):
        typology.checked_label("Actor:Admin")


def test_statement_ids_are_deterministic_and_symmetric_where_the_type_is():
    from datetime import date

    from graphkit.ids import statement_id

    a = statement_id("USA", "IRQ.PMF", "ASSAULT", date(2023, 12, 3), "asserted")
    assert a == statement_id("USA", "IRQ.PMF", "ASSAULT", date(2023, 12, 3), "asserted")
    assert a != statement_id("IRQ.PMF", "USA", "ASSAULT", date(2023, 12, 3), "asserted")
    assert statement_id("A", "B", "TENSION", None, "asserted", symmetric=True) == statement_id(
        "B", "A", "TENSION", None, "asserted", symmetric=True)


def test_statement_dict_round_trip():
    from datetime import date

    from graphkit.model import ActorRef, Mention, Statement
    from graphkit.serialize import statement_from_dict, statement_to_dict

    st = Statement(id="st_1", source=ActorRef("USAMIL", "U.S. military", "military", "USA"),
                   target=ActorRef("IRQ.PMF", "Popular Mobilization Forces", "militia", "IRQ"),
                   type="ASSAULT", cameo="195", quad_class=4, goldstein=-10.0, date=date(2023, 12, 3),
                   date_precision="day", location="Kirkuk", article_id="a1", sentence="s", char_start=0,
                   char_end=1, rule="r", confidence=0.9, mentions=2,
                   evidence=(Mention("a1", "s", 0, 1, "r", 0.9), Mention("a1", "t", 5, 9, "r2", 0.8)))
    assert statement_from_dict(statement_to_dict(st)) == st


def test_quad_classes_follow_plover_and_the_cameo_root_of_a_request():
    """A statement's QuadClass is its CAMEO root's: GDELT's ranges, except that root 16 (PLOVER's
    SANCTION, "reduce relations") is verbal conflict as in PLOVER's quad categories; a REQUEST is verbal
    cooperation as an appeal (root 02) and verbal conflict as a demand (root 10, PLOVER's DEMAND)."""
    from graphkit import typology
    from graphkit.extract.lexicon import default_lexicon

    assert typology.get("SANCTION").quad_class == 3 and typology.get("PROTEST").quad_class == 4
    assert [typology.quad_of(c, 0) for c in ("020", "0231", "1041", "163", "145", "190", "085")] == [1, 1, 3, 3, 4, 4, 2]
    assert typology.quad_of("X1", 2) == 2 and typology.quad_of(None, 4) == 4  # not CAMEO: the type's own
    entries = default_lexicon().entries.values()
    requests = [e for e in entries if e.type == "REQUEST"]
    assert requests and all(e.quad_class == (3 if e.cameo.startswith("10") else 1) for e in requests)
    assert all(e.quad_class == 3 for e in entries if e.type == "SANCTION")
    # every type's own class is its default CAMEO code's
    assert all(typology.quad_of(t.cameo, t.quad_class) == t.quad_class for t in typology.types().values()
               if t.kind == "event")
