"""Registry files: writing actors as one (importers), and the layers Registry.default reads, in order."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..model import Actor, Affiliation


def user_actors_dir() -> Path:
    """Where user registry files live (imported Phoenix dictionaries go here)."""
    if os.environ.get("GRAPHKIT_ACTORS_DIR"):
        return Path(os.environ["GRAPHKIT_ACTORS_DIR"])
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "graphkit" / "actors"


def registry_files(extra: Iterable[Path | str] = ()) -> list[Path]:
    """The files Registry.default reads, in load order: the layers in force (graphkit.registry.files)."""
    return [path for layer in registry_layers(extra) if layer.active for path in layer.files]


def registry_document(actors: Iterable[Actor], affiliations: Iterable[Affiliation], source: str) -> dict:
    return {
        "format": "graphkit-registry/1",
        "source": source,
        "actor": [
            {k: v for k, v in {"id": a.id, "name": a.name, "kind": a.kind, "country": a.country,
                               "sector": a.sector, "aliases": list(a.aliases)}.items() if v not in (None, [])}
            for a in actors
        ],
        "affiliation": [
            {k: v for k, v in {"source": f.source, "target": f.target, "type": f.type,
                               "start": f.start.isoformat() if f.start else None,
                               "end": f.end.isoformat() if f.end else None}.items() if v is not None}
            for f in affiliations
        ],
    }


def write_registry_json(path: Path, actors: Iterable[Actor], affiliations: Iterable[Affiliation], source: str) -> None:
    """Atomic write (temp file + rename): a re-import replaces the file, never half-writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    doc = registry_document(actors, affiliations, source)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- layers: which registry files are in force, and why --------------------------------------------

