"""The one exception type for user mistakes (bad paths, malformed files, bad options).

Command-line entry points catch it, print its message and exit non-zero; anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations


# How to get what `workbench` and PyTorch models need (README, "Which install does what").
TRAIN_EXTRA_HINT = 'pip install ".[train]" in the repository (the training extra)'


class UserError(Exception):
    """A problem the user can fix; the message names the file (and line) when there is one."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(where + message)


def run_cli(main_body, argv=None) -> int:
    """Run a CLI body, turning UserError into a one-line message and an exit code."""
    import os
    import sys

    from rich.console import Console
    from rich.markup import escape

    try:
        return main_body(argv) or 0
    except UserError as err:
        Console(stderr=True).print(f"[bold red]error:[/] {escape(str(err))}", highlight=False, soft_wrap=True)
        return err.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout's reader went away (`assertgen fill --diff | head`): no traceback, nor another
        # one when Python flushes stdout at exit (the standard library's SIGPIPE note)
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # stdout is no file (captured)
            pass
        return 141  # 128 + SIGPIPE, as a shell reports a command ended by it
