"""Use cases, called by the CLI (kb/cli/) and the UI (ui/): each takes the settings and a
connection, does one thing the user asked for, and returns a result object. Bad input and
failures come back as typed exceptions whose text is the message to show (ServiceError)."""


class ServiceError(Exception):
    """A use case that could not be done; str() is the message for the user.

    `usage` is True when the input was at fault (the CLI exits 2), False when the server
    or the machine was (exit 1)."""

    usage = False


class InputError(ServiceError):
    """The user's input (a file, an option, a parameter) is at fault."""

    usage = True
