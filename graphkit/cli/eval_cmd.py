import click

from ..serialize import jsonable as _jsonable
from .common import emit_rows, format_option

# Options every `graphkit eval` scorer takes.
_actors_option = click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True),
                              help="Extra actor registry file(s).")
_misses_option = click.option("--misses", "misses_path", type=click.Path(dir_okay=False, writable=True),
                              metavar="FILE", help="Write every missed record (gold, best statement, all "
                              "statements, why) to FILE as JSON Lines, for error analysis.")
_workers_option = click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
                               help="Parse with N processes.")


def _scorer_options(command):
    """What every scorer takes: the gold FILE, --format, --actors, --misses, --workers."""
    for option in reversed((click.argument("file", type=click.Path(exists=True, dir_okay=False)),
                            format_option(("table", "json"), default="table"), _actors_option, _misses_option,
                            _workers_option)):
        command = option(command)
    return command


@click.group("eval")
def eval_group():
    """Score extraction against gold-standard data (PLOVER, ConfliBERT-style, UCDP GED-style).

    \b
    Each scorer reads every gold record through the same path as `graphkit extract` and scores
    the statements a user would get; --misses FILE writes what was missed, for error analysis.
    Examples:
      graphkit eval plover ../shared/eval/plover/plover_gsr.jsonl
      graphkit eval conflibert ../shared/eval/conflibert/train.jsonl --misses misses.jsonl
      graphkit eval ucdp ../shared/eval/ucdp/iraq_dev.csv --format json
    """


def _extractor(actor_files):
    from ..extract import Extractor
    from ..registry import Registry

    return Extractor(registry=Registry.default(extra=actor_files))


def _run(extractor, records, workers):
    from ..extract import extract
    from ..extract.statement_eval import run_records

    return run_records(records, lambda articles: extract(articles, extractor=extractor, workers=workers))


def _misses(path, outcomes, why) -> None:
    from ..extract.statement_eval import write_misses

    n = write_misses(path, outcomes, why)
    click.echo(f"graphkit: {n} missed record(s) written to {path}", err=True)


def _f(v: float) -> str:
    return f"{v:.3f}"


@eval_group.command("plover")
@_scorer_options
def eval_plover(file, fmt, actor_files, misses_path, workers):
    """Score a PLOVER gold-standard JSONL file: the event type, and the statements graphkit stores.

    \b
    Each line: {"text": ..., "event": "ASSAULT", "source": [{"code": "USA"}], "target": [...]}.
    Older PLOVER names (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT) are mapped to the 16 types.
    Two figures:
      type only       each sentence's main event and its actors, whether or not both parties
                      resolve (per-type P/R/F1, macro-F1, country accuracy);
      statements      the type of the best statement per sentence (the most confident one not
                      negated or hypothetical); a sentence without a statement is a miss.
    Country accuracy counts a sentence right when a predicted actor's country matches a gold
    code (IGO/NGO by kind). For fuller world-wide person coverage import a broader dictionary
    (graphkit import phoenix ...) or pass it with --actors.
    Examples:
      graphkit eval plover ../shared/eval/plover/plover_gsr.jsonl
      graphkit eval plover gold.jsonl --format json > scores.json
      graphkit eval plover gold.jsonl --misses plover-misses.jsonl
      graphkit eval plover gold.jsonl --actors phoenix-countries.json --actors phoenix-intl.json
    """
    import json

    from ..extract.evaluate import predict, read_gold, score
    from ..extract.statement_eval import read_plover, score_plover, to_dict

    gold = read_gold(file)
    extractor = _extractor(actor_files)
    scores = score(gold, predict(extractor, gold))
    outcomes = _run(extractor, read_plover(file), workers)
    statements = score_plover(outcomes)
    if misses_path:
        _misses(misses_path, outcomes, lambda o: None if o.best and o.best.type == o.record.gold["type"]
                else ("no statement" if not o.statements else f"best statement is {o.best.type if o.best else 'none'}"))
    if fmt == "json":
        click.echo(json.dumps(_jsonable({**scores.to_dict(), "statements": to_dict(statements)}), indent=2,
                              allow_nan=False))
        return
    rows = [{"type": t, "precision": _f(d["precision"]), "recall": _f(d["recall"]), "f1": _f(d["f1"]),
             "statement_f1": _f(statements.per_type.get(t, {}).get("f1", 0.0)), "support": d["support"]}
            for t, d in scores.per_type.items()]
    rows.append({"type": "macro", "f1": _f(scores.macro_f1), "statement_f1": _f(statements.macro_f1),
                 "support": scores.n})
    emit_rows(rows, "table", ["type", "precision", "recall", "f1", "statement_f1", "support"])
    click.echo(f"sentences {scores.n}  type accuracy {scores.accuracy:.3f}  macro-F1 {scores.macro_f1:.3f}  "
               f"source-country accuracy {scores.source_accuracy:.3f} "
               f"({scores.source_accuracy_when_found:.3f} where a source was found)  "
               f"target-country accuracy {scores.target_accuracy:.3f}  no event {scores.predicted_none}")
    click.echo(f"statements: macro-F1 {statements.macro_f1:.3f}  sentences with a statement "
               f"{statements.with_statement}/{statements.n}  source-country accuracy "
               f"{statements.source_country_accuracy:.3f}")
    predicted = sorted({p for c in scores.confusion.values() for p in c})
    conf_rows = [{"gold": g, **{p: (c.get(p) or "") for p in predicted}} for g, c in scores.confusion.items()]
    emit_rows(conf_rows, "table", ["gold", *predicted])


