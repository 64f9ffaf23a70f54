"""``python -m sklearn_leakage``: the ``sklearn-leakage`` command line."""

from sklearn_leakage.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
