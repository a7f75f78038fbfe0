"""Phoenix/PETRARCH (TABARI-format) actor dictionaries: parsing, merging, the import command."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner
from conftest import SHARED

from graphkit.cli.main import cli
from graphkit.registry import Registry, Resolver
from graphkit.registry.phoenix import add_phoenix, merge_phoenix_detailed, parse_phoenix

SAMPLE = """# a TABARI actor file
<!-- an XML comment
spanning lines [NOTACODE] -->
IRAQ_  [IRQ]
+MESOPOTAMIA_
+BAGHDADI_GOVERNMENT_ <!-- inline -->

MUHAMMAD_SHIA_AL_SUDANI_  # CountryInfo.txt
\t[IRQGOVHRI 110101-140908]
\t[IRQGOV >20221027]
JOHN_QUINCY_EXAMPLE_  # CountryInfo.txt
+J_Q_EXAMPLE_
\t[USAGOV 990101-010120]
\t[USAELI <990101]
ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB]
NO_CODE_SYNONYM_

NOT_AN_ACTOR_ [---]
DMITRY_EXAMPLOV_  # CountryInfo.txt
+D_EXAMPLOV_
DMITR_EXAMPLOV_  # CountryInfo.txt
	[RUSGOV >080507]
BAD_DATE_PERSON_
\t[IRQGOV 2004017-20061201]
"""


@pytest.fixture()
def sample(tmp_path):
    path = tmp_path / "Sample.actors.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


@pytest.fixture()
def base(tmp_path, monkeypatch) -> Registry:
    monkeypatch.setenv("GRAPHKIT_ACTORS_DIR", str(tmp_path / "user-actors"))
    return Registry.fresh()


def test_parse_entries_codes_dates_and_comments(sample):
    d = parse_phoenix(sample)
    names = [e.names[0] for e in d.entries]
    assert names == ["IRAQ_", "MUHAMMAD_SHIA_AL_SUDANI_", "JOHN_QUINCY_EXAMPLE_",
                     "ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_", "DMITRY_EXAMPLOV_", "BAD_DATE_PERSON_"]  # [---] dropped
    iraq, sudani, john, aden, dmitry, bad = d.entries
    assert iraq.names == ["IRAQ_", "MESOPOTAMIA_", "BAGHDADI_GOVERNMENT_"]
    assert [(c.code, c.start, c.end) for c in sudani.codes] == [
        ("IRQGOVHRI", date(2011, 1, 1), date(2014, 9, 8)), ("IRQGOV", date(2022, 10, 27), None)]
    assert [(c.code, c.start, c.end) for c in john.codes] == [
        ("USAGOV", date(1999, 1, 1), date(2001, 1, 20)), ("USAELI", None, date(1999, 1, 1))]
    # a code-less root followed by a blank line joins the entry before it ...
    assert aden.names == ["ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_", "NO_CODE_SYNONYM_"]
    # ... and one followed directly by another root shares that root's codes
    assert dmitry.names == ["DMITRY_EXAMPLOV_", "D_EXAMPLOV_", "DMITR_EXAMPLOV_"]
    assert [(c.code, c.start) for c in dmitry.codes] == [("RUSGOV", date(2008, 5, 7))]
    assert sudani.person_hint and not john.null
    assert [c.code for c in bad.codes] == ["IRQGOV"] and bad.codes[0].start is None
    assert len(d.warnings) == 1 and d.warnings[0].startswith(f"{sample}:24: ") and "2004017" in d.warnings[0]


def test_merge_joins_known_persons_and_creates_code_actors(sample, base):
    before = set(base.actors)
    result = merge_phoenix_detailed(base, parse_phoenix(sample))
    # the country entry only adds aliases
    assert "Mesopotamia" in base.get("IRQ").aliases
    # the CountryInfo person merges into the curated person (Muhammad = Mohammed)
    assert "PER.MUHAMMAD_SHIA_AL_SUDANI" not in base.actors
    assert "IRQGOVHRI" in base.parents("PER.MOHAMMED_SHIA_AL_SUDANI", date(2012, 1, 1))
    assert "IRQGOVHRI" not in base.parents("PER.MOHAMMED_SHIA_AL_SUDANI", date(2023, 1, 1))
    # a new person, with dated ties that change its rollup
    john = base.get("PER.JOHN_QUINCY_EXAMPLE")
    assert john.kind == "person" and "J Q Example" in john.aliases
    assert base.rollup(john.id, "organisation", date(2000, 6, 1)) == "USAGOV"
    assert base.rollup(john.id, "organisation", date(1998, 6, 1)) == "USAELI"
    # new CAMEO code actors hang under their country / government
    assert base.get("IRQGOVHRI").kind == "government" and base.parents("IRQGOVHRI")[0] == "IRQGOV"
    # organisations keep their parenthesised acronym as an alias
    aden = base.get("YEM.ADEN_ABYAN_ISLAMIC_ARMY")
    assert aden.kind == "militia" and "AAIA" in aden.aliases and "No Code Synonym" in aden.aliases
    # (a code whose date could not be read is undated, so that entry reads as an institution)
    assert set(base.actors) - before == {"PER.JOHN_QUINCY_EXAMPLE", "IRQ.BAD_DATE_PERSON", "IRQGOVHRI",
                                         "USAELI", "YEM.ADEN_ABYAN_ISLAMIC_ARMY", "YEMREB",
                                         "PER.DMITRY_EXAMPLOV"}
    assert result.added == 7
    resolver = Resolver(base)
    assert [m.actor.id for m in resolver.find("AAIA fighters attacked", date(2010, 1, 1))] == [aden.id]


def test_real_countries_dictionary(base):
    path = SHARED / "reference" / "phoenix" / "Phoenix.Countries.actors.txt"
    if not path.exists():
        pytest.fail(f"{path} missing (../shared must sit beside the repository)")
    d = parse_phoenix(path)
    result = merge_phoenix_detailed(base, d)
    ties = [a for a in result.affiliations if a.start or a.end]
    # 18,351 dictionary entries -> ~20,000 actors (persons, institutions, CAMEO code actors)
    # with 30,000+ affiliations, most of them date-bounded codes.
    assert len(d.entries) >= 18_000
    # Entries naming a person the curated registry already holds (world leaders in roles.toml)
    # extend that actor instead of adding one: count both.
    assert len(result.actors) >= 20_000 and result.added >= 19_500
    assert len(result.affiliations) >= 30_000 and len(ties) >= 20_000
    assert base.holder("IRQ.PM", date(2023, 1, 1)).id == "PER.MOHAMMED_SHIA_AL_SUDANI"


def test_import_command_writes_a_registry_file_that_default_reads(sample, tmp_path, monkeypatch):
    user = tmp_path / "user-actors"
    monkeypatch.setenv("GRAPHKIT_ACTORS_DIR", str(user))
    runner = CliRunner()
    first = runner.invoke(cli, ["import", "phoenix", str(sample), "--format", "json"])
    assert first.exit_code == 0, first.output
    out = user / "layers" / "phoenix-Sample.json"
    summary = json.loads(first.stdout)[0]
    assert summary["actors_added"] == 7 and summary["written_to"] == str(out) and summary["warnings"] == 1
    assert "Sample.actors.txt:24" in first.stderr
    written = out.read_text(encoding="utf-8")
    # re-importing replaces the file with the same content (idempotent)
    again = runner.invoke(cli, ["import", "phoenix", str(sample), "--format", "json"])
    assert again.exit_code == 0 and json.loads(again.stdout)[0]["actors_added"] == 7
    assert out.read_text(encoding="utf-8") == written
    assert "--registry phoenix-Sample" in first.stderr
    # a named layer: nothing changes until it is switched on
    assert Registry.default().get("PER.JOHN_QUINCY_EXAMPLE") is None
    off = runner.invoke(cli, ["actors", "J Q Example", "--on", "2000-06-01", "--format", "json"])
    assert off.exit_code != 0 or "PER.JOHN_QUINCY_EXAMPLE" not in off.stdout
    monkeypatch.setenv("GRAPHKIT_REGISTRY_LAYERS", "phoenix-Sample")
    registry = Registry.default()
    assert registry.get("PER.JOHN_QUINCY_EXAMPLE") is not None
    assert "IRQGOVHRI" in registry.parents("PER.MOHAMMED_SHIA_AL_SUDANI", date(2012, 1, 1))
    shown = runner.invoke(cli, ["actors", "J Q Example", "--on", "2000-06-01", "--format", "json"])
    assert shown.exit_code == 0, shown.output
    row = json.loads(shown.stdout)[0]
    assert row["id"] == "PER.JOHN_QUINCY_EXAMPLE" and row["organisation"] == "USAGOV"


def test_import_missing_file_is_one_line_error(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_ACTORS_DIR", str(tmp_path / "u"))
    result = CliRunner().invoke(cli, ["import", "phoenix", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"graphkit: error: {tmp_path / 'nope.txt'}: no such file"


def test_seed_still_resolves_with_all_phoenix_dictionaries(base, seed_path):
    """Curated names win over the 30,000 imported ones: the seed expectations hold."""
    folder = SHARED / "reference" / "phoenix"
    for name in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                 "Phoenix.MilNonState.actors.txt"):
        add_phoenix(base, folder / name)
    assert len(base.actors) >= 30_000
    text = seed_path.read_text(encoding="utf-8")
    mentions = {m.text: m.actor.id for m in Resolver(base).find(text, date(2023, 12, 6))}
    expected = {
        "U.S.": "USA", "CENTCOM": "USA.CENTCOM", "The United States": "USA",
        "PM Sudani": "PER.MOHAMMED_SHIA_AL_SUDANI", "Prime Minister al-Sudani": "PER.MOHAMMED_SHIA_AL_SUDANI",
        "Iraqi Prime Minister Mohammed Shia’ al-Sudani": "PER.MOHAMMED_SHIA_AL_SUDANI",
        "Iraqi Prime Minister": "PER.MOHAMMED_SHIA_AL_SUDANI", "the militias": "IRQ.PMF",
        "U.S. Ambassador Alina Romanowski": "PER.ALINA_ROMANOWSKI", "The U.S. ambassador": "PER.ALINA_ROMANOWSKI",
        "Iraqi Security Forces": "IRQ.ISF", "the federal government": "IRQGOV",
    }
    assert {k: mentions.get(k) for k in expected} == expected
    assert any(t.startswith("forces assigned to") and a == "USA.CJTF_OIR" for t, a in mentions.items())


def test_phoenix_merges_through_public_registry_methods_and_keeps_dataset(tmp_path):
    from graphkit.model import Actor
    from graphkit.registry import Registry

    reg = Registry.fresh()
    reg.add_actor(Actor("IRQ.KATAIB", "Kataib Test", "militia", "IRQ", dataset="acled"), "test")
    dictionary = tmp_path / "Test.actors.txt"
    dictionary.write_text("KATAIB_TEST_ [IRQREB]\n+KATAIB_TESTING_GROUP_\n", encoding="utf-8")
    result = merge_phoenix_detailed(reg, parse_phoenix(dictionary))
    kept = reg.get("IRQ.KATAIB")
    assert "Kataib Testing Group" in kept.aliases and kept.dataset == "acled"  # the alias merge keeps dataset
    assert result.actors["IRQ.KATAIB"] == kept
