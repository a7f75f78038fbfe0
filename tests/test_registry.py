"""Actor registry and resolution: the seed article, dates, affiliations, rollups."""

from __future__ import annotations

from datetime import date

import pytest

from graphkit.registry import DiscourseContext

SEED_DATE = date(2023, 12, 6)



@pytest.fixture(scope="module")
def seed_mentions(resolver, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    return text, resolver.find(text, SEED_DATE)


def _resolved(mentions, surface: str) -> set[str]:
    """Actor ids of the mentions whose text contains `surface` (case-insensitive)."""
    found = {m.actor.id for m in mentions if surface.lower() in m.text.lower()}
    assert found, f"no mention covering {surface!r}: {[m.text for m in mentions]}"
    return found


# ---------------------------------------------------------------- seed article
@pytest.mark.parametrize(
    "surface, expected",
    [
        ("Hashd al-Shaabi", "IRQ.PMF"),
        ("the militias", "IRQ.PMF"),
        ("PM Sudani", "PER.MOHAMMED_SHIA_AL_SUDANI"),
        ("Prime Minister al-Sudani", "PER.MOHAMMED_SHIA_AL_SUDANI"),
        ("Iraqi Prime Minister Mohammed Shia’ al-Sudani", "PER.MOHAMMED_SHIA_AL_SUDANI"),
        ("U.S. Central Command", "USA.CENTCOM"),
        ("The United States", "USA"),
        ("U.S. Ambassador Alina Romanowski", "PER.ALINA_ROMANOWSKI"),
        ("The U.S. ambassador", "PER.ALINA_ROMANOWSKI"),
        ("Iraqi Security Forces", "IRQ.ISF"),
        ("Shia Coordination Framework Coalition", "IRQ.COORDINATION_FRAMEWORK"),
        ("the federal government", "IRQGOV"),
        ("Gulan Media", "MED.GULAN_MEDIA"),
    ],
)
def test_seed_article_mentions_land_on_the_right_actors(seed_mentions, surface, expected):
    _, mentions = seed_mentions
    assert _resolved(mentions, surface) == {expected}


def test_seed_headline_iraqi_prime_minister_is_the_holder_on_the_article_date(seed_mentions):
    text, mentions = seed_mentions
    headline = [m for m in mentions if m.text == "Iraqi Prime Minister"]
    assert headline and all(m.actor.id == "PER.MOHAMMED_SHIA_AL_SUDANI" and m.rule == "role@date" for m in headline)


def test_seed_forces_assigned_to_cjtf_oir_is_the_task_force_under_us_military(seed_mentions, registry):
    _, mentions = seed_mentions
    forces = [m for m in mentions if m.text.startswith("forces assigned to")]
    assert len(forces) == 1 and forces[0].actor.id == "USA.CJTF_OIR" and forces[0].rule == "agent+of"
    assert "USAMIL" in registry.parents("USA.CJTF_OIR")
    assert "USAMIL" in registry.parents("USA.CENTCOM")


def test_seed_us_abbreviation_is_the_state_and_pronoun_is_not(seed_mentions):
    text, mentions = seed_mentions
    us = [m for m in mentions if m.text == "U.S."]
    assert len(us) >= 5 and {m.actor.id for m in us} == {"USA"}
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_seed_they_refers_to_the_iraqi_security_forces(seed_mentions):
    _, mentions = seed_mentions
    they = [m for m in mentions if m.text == "they"]
    assert [m.actor.id for m in they] == ["IRQ.ISF"] and they[0].rule == "coref:pronoun"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("forces assigned to CJTF-OIR", "USA.CJTF_OIR"),
        ("CENTCOM", "USA.CENTCOM"),
        ("the United States", "USA"),
        ("Popular Mobilization Forces", "IRQ.PMF"),
        ("Popular Mobilisation Forces", "IRQ.PMF"),
        ("PMF", "IRQ.PMF"),
        ("Hashd Shaabi", "IRQ.PMF"),
        ("Muhammad Shia al-Sudani", "PER.MOHAMMED_SHIA_AL_SUDANI"),
        ("Mohamed Shia' el-Sudani", "PER.MOHAMMED_SHIA_AL_SUDANI"),
        ("Kata'ib Hizballah", "IRQ.KATAIB_HEZBOLLAH"),
        ("Turkish warplanes", "TURMIL"),
        ("Israeli troops", "ISRMIL"),
        ("U.S. forces", "USAMIL"),
        ("Iranian officials", "IRNGOV"),
        ("Turkish police", "TURCOP"),
    ],
)
def test_single_phrases(resolver, text, expected):
    mentions = resolver.find(text, SEED_DATE)
    assert [m.actor.id for m in mentions] == [expected]
    assert (mentions[0].start, mentions[0].end) == (0, len(text))


