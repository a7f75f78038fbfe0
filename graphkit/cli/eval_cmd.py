import click

from ..serialize import jsonable as _jsonable
from .common import emit_rows, format_option


@click.group("eval")
def eval_group():
    """Score extraction against gold-standard data."""


@eval_group.command("plover")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@format_option(("table", "json"), default="table")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True), help="Extra actor registry file(s).")
def eval_plover(file, fmt, actor_files):
    """Score a PLOVER gold-standard JSONL file: per-type P/R/F1, macro-F1, country accuracy.

    \b
    Each line: {"text": ..., "event": "ASSAULT", "source": [{"code": "USA"}], "target": [...]}.
    Older PLOVER names (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT) are mapped to the 16 types.
    graphkit predicts each sentence's main event and its actors; country accuracy counts a
    sentence right when a predicted actor's country matches a gold code (IGO/NGO by kind).
    The built-in registry covers the Middle East in depth and the world in breadth (demonyms of
    every country, IGOs with historic names, dated heads of state); for fuller world-wide person
    coverage import a broader dictionary (graphkit import phoenix ...) or pass it with --actors.
    Examples:
      graphkit eval plover ../shared/eval/plover/plover_gsr.jsonl
      graphkit eval plover gold.jsonl --format json > scores.json
      graphkit eval plover gold.jsonl --actors phoenix-countries.json --actors phoenix-intl.json
    """
    import json

    from ..extract import Extractor
    from ..extract.evaluate import predict, read_gold, score
    from ..registry import Registry

    gold = read_gold(file)
    extractor = Extractor(registry=Registry.default(extra=actor_files))
    scores = score(gold, predict(extractor, gold))
    if fmt == "json":
        click.echo(json.dumps(_jsonable(scores.to_dict()), indent=2, allow_nan=False))
        return
    rows = [{"type": t, "precision": f"{d['precision']:.3f}", "recall": f"{d['recall']:.3f}", "f1": f"{d['f1']:.3f}",
             "support": d["support"]} for t, d in scores.per_type.items()]
    rows.append({"type": "macro", "f1": f"{scores.macro_f1:.3f}", "support": scores.n})
    emit_rows(rows, "table", ["type", "precision", "recall", "f1", "support"])
    click.echo(f"sentences {scores.n}  type accuracy {scores.accuracy:.3f}  macro-F1 {scores.macro_f1:.3f}  "
               f"source-country accuracy {scores.source_accuracy:.3f} "
               f"({scores.source_accuracy_when_found:.3f} where a source was found)  "
               f"target-country accuracy {scores.target_accuracy:.3f}  no event {scores.predicted_none}")
    predicted = sorted({p for c in scores.confusion.values() for p in c})
    conf_rows = [{"gold": g, **{p: (c.get(p) or "") for p in predicted}} for g, c in scores.confusion.items()]
    emit_rows(conf_rows, "table", ["gold", *predicted])


COMMANDS = [eval_group]
