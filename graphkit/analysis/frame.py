"""Statements as a pandas DataFrame, and the filters every analysis applies first.

Every function in :mod:`graphkit.analysis` takes the frame built here, so a
store, an importer or a JSONL file all feed the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import MISSING, fields
from datetime import date

import numpy as np
import pandas as pd

from ..model import ActorRef, Statement

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

#: The columns every analysis reads, in order; :data:`FRAME_COLUMNS` adds the rest of the statement.
CORE_COLUMNS = (
    "id", "source", "target", "source_name", "target_name", "source_country", "target_country",
    "type", "quad_class", "goldstein", "date", "modality", "dataset", "mentions", "article_id", "sentence",
    "date_precision", "killed", "injured",
)


def _statement_columns() -> tuple[tuple[str, ...], dict[str, object]]:
    """Every field of :class:`Statement` as a frame column (an ActorRef spread into
    ``source``/``source_name``/``source_kind``/...), derived from the dataclass so a new
    field becomes a column without touching this module; and each column's default."""
    actor_fields = [f.name for f in fields(ActorRef) if f.name != "id"]
    columns: list[str] = list(CORE_COLUMNS)
    defaults: dict[str, object] = {}
    for f in fields(Statement):
        names = [f.name] if f.name not in ("source", "target") else [f.name] + [f"{f.name}_{a}" for a in actor_fields]
        for name in names:
            if name not in columns:
                columns.append(name)
        if f.name not in ("source", "target", "id"):
            default = f.default if f.default is not MISSING else (
                f.default_factory() if f.default_factory is not MISSING else None)  # type: ignore[misc]
            defaults[f.name] = default
    for end in ("source", "target"):
        for a in actor_fields:
            defaults[f"{end}_{a}"] = None
    return tuple(columns), defaults


#: The columns of a statements frame, in order: the core columns, then every other Statement field.
FRAME_COLUMNS, _DEFAULTS = _statement_columns()
_DEFAULTS_STATEMENT = {f.name for f in fields(Statement)}

#: Date precisions whose `date` is not the event's own: only the publication's, or the open start of a
#: range known only by its end. ``select(..., event_dates_only=True)`` leaves them out.
REPORT_DATED = ("reported",)

#: Modalities left out of counts unless asked for: the event did not (yet) happen.
EXCLUDED_MODALITIES = ("negated", "hypothetical", "planned")

#: Levels an actor can be read at (see :func:`rollup_frame`).
LEVELS = ("actor", "organisation", "country")

#: rollup(actor_id, level, on) -> the id the actor rolls up to at `level` on date `on` (None: unchanged).
Rollup = Callable[[str, str, date | None], str | None]


def statements_frame(statements: Iterable[Statement]) -> pd.DataFrame:
    """One row per statement, with the columns of :data:`FRAME_COLUMNS`.

    Parameters
    ----------
    statements : iterable of Statement
        From a store (``Store.statements``), ``graphkit extract`` JSONL or an importer.

    Returns
    -------
    DataFrame
        ``date`` is ``datetime64[ns]`` (NaT when undated), ``goldstein`` float (NaN when
        unknown), ``quad_class`` and ``mentions`` integers (``quad_class`` 0 when unknown).
        After the core columns comes every other field of the statement (``cameo``,
        ``date_precision``, ``attribution``, ``location``, ``confidence``, ``rule``,
        ``char_start``/``char_end``, ``evidence``, ``extra``, ``source_kind``, ...), derived
        from the Statement dataclass, so fields added to it appear here too.

    Examples
    --------
    >>> from graphkit.model import ActorRef, Statement
    >>> from datetime import date
    >>> usa, pmf = ActorRef("USA", "United States", "state", "USA"), ActorRef("IRQ.PMF", "PMF", "militia", "IRQ")
    >>> st = Statement("s1", usa, pmf, "ASSAULT", "190", 4, -10.0, date(2023, 12, 25), "day")
    >>> statements_frame([st])[["source", "target", "quad_class", "goldstein"]].values.tolist()
    [['USA', 'IRQ.PMF', 4, -10.0]]
    """
    sts = list(statements)
    sources = [st.source for st in sts]
    targets = [st.target for st in sts]
    # Dates through ordinals: pandas parses a million date objects far slower than integers.
    ordinals = np.array([st.date.toordinal() if st.date else 0 for st in sts], dtype=np.int64)
    days = (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]").astype("datetime64[ns]")
    days[ordinals == 0] = np.datetime64("NaT")
    cols = {
        "id": [st.id for st in sts],
        "source": [a.id for a in sources], "target": [a.id for a in targets],
        "quad_class": np.array([st.quad_class or 0 for st in sts], dtype=np.int8),
        "goldstein": np.array([np.nan if st.goldstein is None else st.goldstein for st in sts], dtype=np.float64),
        "date": days,
        "mentions": np.array([st.mentions or 1 for st in sts], dtype=np.int64),
        # a count of the dead or injured (a lower bound counts as its number); NaN: not told
        "killed": np.array([np.nan if st.killed is None else st.killed for st in sts], dtype=np.float64),
        "injured": np.array([np.nan if st.injured is None else st.injured for st in sts], dtype=np.float64),
    }
    for column in FRAME_COLUMNS:
        if column in cols:
            continue
        end, _, field_name = column.partition("_")
        if end in ("source", "target") and field_name and column not in _DEFAULTS_STATEMENT:
            refs = sources if end == "source" else targets
            cols[column] = [getattr(a, field_name) for a in refs]
        else:
            cols[column] = [getattr(st, column) for st in sts]
    return frame_from_columns(cols)


