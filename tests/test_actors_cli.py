"""`graphkit actors`: explaining a resolution, user registry files, --unresolved."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli


@pytest.fixture()
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_ACTORS_DIR", str(tmp_path / "user-actors"))

    def invoke(*args):
        return CliRunner().invoke(cli, list(args))

    return invoke


def test_explains_the_office_holder_on_each_date(run):
    rows = {}
    for day in ("2021-06-01", "2023-12-06"):
        result = run("actors", "the Iraqi Prime Minister", "--on", day, "--format", "json")
        assert result.exit_code == 0, result.output
        rows[day] = json.loads(result.stdout)
    assert [r["id"] for r in rows["2021-06-01"]] == ["PER.MUSTAFA_AL_KADHIMI"]
    new = rows["2023-12-06"][0]
    assert new["id"] == "PER.MOHAMMED_SHIA_AL_SUDANI" and new["rule"] == "role@date"
    assert "IRQ.PM" in new["why"] and "2022-10-27" in new["why"]
    assert new["organisation"] == "IRQGOV" and new["country_rollup"] == "IRQ"


def test_registry_id_and_csv(run):
    result = run("actors", "USA.CENTCOM", "--format", "csv")
    assert result.exit_code == 0
    header, row = result.stdout.strip().splitlines()
    assert header.startswith("text,id,name") and ",USA.CENTCOM,U.S. Central Command,military," in row
    assert "USAMIL > USA" in row


def test_user_file_extends_the_registry(run, tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[actor]]\nid = "IRQ.ZULFIQAR"\nname = "Zulfiqar Brigade"\nkind = "militia"\n'
                     'country = "IRQ"\naliases = ["Liwa Zulfiqar"]\nmember_of = ["IRQ.PMF"]\n', encoding="utf-8")
    result = run("actors", "Liwa Zulfiqar fighters", "--actors", str(extra), "--format", "json")
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)[0]
    assert row["id"] == "IRQ.ZULFIQAR" and row["parents"].startswith("IRQ.PMF")
    # without the file the name is unknown
    assert run("actors", "Liwa Zulfiqar").exit_code == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ('[[actor]]\nid = "X.Y"\nname = "Y"\n', "actor #1: missing field 'kind'"),
        ('[[actor]]\nid = "X.Y"\nname = "Y"\nkind = "army"\n', "actor #1 (X.Y): kind 'army' is not one of"),
        ('[[actor]]\nid = "X.Y"\nname = "Y"\nkind = "group"\ncountry = "Iraq"\n', "country 'Iraq' is not"),
        ('[[actor]\nid = 1', "not a valid registry file"),
    ],
)
def test_bad_registry_file_is_a_one_line_error(run, tmp_path, content, message):
    bad = tmp_path / "bad.toml"
    bad.write_text(content, encoding="utf-8")
    result = run("actors", "PMF", "--actors", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"graphkit: error: {bad}") and message in lines[0]


def test_bad_date_and_unknown_name(run):
    bad = run("actors", "PMF", "--on", "2023-13-01")
    assert bad.exit_code == 2 and "'--on': '2023-13-01' is not a date" in bad.stderr
    unknown = run("actors", "nothing to see")
    assert unknown.exit_code == 1 and "no actor found in 'nothing to see'" in unknown.stderr


def test_unresolved_from_statements_jsonl(run, tmp_path):
    lines = [
        {"source": {"id": "PROV.ZULFIQAR_BRIGADE", "name": "Zulfiqar Brigade", "kind": "other"},
         "target": {"id": "USA", "name": "United States", "kind": "state"}},
        {"source": {"id": "IRQ.PMF", "name": "PMF", "kind": "militia"},
         "target": {"id": "PROV.ZULFIQAR_BRIGADE", "name": "Zulfiqar Brigade", "kind": "other"}},
        {"actor": {"id": "PROV.ABU_TAHSIN", "name": "Abu Tahsin", "kind": "person", "provisional": True}},
    ]
    path = tmp_path / "statements.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    result = run("actors", "--unresolved", "--from", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["id"], r["count"]) for r in rows] == [("PROV.ZULFIQAR_BRIGADE", 2), ("PROV.ABU_TAHSIN", 1)]
    assert rows[0]["first_seen"] == f"{path}:1"


def test_unresolved_bad_jsonl_line_names_the_line(run, tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text('{"source": {}}\nnot json\n', encoding="utf-8")
    result = run("actors", "--unresolved", "--from", str(path))
    assert result.exit_code == 2 and f"{path}:2: not JSON" in result.stderr


def test_unresolved_needs_a_source(run):
    result = run("actors", "--unresolved")
    assert result.exit_code == 2 and "--from" in result.stderr
