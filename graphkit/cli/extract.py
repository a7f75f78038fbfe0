import click

from .common import article_options, emit_rows, exit_if_skipped, format_option, progress_bars

TABLE_COLUMNS = ("date", "source", "type", "target", "modality", "location", "mentions", "rule", "sentence")


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@format_option(("jsonl", "csv", "table"), default="jsonl")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True), help="Extra actor registry file(s).")
@article_options
@click.option("--shards", metavar="DIR", type=click.Path(file_okay=False),
              help="Write the statements as Parquet shards in DIR (part-00000.parquet, ...) instead of "
                   "stdout; `graphkit load DIR` reads them (schema: graphkit.shards).")
@click.pass_context
def extract_cmd(ctx, paths, fmt, workers, actor_files, columns, cluster, shards, published, outlet):
    """Extract typed, dated actor-to-actor statements from articles.

    \b
    Each JSONL line is one statement (schema: docs/statements.md): id, source, target
    (id, name, kind, country), type (PLOVER or TENSION/ALLIANCE), cameo, quad_class, goldstein,
    date, date_precision, modality, attribution, location, article_id, sentence,
    char_start, char_end, rule, confidence, record_id (the input record's own id column),
    source_text/source_start/source_end and target_text/... (where the sentence names each
    party), mentions, evidence.
    --format csv is flat: source_id, source_name, source_kind, source_country, target_...,
    then the other fields (evidence as JSON text); read it with pandas as
    pd.read_csv(f, dtype=graphkit.serialize.CSV_DTYPES) so CAMEO "040" stays a string.
    Inputs that cannot be read are reported on stderr (one line each); the others are still
    processed, and the exit code is 2.
    Examples:
      graphkit extract data/articles/ > statements.jsonl
      graphkit extract story.txt --format table
      graphkit extract corpus/ --workers 2 --actors my_actors.toml --format csv
      graphkit extract export.csv --column text=body --column id=doc_no   # record ids on evidence
      graphkit extract archive/ --cluster local:2                 # a 2-worker Dask LocalCluster
      graphkit extract archive/ --cluster tcp://scheduler:8786    # a running Dask cluster
      graphkit extract archive/ --cluster local:2 --shards shards/ && graphkit load shards/
      cat story.txt | graphkit extract - --published 2024-01-30 --outlet Reuters
    """
    from ..extract import Extractor, iter_extract
    from ..extract.cluster import WorkerSetup, connect
    from ..ingest import read_paths
    from ..registry import Registry
    from ..serialize import statement_to_dict, statement_to_row

    result = read_paths(list(paths), columns=columns, published=published, outlet=outlet)
    for problem in result.problems:
        click.echo(f"graphkit: error: {problem}", err=True)
    for note in result.notes:
        click.echo(f"graphkit: note: {note}", err=True)
    # On a cluster each worker builds its own extractor from the setup; here, one for all processes.
    extractor = None if cluster else Extractor(registry=Registry.default(extra=actor_files))
    total = len(result.articles)
    with connect(cluster) as client, progress_bars(ctx) as bars:
        def advance(n: int) -> None:
            bars.advance("extracting", n, total)

        statements = iter_extract(result.articles, extractor=extractor, workers=workers, cluster=client,
                                  setup=WorkerSetup(tuple(actor_files)), progress=advance if bars and total else None)
        if shards:
            from ..shards import write_shards

            counted = _Counted(statements)
            files = write_shards(counted, shards)
            click.echo(f"graphkit: {counted.n} statement(s) in {len(files)} shard(s) in {shards}", err=True)
            statements, n = [], counted.n
        else:
            statements = list(statements)
            n = len(statements)
    if fmt == "table" and not shards:
        rows = [{**statement_to_dict(st), "source": st.source.name, "target": st.target.name} for st in statements]
        emit_rows(rows, "table", TABLE_COLUMNS)
    elif not shards:
        # CSV is flat (source_id, source_name, ...); JSONL keeps the nested schema.
        to_row = statement_to_row if fmt == "csv" else statement_to_dict
        rows = [to_row(st) for st in statements]
        columns = list(rows[0]) if rows else None
        emit_rows(rows, fmt, columns)
    if (ctx.obj or {}).get("verbose", 0):
        parsed = (f", {extractor.parsed_sentences}/{extractor.seen_sentences} sentences parsed in full"
                  if workers == 1 and extractor is not None else "")
        click.echo(f"graphkit: {len(result.articles)} article(s), {n} statement(s){parsed}", err=True)
    # failures: reported on stderr as they happened (in this process; a worker's are in its log)
    exit_if_skipped(result.problems or (extractor is not None and extractor.failures))


class _Counted:
    """An iterable that counts what passes through it."""

    def __init__(self, items):
        self.items, self.n = items, 0

    def __iter__(self):
        for item in self.items:
            self.n += 1
            yield item


COMMANDS = [extract_cmd]