def frame_from_columns(cols: dict) -> pd.DataFrame:
    """A statements frame from column arrays (missing optional columns filled); used by importers and tests."""
    n = len(cols["source"])
    defaults = {**_DEFAULTS, "quad_class": 0, "goldstein": np.nan, "mentions": 1, "type": None,
                "killed": np.nan, "injured": np.nan}
    data = {}
    for c in FRAME_COLUMNS:
        if c in cols:
            data[c] = cols[c]
        elif c == "id":
            data[c] = [f"row{i}" for i in range(n)]
        else:
            data[c] = [defaults[c]] * n
    df = pd.DataFrame(data, columns=list(FRAME_COLUMNS))
    if not pd.api.types.is_datetime64_any_dtype(df["date"]):
        df["date"] = pd.to_datetime(df["date"], errors="coerce")
    df["quad_class"] = df["quad_class"].fillna(0).astype("int8")
    df["goldstein"] = df["goldstein"].astype("float64")
    df["mentions"] = df["mentions"].fillna(1).astype("int64").clip(lower=1)
    df["killed"] = df["killed"].astype("float64")
    df["injured"] = df["injured"].astype("float64")
    return df


def actor_names(frame: pd.DataFrame) -> dict[str, str]:
    """id -> display name, from both ends of every statement (the last name seen wins)."""
    ids = np.concatenate([frame["source"].to_numpy(dtype=object), frame["target"].to_numpy(dtype=object)])
    shown = np.concatenate([frame["source_name"].to_numpy(dtype=object), frame["target_name"].to_numpy(dtype=object)])
    # one pass over the distinct ids, not a dict update per row
    last = ~pd.Index(ids).duplicated(keep="last")
    return {k: (v if isinstance(v, str) and v else k) for k, v in zip(ids[last], shown[last], strict=True)}


def select(frame: pd.DataFrame, *, since: date | str | None = None, until: date | str | None = None,
           include_modalities: Iterable[str] = (), datasets: Iterable[str] = (),
           event_dates_only: bool = False) -> pd.DataFrame:
    """The dated rows inside [since, until] whose modality counts.

    Negated, hypothetical and planned statements (:data:`EXCLUDED_MODALITIES`) are
    dropped unless named in `include_modalities` (``"all"`` keeps every modality).
    `event_dates_only` also drops statements dated only by their report (:data:`REPORT_DATED`);
    a range ("since Oct. 17") counts at its first day, one with no known first day is undated.

    Examples
    --------
    >>> df = frame_from_columns({"source": ["A", "A"], "target": ["B", "B"], "date": ["2024-01-01"] * 2,
    ...                          "modality": ["asserted", "negated"]})
    >>> len(select(df)), len(select(df, include_modalities=["negated"]))
    (1, 2)
    """
    include = set(include_modalities)
    mask = frame["date"].notna().to_numpy().copy()
    if "all" not in include:
        excluded = [m for m in EXCLUDED_MODALITIES if m not in include]
        if excluded:
            mask &= ~frame["modality"].isin(excluded).to_numpy()
    if since is not None:
        mask &= (frame["date"] >= pd.Timestamp(since)).to_numpy()
    if until is not None:
        mask &= (frame["date"] <= pd.Timestamp(until)).to_numpy()
    if event_dates_only:
        mask &= ~frame["date_precision"].isin(REPORT_DATED).to_numpy()
    datasets = tuple(datasets)
    if datasets:
        mask &= frame["dataset"].isin(datasets).to_numpy()
    return frame[mask] if not mask.all() else frame


