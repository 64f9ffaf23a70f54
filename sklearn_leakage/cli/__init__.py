"""Command line: ``sklearn-leakage demo | select | evaluate``.

For analysts who never open Python: the commands read a CSV, TSV, Excel or
Parquet file, choose the number of clusters (``select``) or judge a clustering
made elsewhere (``evaluate``), print the answer and write a report to a
folder. They compute only through the public API of sklearn-leakage and
scikit-learn; the texts of the library's advice and its number formats are
imported from its private modules, so that the command's words and numbers stay
in step with them.

Results go to stdout, progress and notes to stderr (``--quiet`` silences them).
A user mistake (missing file, unknown column, bad range...) prints one line
``sklearn-leakage: error: ...`` to stderr and exits with status 2; Ctrl-C
prints one line and exits with status 130; anything else is a bug and raises.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from sklearn_leakage.cli._clusterers import GaussianMixtureClusterer
from sklearn_leakage.cli._console import PROG, UsageError
from sklearn_leakage.cli._data import DATA_SUFFIXES, data_suffix
from sklearn_leakage.cli._parser import build_parser, parse_n_clusters


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sklearn-leakage`` with ``argv`` (default ``sys.argv[1:]``).

    Parameters
    ----------
    argv : sequence of str, default=None
        The arguments, without the program name.

    Returns
    -------
    status : int
        0 when done, 2 for a usage error (reported in one line on stderr),
        130 when interrupted with Ctrl-C.
    """
    parser = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = parser.parse_args(given)
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        except UsageError as exc:
            raise UsageError(_with_list_hint(str(exc), given)) from None
        # The report names the command that made it.
        args.argv = given
        if args.command is None:
            raise UsageError(
                "choose a command: demo, select or evaluate (see 'sklearn-leakage "
                "--help')"
            )
        return args.run(args)
    except UsageError as exc:
        message = " ".join(str(exc).split())
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # Ctrl-C is the user's choice, not a bug: no traceback. 130 is what
        # shells report for a program ended by SIGINT (128 + 2).
        print(f"{PROG}: interrupted; files already written stay", file=sys.stderr)
        return 130


#: argparse's words for arguments it could not place.
_UNRECOGNIZED = "unrecognized arguments: "

#: Options whose value is a comma-separated list of column names.
_LIST_OPTIONS = ("--ignore", "--columns")


def _names_a_data_file(word: str) -> bool:
    path = Path(word)
    return path.is_file() or data_suffix(path) in DATA_SUFFIXES


def _with_list_hint(message: str, given: list[str]) -> str:
    """argparse's message, with a hint when a column list was split by a space.

    "--ignore city segment" leaves "segment" unrecognized, and argparse's
    words do not say that the names of a list are joined by commas. The hint
    is given only when the first unrecognized argument is the one right after
    such an option's value (written "--ignore city", "--ignore=city" or
    abbreviated, as argparse accepts), or, when the list came before the data
    file ("--ignore city segment data.csv": "segment" was taken for the data
    file), the one after that if the word taken for the data file names no
    file of a type the commands read and that one does.
    """
    if not message.startswith(_UNRECOGNIZED):
        return message
    problem, _, help_pointer = message.rpartition(" (see ")
    unplaced = problem[len(_UNRECOGNIZED) :]
    for position, token in enumerate(given):
        option, equals, _ = token.partition("=")
        names = [
            name
            for name in _LIST_OPTIONS
            if len(option) > 2 and name.startswith(option)
        ]
        if len(names) != 1:
            continue
        after = position + (1 if equals else 2)
        if after >= len(given) or given[after].startswith("-"):
            continue
        strays = [given[after]]
        if (
            after + 1 < len(given)
            and not _names_a_data_file(given[after])
            and _names_a_data_file(given[after + 1])
        ):
            strays.append(given[after + 1])
        if any(unplaced == word or unplaced.startswith(word + " ") for word in strays):
            return (
                f"{problem}: the names of {names[0]} are one argument, joined by "
                f"commas without spaces (e.g. {names[0]} a,b), or quoted when a "
                f"name holds a space (see {help_pointer}"
            )
    return message


__all__ = ["GaussianMixtureClusterer", "main", "parse_n_clusters"]
