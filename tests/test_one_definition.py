"""One definition per fact: the sector table, actor kinds, affiliation types and date precisions are
each defined once and every path that uses them agrees."""

from __future__ import annotations

import pytest

from graphkit import model, sectors, typology
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
