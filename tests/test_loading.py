"""graphkit.loading.load over articles: the orchestration with stand-in ingest/extract/registry stages.

The real stages are built on their own branches; these stand-ins have the same names and call
shapes (read_paths -> ReadResult, extract_batches over Extractor.extract_many, Registry.default/get) so the wiring,
the actor choice (registry actor, else a provisional one) and the skip reporting are tested here.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field, replace

import pytest

from graphkit.errors import InputError
from graphkit.loading import load
from graphkit.model import Actor, ActorRef, Affiliation
from graphkit.store.sqlite import SqliteStore
from tests.storekit import ART1, ART2, IRQGOV, PMF, S1, S2, USA


@dataclass
class FakeReadResult:
    articles: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    notes: list = field(default_factory=list)


class FakeRegistry:
    def __init__(self):
        self.actors = {a.id: a for a in (USA, PMF, IRQGOV)}
        self.affiliations = [Affiliation("IRQ.PMF", "IRQGOV", "PART_OF")]
        self.roles = []

    @classmethod
    def default(cls, extra=()):
        return cls()

    def get(self, actor_id):
        return self.actors.get(actor_id)


NEWCOMER = ActorRef("PER.NEW", "Someone New", "person", "IRQ")


class FakeExtractor:
    def __init__(self, registry=None):
        self.registry = registry
        self.failures = []  # (where, reason) of articles whose extraction failed, as Extractor keeps them

    def extract_many(self, articles):
        return [[S1, S2, replace(S1, id="bad", type="EXPLODE")] if article.id == "art1"
                else [replace(S2, id="s9", source=NEWCOMER, article_id="art2", evidence=())] for article in articles]


def fake_extract_batches(articles, extractor, workers=1, *, cluster=None, setup=None):
    yield list(articles), extractor.extract_many(articles)


@pytest.fixture()
def stages(monkeypatch):
    for name, attrs in (("graphkit.ingest", {"read_paths": lambda paths, published=None, outlet=None, columns=None: FakeReadResult(
            [ART1, ART2], [InputError("news/broken.html", "unreadable")], [("news/copy.txt", "art1")])}),
                        ("graphkit.extract", {"Extractor": FakeExtractor, "extract_batches": fake_extract_batches}),
                        ("graphkit.registry", {"Registry": FakeRegistry})):
        module = types.ModuleType(name)
        module.__dict__.update(attrs)
        monkeypatch.setitem(sys.modules, name, module)


def test_load_articles_wires_the_stages(stages):
    with SqliteStore("sqlite:///:memory:") as store:
        report = load(["news/"], store, batch_size=2)
        counts = report.counts
        assert counts.added["statements"] == 3 and counts.added["articles"] == 2
        assert sorted(counts.skipped) == [
            ("art1", "type 'EXPLODE' is not in the typology"), ("news/broken.html", "unreadable"),
            ("news/copy.txt", "duplicate of article art1")]
        actors = {a.id: a for a in store.actors()}
        assert actors["IRQGOV"] == IRQGOV  # carried in by the PART_OF affiliation of IRQ.PMF
        assert actors["PER.NEW"] == Actor("PER.NEW", "Someone New", "person", "IRQ", provisional=True)
        assert store.conn.execute("SELECT source, target, type FROM affiliations").fetchall() == [
            ("IRQ.PMF", "IRQGOV", "PART_OF")]
        again = load(["news/"], store, batch_size=2)
        assert again.counts.added["statements"] == 0 and again.counts.present["statements"] == 3


def test_load_parses_as_extract_does(tmp_path, monkeypatch):
    """The real stages: `load` reads articles through the same batches as `extract`, one process or two
    (batches of two articles, so that two workers really share them)."""
    import graphkit.extract
    from graphkit.extract import extract

    monkeypatch.setattr(graphkit.extract, "_BATCH", 2)
    from graphkit.ingest import read_paths

    articles = read_paths(["data/articles"]).articles
    expected = {s.id for s in extract(articles)}
    assert len(expected) > 20
    for workers in (1, 2):
        with SqliteStore(f"sqlite:///{tmp_path / f'w{workers}.db'}") as store:
            load(["data/articles"], store, workers=workers)
            assert {s.id for s in store.statements()} == expected
