"""The pre-commit hook, run by the real `pre-commit` tool in a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = (ROOT / "examples" / "keras_io_mnist_convnet.yaml").read_text()
BAD = "input_shape: [28, 28, 1]\nlayers:\n  - type: Conv2D\n    filters: 32\n    kernal_size: 3\n"


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_pre_commit_hook_passes_good_and_fails_bad_specs(tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (it is in the dev extra)")
    # The hook is installed from this checkout's working tree (try-repo snapshots it).
    repo = tmp_path / "project"
    (repo / "specs").mkdir(parents=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    _run(["git", "init", "-q"], repo, env)
    (repo / "specs" / "good.yaml").write_text(GOOD)
    (repo / "notes.yaml").write_text("not: [a, spec]\n")  # outside specs/: the hook must leave it alone
    _run(["git", "add", "."], repo, env)

    ok = _run([pre_commit, "try-repo", str(ROOT), "kerasspec-check", "--all-files"], repo, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "kerasspec check" in ok.stdout and "Passed" in ok.stdout

    (repo / "specs" / "bad.yaml").write_text(BAD)
    _run(["git", "add", "."], repo, env)
    bad = _run([pre_commit, "try-repo", str(ROOT), "kerasspec-check", "--all-files"], repo, env)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "specs/bad.yaml:5:5: KS201 unknown field 'kernal_size' in Conv2D" in bad.stdout
    assert "notes.yaml" not in bad.stdout