def test_lowercase_us_and_pm_are_not_acronyms(resolver):
    assert resolver.find("Tell us what happened at 5 pm.", SEED_DATE) == []


# ---------------------------------------------------------------- time
@pytest.mark.parametrize(
    "text", ["the Iraqi Prime Minister", "Iraqi PM", "Iraq's prime minister"]
)
def test_same_title_resolves_to_the_holder_on_each_date(resolver, text):
    in_2021 = resolver.find(text, date(2021, 6, 1))
    in_2023 = resolver.find(text, date(2023, 12, 6))
    assert [m.actor.id for m in in_2021] == ["PER.MUSTAFA_AL_KADHIMI"]
    assert [m.actor.id for m in in_2023] == ["PER.MOHAMMED_SHIA_AL_SUDANI"]
    assert in_2021[0].rule == in_2023[0].rule == "role@date"


def test_us_president_changes_with_the_date(resolver):
    assert resolver.find("the U.S. president", date(2019, 1, 1))[0].actor.id == "PER.DONALD_TRUMP"
    assert resolver.find("the U.S. president", date(2023, 1, 1))[0].actor.id == "PER.JOE_BIDEN"


def test_holder_and_hand_over_day(registry):
    assert registry.holder("IRQ.PM", date(2022, 10, 26)).id == "PER.MUSTAFA_AL_KADHIMI"
    assert registry.holder("IRQ.PM", date(2022, 10, 27)).id == "PER.MOHAMMED_SHIA_AL_SUDANI"
    assert registry.holder("IRQ.PM", date(1990, 1, 1)) is None


# ---------------------------------------------------------------- structure
def test_person_rolls_up_to_government_then_country(registry):
    sudani = "PER.MOHAMMED_SHIA_AL_SUDANI"
    assert registry.rollup(sudani, "actor", SEED_DATE) == sudani
    assert registry.rollup(sudani, "organisation", SEED_DATE) == "IRQGOV"
    assert registry.rollup(sudani, "country", SEED_DATE) == "IRQ"
    # before taking office he was not part of the government
    assert "IRQGOV" not in registry.parents(sudani, date(2021, 1, 1))


def test_ambassador_is_linked_to_the_us_government(registry):
    assert registry.parents("PER.ALINA_ROMANOWSKI", SEED_DATE)[0] == "USAGOV"
    assert registry.rollup("PER.ALINA_ROMANOWSKI", "country", SEED_DATE) == "USA"


def test_pmf_factions_are_members_of_the_pmf(registry):
    for faction in ("IRQ.KATAIB_HEZBOLLAH", "IRQ.ASAIB_AHL_AL_HAQ", "IRQ.NUJABA", "IRQ.BADR"):
        assert "IRQ.PMF" in registry.parents(faction), faction
    assert registry.rollup("IRQ.KATAIB_HEZBOLLAH", "country") == "IRQ"


def test_units_roll_up_to_the_umbrella_of_their_own_kind(registry):
    # "al-Sudani vs Kataib Hezbollah" read at organisation level is "Iraqi government vs PMF"
    assert registry.rollup("IRQ.KATAIB_HEZBOLLAH", "organisation", SEED_DATE) == "IRQ.PMF"
    assert registry.rollup("IRQ.PMF", "organisation", SEED_DATE) == "IRQ.PMF"  # not lifted into the ISF
    assert registry.rollup("USA.CENTCOM", "organisation", SEED_DATE) == "USAMIL"
    assert registry.rollup("USAMIL", "organisation", SEED_DATE) == "USAMIL"


def test_every_country_has_government_and_military(registry):
    import pycountry

    for c in pycountry.countries:
        for suffix, kind in (("", "state"), ("GOV", "government"), ("MIL", "military")):
            actor = registry.get(c.alpha_3 + suffix)
            assert actor is not None and actor.kind == kind and actor.country == c.alpha_3


def test_all_role_holders_and_affiliation_targets_exist(registry):
    missing = {r.actor for r in registry.roles if r.actor not in registry.actors}
    missing |= {r.organisation for r in registry.roles if r.organisation not in registry.actors}
    missing |= {a.target for a in registry.affiliations if a.target not in registry.actors}
    missing |= {a.source for a in registry.affiliations if a.source not in registry.actors}
    assert not missing