@eval_group.command("conflibert")
@_scorer_options
def eval_conflibert(file, fmt, actor_files, misses_path, workers):
    """Score sentences with a 5-way gold class and source/target spans (ConfliBERT CAMEO format).

    \b
    Each line: {"id": ..., "text": ..., "pentaclass": 4, "source": ["Iraqi troops"], "target": [...]}
    (0 make a statement, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    4 material conflict; lines without a class are not scored). The best statement's QuadClass
    is the predicted class (CAMEO 01x and no statement: 0). Reported: class accuracy, P/R/F1 per
    class (material conflict first among them), the confusion table, and how often the best
    statement's source and target overlap the gold spans (a shared content word).
    Examples:
      graphkit eval conflibert ../shared/eval/conflibert/train.jsonl
      graphkit eval conflibert sentences.jsonl --misses misses.jsonl --format json
    """
    import json

    from ..extract.statement_eval import (
        CLASS_NAMES,
        read_conflibert,
        score_conflibert,
        statement_class,
        to_dict,
    )

    outcomes = _run(_extractor(actor_files), read_conflibert(file), workers)
    scores = score_conflibert(outcomes)
    if misses_path:
        _misses(misses_path, outcomes, lambda o: None if statement_class(o.best) == o.record.gold["class"]
                else f"gold {o.record.gold['class']} predicted {statement_class(o.best)}")
    if fmt == "json":
        click.echo(json.dumps(_jsonable(to_dict(scores)), indent=2, allow_nan=False))
        return
    rows = [{"class": f"{k} {name}", "precision": _f(d["precision"]), "recall": _f(d["recall"]), "f1": _f(d["f1"]),
             "support": d["support"]} for k, (name, d) in enumerate(scores.per_class.items())]
    emit_rows(rows, "table", ["class", "precision", "recall", "f1", "support"])
    conf = [{"gold": f"{g} {CLASS_NAMES[g]}", **{str(p): scores.confusion[g].get(p, "") for p in range(5)}}
            for g in range(5)]
    emit_rows(conf, "table", ["gold", "0", "1", "2", "3", "4"])
    click.echo(f"sentences {scores.n}  class accuracy {scores.accuracy:.3f}  material conflict "
               f"P {scores.mc_precision:.3f} R {scores.mc_recall:.3f}  source span overlap "
               f"{scores.source_overlap:.3f}  target span overlap {scores.target_overlap:.3f}")


@eval_group.command("ucdp")
@_scorer_options
def eval_ucdp(file, fmt, actor_files, misses_path, workers):
    """Score violent events with their wire headlines (UCDP GED CSV columns).

    \b
    Columns used: id, source_headline (several joined by ';'), side_a, side_b, source_date
    (or date_start), type_of_violence. An event is found when a headline yields an asserted
    material-conflict statement; a side is found when one of that statement's parties is it
    ("Government of Iraq": Iraq's state, government, forces or police; "Civilians": a civilian
    actor; other names as the registry resolves them, or a part of that actor).
    Examples:
      graphkit eval ucdp ../shared/eval/ucdp/iraq_dev.csv
      graphkit eval ucdp ged_events.csv --misses ucdp-misses.jsonl
    """
    import json

    from ..extract.statement_eval import SideMatcher, read_ucdp, score_ucdp, to_dict, ucdp_hits

    extractor = _extractor(actor_files)
    outcomes = _run(extractor, read_ucdp(file), workers)
    sides = SideMatcher(extractor.registry, extractor.resolver)
    scores = score_ucdp(outcomes, sides)
    if misses_path:
        def why(o):
            found, party = ucdp_hits(o, sides)
            return None if found and party else ("no side as party" if found else "no material-conflict statement")
        _misses(misses_path, outcomes, why)
    if fmt == "json":
        click.echo(json.dumps(_jsonable(to_dict(scores)), indent=2, allow_nan=False))
        return
    rows = [{"type_of_violence": k, "events": d["events"], "event_recall": _f(d["event_recall"]),
             "side_as_party": _f(d["side_as_party"])} for k, d in scores.by_violence_type.items()]
    emit_rows(rows, "table", ["type_of_violence", "events", "event_recall", "side_as_party"])
    click.echo(f"events {scores.n}  event recall {scores.event_recall:.3f}  a UCDP side as a party "
               f"{scores.side_as_party:.3f}")


COMMANDS = [eval_group]