LAYERS_ENV = "GRAPHKIT_REGISTRY_LAYERS"


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer of the registry, in load order: built-in, project, user, imported (named), option."""

    name: str  # "built-in", "project", "user", "--actors", or an imported layer's name ("phoenix-countries")
    origin: str  # built-in | project | user | imported | option
    files: tuple[Path, ...]
    active: bool
    where: str  # the folder or file the user can look at


def layers_dir() -> Path:
    """Where importers write named layers: read only when switched on (never silently)."""
    return user_actors_dir() / "layers"


def imported_layers() -> dict[str, Path]:
    """Named layers: files in layers_dir(), and phoenix-*.json left in the user folder by older versions."""
    found: dict[str, Path] = {}
    folder = layers_dir()
    if folder.is_dir():
        for path in sorted([*folder.glob("*.json"), *folder.glob("*.toml")]):
            found.setdefault(path.stem, path)
    legacy = user_actors_dir()
    if legacy.is_dir():
        for path in sorted(legacy.glob("phoenix-*.json")):
            found.setdefault(path.stem, path)
    return found


def switched_on() -> tuple[str, ...]:
    """Imported layers in force: GRAPHKIT_REGISTRY_LAYERS (comma-separated; --registry sets it), else
    graphkit.toml [registry] layers."""
    if LAYERS_ENV in os.environ:
        return tuple(n.strip() for n in os.environ[LAYERS_ENV].split(",") if n.strip())
    from ..config import load_config

    return load_config().registry_layers


def registry_layers(extra: Iterable[Path | str] = ()) -> list[Layer]:
    """Every layer, in load order, with whether it is in force. An unknown switched-on layer is an error."""
    from ..config import load_config
    from ..errors import GraphkitError
    from ..paths import data_dir
    # roles.toml last among the built-in files: its holders refer to persons defined elsewhere
    builtin = sorted(data_dir().glob("actors/*.toml"), key=lambda p: (p.stem == "roles", p.name))
    config = load_config()
    folder = user_actors_dir()
    user = sorted(p for p in [*folder.glob("*.toml"), *folder.glob("*.json")] if not p.name.startswith("phoenix-")
                  ) if folder.is_dir() else []
    named = imported_layers()
    wanted = switched_on()
    unknown = [n for n in wanted if n not in named]
    if unknown:
        raise GraphkitError(f"registry layer {', '.join(map(repr, unknown))} not found (imported layers: "
                            f"{', '.join(named) or 'none'}; in {layers_dir()})")
    layers = [
        Layer("built-in", "built-in", tuple(builtin), True, str(data_dir() / "actors")),
        Layer("project", "project", config.registry_files, bool(config.registry_files),
              str(config.path) if config.path else "(no graphkit.toml)"),
        Layer("user", "user", tuple(user), bool(user), str(folder)),
    ]
    # switched-on layers in the order given; the others listed, off
    layers += [Layer(n, "imported", (named[n],), True, str(named[n])) for n in wanted]
    layers += [Layer(n, "imported", (p,), False, str(p)) for n, p in named.items() if n not in wanted]
    extra = tuple(Path(p) for p in extra)
    if extra:
        layers.append(Layer("--actors", "option", extra, True, ", ".join(map(str, extra))))
    return layers


@dataclass(frozen=True, slots=True)
class Conflict:
    key: str  # an actor id, or a name/alias as matched (case-folded)
    what: str  # "id" (the same id, another name/kind/country) | "alias" (the name given to another actor)
    earlier: str  # layer: actor
    later: str


def read_registry_data(path: Path):
    """The decoded content of a registry file, TOML or JSON by its suffix (OSError or ValueError raised)."""
    import tomllib

    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def _entries(path: Path) -> list[dict]:
    try:
        raw = read_registry_data(path)
    except (OSError, ValueError):
        return []  # the registry itself reports an unreadable file, with its name
    return [a for a in raw.get("actor", []) if isinstance(a, dict) and a.get("id")] if isinstance(raw, dict) else []


@dataclass(slots=True)
class LayerCheck:
    """What each layer holds and does to the layers below it."""

    actors: dict[str, int]  # layer -> actors defined in it
    conflicts: list[Conflict]  # a later layer in force redefining or taking an earlier layer's actor or name
    extended: dict[str, list[tuple[str, list[str]]]]  # layer -> [(earlier actor id, names it adds)]


def _country_entries() -> list[dict]:
    """The pycountry part of the built-in registry, as entries (Registry.add_countries makes the same)."""
    import pycountry

    out = []
    for c in pycountry.countries:
        names = sorted({n for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if n})
        out.append({"id": c.alpha_3, "name": getattr(c, "common_name", None) or c.name, "kind": "state",
                    "country": c.alpha_3, "aliases": names})
    return out


def layer_conflicts(layers: list[Layer]) -> LayerCheck:
    """Where a later layer in force redefines an earlier layer's actor (another kind or country), gives
    one of its names to another actor (conflicts), or adds names to it (extended: "Dubai" on the UAE
    changes what a text resolves to just as much)."""
    from .text import alias_keys

    check = LayerCheck({}, [], {})
    by_id: dict[str, tuple[str, dict]] = {}
    by_name: dict[tuple, tuple[str, str]] = {}
    for layer in layers:
        entries = [e for p in layer.files for e in _entries(p)]
        check.actors[layer.name] = len({e["id"] for e in entries})
        if layer.origin == "built-in":
            entries = _country_entries() + entries
        if not layer.active:
            continue
        for e in entries:
            names = [n for n in [e.get("name"), *(e.get("aliases") or [])] if isinstance(n, str)]
            earlier = by_id.get(e["id"])
            if earlier and earlier[0] != layer.name:
                if any(e.get(k) and earlier[1].get(k) and e.get(k) != earlier[1].get(k) for k in ("kind", "country")):
                    check.conflicts.append(Conflict(e["id"], "id", f"{earlier[0]}: {earlier[1].get('name')}",
                                                    f"{layer.name}: {e.get('name')}"))
                known = {k for n in [earlier[1].get("name"), *(earlier[1].get("aliases") or [])]
                         if isinstance(n, str) for k in alias_keys(n)}
                added = [n for n in names if not alias_keys(n) <= known]
                if added:
                    check.extended.setdefault(layer.name, []).append((e["id"], added))
            for name in names:
                for key in alias_keys(name):
                    held = by_name.get(key)
                    if held and held[0] != layer.name and held[1] != e["id"]:
                        check.conflicts.append(Conflict(" ".join(key), "alias", f"{held[0]}: {held[1]}",
                                                        f"{layer.name}: {e['id']}"))
        for e in entries:
            by_id.setdefault(e["id"], (layer.name, e))
            for name in [e.get("name"), *(e.get("aliases") or [])]:
                if isinstance(name, str):
                    for key in alias_keys(name):
                        by_name.setdefault(key, (layer.name, e["id"]))
    return check
