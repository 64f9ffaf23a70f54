"""The README stays true: its setup commands and its Python blocks run."""

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)
PYTHON_BLOCKS = [code for lang, code in BLOCKS if lang == "python"]


def test_two_setup_commands_at_the_top():
    lang, code = BLOCKS[0]
    assert lang == "bash"
    commands = code.strip().splitlines()
    assert len(commands) == 2
    assert "sklearn-leakage demo" in commands[0]
    assert commands[1].endswith("python -m pytest")


def test_ci_runs_the_readme_test_command():
    test_command = BLOCKS[0][1].strip().splitlines()[1].split("&&")[-1].strip()
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_command in ci


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_blocks_run(index, tmp_path, monkeypatch, pyplot):
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(PYTHON_BLOCKS[index], f"README block {index}", "exec"), namespace)
    if "GridSearchCV" in PYTHON_BLOCKS[index]:
        # The README promises the wine data's 3 cultivars.
        assert namespace["search"].best_params_ == {"clusterer__n_clusters": 3}
        assert namespace["display"].ax_.get_xlabel()
        assert (tmp_path / "wine_k_selection.png").stat().st_size > 10_000
        # The report opens with the choice: the plot and every candidate.
        page = (tmp_path / "wine_report.html").read_text(encoding="utf-8")
        assert '<section id="number-of-clusters">' in page
        assert "Chosen: k = 3." in page
    if "iris_report.html" in PYTHON_BLOCKS[index]:
        assert (tmp_path / "iris_report.html").stat().st_size > 10_000
        # The numbers the block's comments promise.
        totals = namespace["report"].totals
        assert (totals["leaking"].item(), totals["n_samples"].item()) == (15, 150)
        pairs = namespace["report"].pairs.set_index(["source", "target"])
        assert pairs.loc[(2, 1), "leakage"] == pytest.approx(0.18)
        score = namespace["leakage_score"](
            namespace["X"], namespace["species"], random_state=0
        )
        assert round(score, 3) == 0.958


def test_command_line_block_runs(tmp_path, monkeypatch, capsys):
    from sklearn_leakage.cli import main

    block = README.split("## Command line", 1)[1]
    lang, code = re.findall(r"```(\w+)\n(.*?)```", block, flags=re.S)[0]
    assert lang == "bash"
    monkeypatch.chdir(tmp_path)
    for line in code.strip().splitlines():
        program, *argv = shlex.split(line)
        assert program == "sklearn-leakage"
        assert main(argv) == 0, line
        out = capsys.readouterr().out
        if argv[0] == "select":
            # The README promises the demo's answer on the demo's data.
            assert "chosen: 3 clusters" in out
    assert (tmp_path / "demo" / "wine.csv").exists()
    assert (tmp_path / "wine-k" / "k_selection.csv").exists()
    assert (tmp_path / "wine-cultivars" / "report.html").exists()