def rollup_frame(frame: pd.DataFrame, level: str = "actor", rollup: Rollup | None = None) -> pd.DataFrame:
    """Rewrite ``source``/``target`` to the ids they roll up to at `level`.

    Parameters
    ----------
    frame : DataFrame
        A statements frame.
    level : {"actor", "organisation", "country"}
        ``actor`` leaves ids as they are.
    rollup : callable, optional
        ``rollup(actor_id, level, on) -> id | None`` (the registry's ``Registry.rollup``);
        called once per distinct (actor, date). None or an unchanged id keeps the actor;
        at ``country`` level an actor the callable does not move falls back to its
        ``ActorRef.country``. Self-dyads created by the rollup (two units of one state)
        are kept: they are internal conflict/cooperation.

    Returns
    -------
    DataFrame
        A copy with rewritten ids; ``source_name``/``target_name`` follow the new ids
        where another row names them, else the id itself (country codes for countries).

    Examples
    --------
    >>> df = frame_from_columns({"source": ["PER.X"], "target": ["IRQ.KH"], "date": ["2024-01-01"],
    ...                          "source_country": ["IRQ"], "target_country": ["IRQ"]})
    >>> org = {"PER.X": "IRQGOV", "IRQ.KH": "IRQ.PMF"}
    >>> rollup_frame(df, "organisation", lambda a, lvl, on: org.get(a))[["source", "target"]].values.tolist()
    [['IRQGOV', 'IRQ.PMF']]
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if level == "actor" or frame.empty:
        return frame
    names = actor_names(frame)
    out = frame.copy()
    for end in ("source", "target"):
        # Ask once per distinct (actor, country, day), not once per row: combine integer codes.
        id_codes, id_uniques = pd.factorize(out[end])
        country_codes, country_uniques = pd.factorize(out[f"{end}_country"], use_na_sentinel=False)
        key = id_codes.astype(np.int64) * len(country_uniques) + country_codes
        if rollup is not None:
            dated = out["date"].notna().to_numpy()
            days = out["date"].to_numpy("datetime64[D]").astype(np.int64)
            first_day = int(days[dated].min()) if dated.any() else 0
            span = (int(days[dated].max()) - first_day + 2) if dated.any() else 1  # last slot: undated
            key = key * span + np.where(dated, days - first_day, span - 1)
        codes, unique_keys = pd.factorize(key)
        if rollup is not None:
            offsets = unique_keys % span
            unique_keys = unique_keys // span
            on_days = [None if o == span - 1 else d for o, d in
                       zip(offsets, (offsets + first_day).astype("datetime64[D]").astype(object), strict=True)]
        else:
            on_days = [None] * len(unique_keys)
        actor_part = id_uniques[unique_keys // len(country_uniques)]
        country_part = country_uniques[unique_keys % len(country_uniques)]
        rolled = np.array([rolled_id(a, level, on, c, rollup)
                           for a, c, on in zip(actor_part, country_part, on_days, strict=True)], dtype=object)
        out[end] = rolled[codes]
        label = {a: rolled_name(a, level, names) for a in set(rolled)}
        out[f"{end}_name"] = np.array([label[a] for a in rolled], dtype=object)[codes]
    return out


def rolled_name(rolled: str, level: str, names: dict[str, str]) -> str:
    """The display name of a rolled-up id: its own name where a statement names it, else the
    country's name (country level) or the id."""
    return names.get(rolled) or (_country_name(rolled) if level == "country" else rolled)


