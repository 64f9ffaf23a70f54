"""Shared helpers for benchmark scripts: environment header, markdown tables."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess

import numpy as np
import pandas as pd
import sklearn


def git_commit() -> str:
    """Short hash of HEAD, or "unknown" outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def uncommitted_code() -> list[str]:
    """Code files (the package, the benchmark scripts) changed since HEAD.

    A results file names the commit it was made at; a script or module edited
    but not yet committed when it ran, or never committed, would make that
    name a false witness. Untracked ones are marked so.
    """
    try:
        out = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "--",
                "sklearn_leakage/*.py",
                "benchmarks/*.py",
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        )
    except (OSError, subprocess.CalledProcessError):
        return []
    return [
        f"{line[3:]} (untracked)" if line.startswith("??") else line[3:]
        for line in out.stdout.splitlines()
        if line.strip()
    ]


def environment_header() -> str:
    """Markdown lines naming the date, commit, versions and CPU count."""
    now = datetime.datetime.now(datetime.timezone.utc)
    changed = uncommitted_code()
    return "\n".join(
        [
            f"- date: {now:%Y-%m-%d %H:%M} UTC",
            f"- git commit: {git_commit()}"
            + (
                f", with uncommitted changes to {', '.join(changed)}" if changed else ""
            ),
            f"- python {platform.python_version()}, numpy {np.__version__}, "
            f"scikit-learn {sklearn.__version__}, pandas {pd.__version__}",
            f"- CPUs: {os.cpu_count()} ({platform.machine()})",
        ]
    )


def markdown_table(table: pd.DataFrame, floatfmt: str = ".3f") -> str:
    """A GitHub markdown table of a DataFrame (no tabulate dependency)."""

    def cell(value):
        if isinstance(value, float | np.floating):
            return format(value, floatfmt)
        return str(value)

    columns = [str(c) for c in table.columns]
    lines = [
        "| " + " | ".join(columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    lines += [
        "| " + " | ".join(cell(v) for v in row) + " |"
        for row in table.itertuples(index=False)
    ]
    return "\n".join(lines)
