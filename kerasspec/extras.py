"""How to install an optional part of kerasspec: the one wording every "needs X" message uses.

kerasspec is not on PyPI (README, Installing): an extra is installed from a clone of the
repository, ``pip install -e '.[tune]'``, or with ``make venv``, which puts the extras
(TensorFlow's CPU build among them) in ``.venv``. A PyPI command (the package name with
an extra) would fetch nothing, or someone else's package.
"""

from __future__ import annotations

__all__ = ["install_hint"]


def install_hint(extra: str, *, alternative: str | None = None) -> str:
    """The command that installs ``extra`` (``tf-cpu``, ``lsp``, ``tune``...), as a message ends with it.

    ``alternative``: another extra that serves as well, named after the command
    (``install_hint("tf-cpu", alternative="tf")``: TensorFlow's GPU build).
    """
    other = f" ('.[{alternative}]' instead for {_WHAT.get(alternative, alternative)})" if alternative else ""
    return (
        f"pip install -e '.[{extra}]' in a clone of kerasspec{other}; "
        "kerasspec is not on PyPI; `make venv` in the clone installs it with the other extras into .venv"
    )


_WHAT = {"tf": "TensorFlow's GPU build", "tf-cpu": "TensorFlow's CPU build"}
