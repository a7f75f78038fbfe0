"""Errors that reach the user as one line (the CLI prints str(err) to stderr), and the exit codes.

EXIT_CODES is the one table of what an exit code means; README.md's table is checked against it
(tests/test_exit_codes.py) and every error class takes its code from it.
"""

DONE = 0
FAILED = 1
SKIPPED = 2
NOT_BUILT = 3
STORE_FAILED = 4
INTERRUPTED = 130

EXIT_CODES = {
    DONE: "done",
    FAILED: "error: nothing was done (a file that cannot be read, an internal error)",
    SKIPPED: "some input was skipped (each reported with file and line), or bad input or usage",
    NOT_BUILT: "not built yet",
    STORE_FAILED: "store error (the store refused or could not be reached)",
    INTERRUPTED: "interrupted (every batch written so far is stored)",
}


class GraphkitError(Exception):
    """Base: a problem the user can act on. The message is one line."""

    exit_code = FAILED


class InputError(GraphkitError):
    """Bad input: the message names the file and the line or field."""

    exit_code = SKIPPED

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class UsageError(GraphkitError):
    """Options that do not fit together or a value an option refuses: exit 2, as click's own usage errors."""

    exit_code = SKIPPED


class NotSupported(UsageError):
    """The store cannot do this (a capability of another backend: Cypher needs Neo4j)."""


class PartialInput(GraphkitError):
    """Some input records were bad (each reported with its file and line) and skipped; the rest was used."""

    exit_code = SKIPPED


class NotYetError(GraphkitError):
    """A command that a later issue fills in."""

    exit_code = NOT_BUILT


class StoreError(GraphkitError):
    """The store refused or could not be reached."""

    exit_code = STORE_FAILED
