"""The graphkit command line: one click group, one module a command."""

from __future__ import annotations

import sys

import click

from .. import __version__
from ..errors import FAILED, INTERRUPTED, STORE_FAILED, GraphkitError

# Every command: name -> "module:function" in graphkit.cli. A command's module (and what it imports:
# pandas, spaCy, the store drivers) is imported only when that command runs, so `graphkit --help` and
# the light commands start quickly; the help list reads each command's summary from its docstring.
COMMANDS = {
    "articles": "articles:articles_cmd", "extract": "extract:extract_cmd", "load": "load:load_cmd",
    "query": "query:query_cmd", "actors": "actors:actors_cmd", "tension": "analysis:tension_cmd",
    "balance": "analysis:balance_cmd", "render": "render:render_cmd", "report": "render:report_cmd",
    "map": "render:map_cmd",
    "import": "importers:import_group", "export": "export_cmd:export_cmd", "eval": "eval_cmd:eval_group", "neo4j": "neo4j_cmd:neo4j_group",
}


def _summary(target: str, limit: int) -> str:
    """A command's one-line help from its function's docstring, read from the source without
    importing the module (nor compiling it: a pattern finds the docstring literal, which alone
    is evaluated)."""
    import inspect
    import re
    from ast import literal_eval
    from pathlib import Path

    module, function = target.split(":")
    source = (Path(__file__).parent / f"{module}.py").read_text(encoding="utf-8")
    # the pattern runs from the function's line only (a whole-module scan is most of --help's cost)
    start = source.find(f"\ndef {function}(")
    found = start >= 0 and re.compile(r'def \w+\(.*?\)(?:\s*->\s*[^:\n]+)?:\s*\n\s+(r?"""(?:.|\n)*?""")',
                                      re.DOTALL).match(source, start + 1)
    doc = inspect.cleandoc(literal_eval(found.group(1))) if found else ""
    # click shortens it as it does a command's own help
    return click.Command(function, help=doc).get_short_help_str(limit)


class GraphkitGroup(click.Group):
    """Turns GraphkitError into one line on stderr and a meaningful exit code; loads commands lazily."""

    def list_commands(self, ctx):
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx, name):
        if name in self.commands or name not in COMMANDS:
            return self.commands.get(name)
        import importlib

        module, function = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), function)

    def format_commands(self, ctx, formatter):
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(n, self.commands[n].get_short_help_str(limit) if n in self.commands else _summary(COMMANDS[n], limit))
                for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except GraphkitError as err:
            click.echo(f"graphkit: error: {_one_line(err)}", err=True)
            sys.exit(err.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("graphkit: interrupted (every batch written so far is stored; run the command again "
                       "to finish)", err=True)
            sys.exit(INTERRUPTED)
        except Exception as err:  # noqa: BLE001 - the last guard: one line, never a traceback
            sys.exit(_last_guard(ctx, err))


def _one_line(err: BaseException) -> str:
    from ..store import redact_text

    return redact_text(" ".join(str(err).split()))


def _last_guard(ctx: click.Context, err: Exception) -> int:
    """An error no command turned into a GraphkitError, as one line and an exit code: a store's
    own error is 4 (the store failed), a file system error 1, anything else 1 with a hint.
    -vv adds the traceback (to stderr) for a bug report."""
    import logging

    from ..store import is_backend_error

    verbose = (ctx.obj or {}).get("verbose", 0)
    if verbose >= 2:
        logging.getLogger("graphkit").debug("traceback", exc_info=err)
    name = type(err).__name__
    if is_backend_error(err):
        click.echo(f"graphkit: error: store: {_one_line(err) or name}", err=True)
        return STORE_FAILED
    if isinstance(err, OSError):
        where = f"{err.filename}: " if getattr(err, "filename", None) else ""
        click.echo(f"graphkit: error: {where}{err.strerror or _one_line(err)}", err=True)
        return FAILED
    if isinstance(err, MemoryError):
        click.echo("graphkit: error: out of memory (an input too large? see --max-size)", err=True)
        return FAILED
    click.echo(f"graphkit: error: internal error ({name}: {_one_line(err)[:300]}); please report it "
               "(-vv shows where)", err=True)
    return FAILED


@click.group(cls=GraphkitGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.version_option(__version__, prog_name="graphkit")
@click.pass_context
def cli(ctx: click.Context, verbose: int) -> None:
    """graphkit: news articles to an actor-relationship knowledge graph.

    \b
    Pipeline:  articles -> extract -> load (store) -> tension / render / report
    Quick start (embedded store, no server):
      graphkit load data/articles/          # extract and store in ./graphkit.db
      graphkit tension series --freq M      # dyad conflict/cooperation by month
      graphkit render -o graph.html         # interactive network view
    With Neo4j:
      graphkit neo4j start                  # local server on bolt://127.0.0.1:7687
      graphkit load data/articles/ --store bolt://127.0.0.1:7687
      graphkit query top_dyads --param order=hostile --store bolt://127.0.0.1:7687
    """
    import logging  # here, not at the top: `graphkit --help` never reaches this and starts quicker

    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="graphkit: %(levelname)s: %(message)s", stream=sys.stderr)
    for noisy in ("neo4j", "urllib3", "trafilatura", "htmldate", "matplotlib", "distributed", "tornado"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


if __name__ == "__main__":  # pragma: no cover
    cli()
