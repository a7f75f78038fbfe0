import click

from .common import format_option, not_yet


@click.command("articles")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--published", metavar="DATE", help="Override the publication date (YYYY-MM-DD).")
@format_option()
def articles_cmd(paths, published, fmt):
    """Read articles and print their metadata (id, title, outlet, published, how the date was found).

    \b
    PATH is a .txt, .html, .jsonl or .csv file, a directory (read recursively), a glob, or - for stdin.
    Examples:
      graphkit articles data/articles/
      graphkit articles saved_page.html --format json
      cat story.txt | graphkit articles - --published 2023-12-06
    """
    not_yet("graphkit articles", 3)


COMMANDS = [articles_cmd]
