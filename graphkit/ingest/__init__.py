"""ingest stage: files, directories, globs and stdin to Article records.

    from graphkit.ingest import read_paths
    result = read_paths(["data/articles/"])
    result.articles      # list[Article], exact duplicates dropped
    result.problems      # list[InputError]: "file:line: what was wrong" (something was skipped)
    result.duplicates    # [(where, id)] exact duplicates, reported once
    result.notes         # list[InputError]: e.g. "decoded as cp1252"; nothing skipped

Text layout (see graphkit.ingest.layout): Article.text holds the title paragraph, then
one "header" paragraph per kept header line, then the body paragraphs, joined by "\\n\\n".
Extraction must read `body_paragraphs(article)` one paragraph at a time.
"""

from .layout import body_paragraphs, body_text
from .read import EXTENSIONS, ReadResult, read_articles, read_paths, read_text

__all__ = ["EXTENSIONS", "ReadResult", "body_paragraphs", "body_text", "read_articles", "read_paths",
           "read_text"]
