"""Errors that reach the user as one line (the CLI prints str(err) to stderr)."""


class GraphkitError(Exception):
    """Base: a problem the user can act on. The message is one line."""

    exit_code = 1


class InputError(GraphkitError):
    """Bad input: the message names the file and the line or field."""

    exit_code = 2

    def __init__(self, where: str, message: str):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class PartialInput(GraphkitError):
    """Some input records were bad (each reported with its file and line) and skipped; the rest was used."""

    exit_code = 2


class NotYetError(GraphkitError):
    """A command that a later issue fills in."""

    exit_code = 3


class StoreError(GraphkitError):
    """The store refused or could not be reached."""

    exit_code = 4
