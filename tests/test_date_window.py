"""The date-window rule (graphkit.model.in_window) is one rule: a list, the SQLite store and the Neo4j
store keep the same statements for the same since/until, undated ones outside any window."""

from __future__ import annotations

from datetime import date

import pytest

import graphkit
from graphkit.model import LoadBatch, in_window
from graphkit.store import StatementFilter
from tests.storekit import IRN, PMF, USA, st

STATEMENTS = [st("w1", USA, "ASSAULT", PMF, date(2024, 1, 1), 4, -10.0),
              st("w2", PMF, "ASSAULT", USA, date(2024, 1, 15), 4, -10.0),
              st("w3", USA, "CONSULT", IRN, date(2024, 1, 31), 1, 1.0),
              st("w4", IRN, "CONSULT", USA, None, 1, 1.0)]  # undated
WINDOWS = [(None, None), (date(2024, 1, 1), None), (None, date(2024, 1, 15)), (date(2024, 1, 2), date(2024, 1, 31)),
           (date(2024, 1, 15), date(2024, 1, 15)), (date(2025, 1, 1), None)]
EXPECTED = [{"w1", "w2", "w3", "w4"}, {"w1", "w2", "w3"}, {"w1", "w2"}, {"w2", "w3"}, {"w2"}, set()]


def test_the_rule():
    assert in_window(None, None, None) and in_window(date(2024, 1, 1), None, None)
    assert not in_window(None, date(2024, 1, 1), None) and not in_window(None, None, date(2024, 1, 1))
    assert in_window(date(2024, 1, 1), date(2024, 1, 1), date(2024, 1, 1))  # both bounds inclusive
    assert not in_window(date(2023, 12, 31), date(2024, 1, 1), None)


@pytest.mark.parametrize("window, expected", list(zip(WINDOWS, EXPECTED, strict=True)))
def test_a_list_keeps_what_the_rule_keeps(window, expected):
    since, until = window
    assert {s.id for s in graphkit.statements(STATEMENTS, since=since, until=until)} == expected


def test_every_store_keeps_what_a_list_keeps(store):
    store.write(LoadBatch(actors=[], statements=STATEMENTS))
    for (since, until), expected in zip(WINDOWS, EXPECTED, strict=True):
        stored = {s.id for s in store.statements(StatementFilter(since=since, until=until))}
        listed = {s.id for s in graphkit.statements(STATEMENTS, since=since, until=until)}
        assert stored == listed == expected, (since, until)
        assert {s.id for s in graphkit.statements(store, since=since, until=until)} == expected