# ---------------------------------------------------------------- coreference
def test_context_carries_across_sentences(resolver):
    ctx = DiscourseContext()
    resolver.find("Kataib Hezbollah claimed the attack on Tuesday.", SEED_DATE, ctx)
    second = resolver.find("The group said more would follow.", SEED_DATE, ctx)
    assert [(m.text, m.actor.id, m.rule) for m in second] == [
        ("The group", "IRQ.KATAIB_HEZBOLLAH", "coref:description")]


def test_description_without_antecedent_is_not_guessed(resolver):
    # no named group is guessed; the bare agent noun is the generic (country-less) rebels actor
    found = resolver.find("The militias fired rockets.", SEED_DATE)
    assert [(m.actor.id, m.rule) for m in found] == [("REB", "agent:generic")]


def test_the_ambassador_refers_to_the_ambassador_named_before(resolver):
    ctx = DiscourseContext()
    resolver.find("Ambassador Alina Romanowski met officials in Baghdad.", SEED_DATE, ctx)
    later = resolver.find("The ambassador said the talks went well.", SEED_DATE, ctx)
    assert [m.actor.id for m in later] == ["PER.ALINA_ROMANOWSKI"]


def test_prefilter(resolver):
    assert resolver.prefilter("Turkish warplanes struck targets.")
    assert not resolver.prefilter("The weather was mild and nothing happened.")


def test_curated_names_are_unambiguous(registry):
    """No two built-in actors share a name or alias (after spelling normalisation): an
    ambiguous curated alias would make resolution depend on load order."""
    index = registry.index()
    clashes = {key: sorted({c.target for c in cues if c.kind == "actor"})
               for key, cues in index.entries.items()
               if len({c.target for c in cues if c.kind == "actor"}) > 1}
    assert clashes == {}


def test_default_registry_is_kept_on_disk_and_rebuilt_when_a_file_changes(tmp_path, monkeypatch):
    import os

    from graphkit.registry import Registry
    from graphkit.registry import registry as registry_module

    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GRAPHKIT_NO_REGISTRY_CACHE", raising=False)
    extra = tmp_path / "mine.toml"
    extra.write_text('[[actor]]\nid = "IRQ.ZULFIQAR"\nname = "Zulfiqar Brigade"\nkind = "militia"\n', encoding="utf-8")
    registry_module._DEFAULT_CACHE.clear()
    built = Registry.default([extra])
    (stored,) = (tmp_path / "cache").glob("registry-*.pickle")
    registry_module._DEFAULT_CACHE.clear()
    again = Registry.default([extra])  # from the file this time
    assert again is not built and again.get("IRQ.ZULFIQAR") == built.get("IRQ.ZULFIQAR")
    assert again.stats() == built.stats() and again.index().entries == built.index().entries
    assert again.rollup("IRQ.KH", "organisation") == built.rollup("IRQ.KH", "organisation")
    extra.write_text('[[actor]]\nid = "IRQ.ZULFIQAR"\nname = "Liwa Zulfiqar"\nkind = "militia"\n', encoding="utf-8")
    os.utime(extra, ns=(stored.stat().st_mtime_ns + 10**9,) * 2)
    registry_module._DEFAULT_CACHE.clear()
    assert Registry.default([extra]).get("IRQ.ZULFIQAR").name == "Liwa Zulfiqar"
    assert [p.name for p in (tmp_path / "cache").glob("registry-*.pickle")] != [stored.name]  # replaced
    registry_module._DEFAULT_CACHE.clear()


def test_registry_cache_rebuilds_slotted_dataclasses_through_their_init():
    """The cache pickles a frozen, slotted dataclass as a call of its class (fast to load); one whose
    __init__ would not give it back (a field out of __init__, a __post_init__) keeps pickle's own way."""
    import io
    import pickle
    from dataclasses import dataclass, field

    from graphkit.model import Actor, Affiliation
    from graphkit.registry.cache import _init_fields, _Pickler
    from graphkit.registry.matcher import Cue

    assert _init_fields(Cue) == ("kind", "target", "alias", "acronym", "weight")
    assert _init_fields(Actor) is not None and _init_fields(Affiliation) is not None

    @dataclass(frozen=True, slots=True)
    class Derived:
        a: int
        b: int = field(init=False, default=0)

    @dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self):
            pass

    assert _init_fields(Derived) is None and _init_fields(Checked) is None and _init_fields(dict) is None
    value = {"cues": [Cue("actor", "IRQ.PMF", "PMF", True, 0.9)], "actor": Actor("IRQ.PMF", "PMF", "militia", "IRQ")}
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    assert pickle.loads(buffer.getvalue()) == value
