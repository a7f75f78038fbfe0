"""The seed article through the whole CLI: load into the embedded store, then read tension back.

Issue acceptance: the USA-PMF and Iraqi government-PMF dyads show conflict in December 2023."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graphkit.cli.main import cli


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory, seed_path):
    db = tmp_path_factory.mktemp("seed") / "seed.db"
    uri = f"sqlite:///{db}"
    result = CliRunner().invoke(cli, ["load", str(seed_path), "--store", uri])
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(cli, ["load", str(seed_path), "--store", uri])
    assert again.exit_code == 0, again.output
    return uri


def tension_rows(uri: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["tension", "series", "--store", uri, "--freq", "M", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def december_conflict(rows: list[dict], a: str, b: str) -> dict:
    (row,) = [r for r in rows if {r["source"], r["target"]} == {a, b} and str(r["period"]).startswith("2023-12")]
    return row


def test_usa_pmf_conflict_in_december_2023(seed_store):
    row = december_conflict(tension_rows(seed_store, "--dyad", "USA,IRQ.PMF"), "USA", "IRQ.PMF")
    assert row["q4"] >= 1 and row["goldstein_sum"] < 0 and row["conflict_share"] > 0.5


def test_iraqi_government_pmf_conflict_in_december_2023(seed_store):
    rows = tension_rows(seed_store, "--level", "organisation", "--dyad", "IRQGOV,IRQ.PMF")
    row = december_conflict(rows, "IRQGOV", "IRQ.PMF")
    assert row["q3"] + row["q4"] >= 1 and row["goldstein_sum"] < 0


def test_reloading_the_seed_adds_nothing(seed_store, seed_path):
    result = CliRunner().invoke(cli, ["load", str(seed_path), "--store", seed_store])
    assert result.exit_code == 0
    from graphkit.store import open_store

    with open_store(seed_store) as store:
        counts = store.counts()
    assert counts["articles"] == 1 and counts["statements"] >= 5


def test_the_kirkuk_strike_is_on_the_map(seed_store, tmp_path):
    """The stored strike carries Kirkuk's coordinates and `graphkit map --store` draws it."""
    from graphkit.store import open_store

    with open_store(seed_store) as store:
        (strike,) = [s for s in store.statements() if (s.source.id, s.type, s.target.id) == ("USA", "ASSAULT", "IRQ.PMF")
                     and s.date and s.date.isoformat() == "2023-12-03"]
    assert (strike.location, strike.place_precision, strike.place_country) == ("Kirkuk", "town", "IRQ")
    assert strike.geonames_id == 94787 and abs(strike.latitude - 35.47) < 0.05 and abs(strike.longitude - 44.39) < 0.05
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", "--store", seed_store, "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8").split('id="map-data">')[1].split("</script>")[0])
    assert strike.id in {p["id"] for p in data["points"]}