def rolled_id(actor: str, level: str, on, country, rollup: Rollup | None) -> str:
    """The id `actor` (of `country`, on the day `on`) rolls up to at `level`: the rule of rollup_frame."""
    moved = rollup(actor, level, on) if rollup is not None else None
    if moved and moved != actor:
        return moved
    if level == "country" and isinstance(country, str) and country:
        return country
    return actor


def _country_name(code: str) -> str:
    try:
        import pycountry

        found = pycountry.countries.get(alpha_3=code)
    except (ImportError, LookupError, KeyError):
        found = None
    return found.name if found is not None else code


#: Columns whose values are few and repeat (ids, codes): a frame reader keeps one string object per
#: distinct value instead of one per row.
_INT_COLUMNS = {"quad_class": ("int8", 0), "mentions": ("int64", 1)}
_FLOAT_COLUMNS = ("goldstein", "killed", "injured", "latitude", "longitude")
_BOOL_COLUMNS = ("killed_at_least", "injured_at_least")  # False when missing, as the Statement's default


class ColumnReader:
    """Build a statements frame of some :data:`CORE_COLUMNS` from rows read in chunks (tuples in
    `columns` order), without a Python object per row: the stores' fast path to a frame
    (``Store.statement_frame``). Strings are coded chunk by chunk (one object per distinct value),
    numbers go straight into arrays, ``date`` is read as days since 1970 (or ISO text).

    >>> reader = ColumnReader(["source", "date", "quad_class"])
    >>> reader.add([("A", 19695, 4), ("B", None, None)])
    >>> reader.frame().values.tolist()
    [['A', Timestamp('2023-12-04 00:00:00'), 4], ['B', NaT, 0]]
    """

    def __init__(self, columns: Iterable[str]):
        self.columns = list(columns)
        self._parts: dict[str, list[np.ndarray]] = {c: [] for c in self.columns}
        self._codes: dict[str, dict] = {c: {} for c in self.columns}

    def add(self, rows: list[tuple]) -> None:
        if not rows:
            return
        for name, values in zip(self.columns, zip(*rows, strict=True), strict=True):
            self._parts[name].append(self._column(name, values))

    def _column(self, name: str, values: tuple) -> np.ndarray:
        if name == "date":
            if any(isinstance(v, str) for v in values):  # ISO text (Neo4j's toString(date))
                days = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="coerce")
                return days.to_numpy("datetime64[ns]")
            days = np.array(values, dtype=np.float64)  # days since 1970; None -> NaN
            out = np.nan_to_num(days).astype(np.int64).astype("datetime64[D]").astype("datetime64[ns]")
            out[np.isnan(days)] = np.datetime64("NaT")
            return out
        if name in _INT_COLUMNS or name in _FLOAT_COLUMNS or name in _BOOL_COLUMNS:
            return np.array(values, dtype=np.float64)
        codes, uniques = pd.factorize(np.array(values, dtype=object))
        seen = self._codes[name]
        remap = np.array([seen.setdefault(u, len(seen)) for u in uniques] + [-1], dtype=np.int64)
        return remap[codes]  # -1 (missing) stays -1 through the last slot

    def frame(self) -> pd.DataFrame:
        data = {}
        for name in self.columns:
            parts = self._parts[name]
            values = np.concatenate(parts) if parts else np.zeros(0)
            if name == "date":
                data[name] = values if parts else np.zeros(0, dtype="datetime64[ns]")
            elif name in _INT_COLUMNS:
                dtype, missing = _INT_COLUMNS[name]
                data[name] = np.nan_to_num(values, nan=missing).astype(dtype)
            elif name in _FLOAT_COLUMNS:
                data[name] = values
            elif name in _BOOL_COLUMNS:
                data[name] = np.nan_to_num(values, nan=0.0).astype(bool)
            else:
                uniques = np.empty(len(self._codes[name]) + 1, dtype=object)
                uniques[:-1] = list(self._codes[name])  # insertion order = code order
                uniques[-1] = None
                # object dtype, not pandas' Arrow strings: no conversion of every cell, and the
                # analyses read these columns as numpy object arrays anyway
                data[name] = pd.Series(uniques[values.astype(np.int64)] if len(values) else [], dtype=object)
        out = pd.DataFrame(data, columns=self.columns, copy=False)
        if "mentions" in out:
            out["mentions"] = out["mentions"].clip(lower=1)
        return out
