"""Hypothesis helpers drawing argument values in the spellings users write."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def omitted() -> Any:
    """A marker: leave the argument out (Keras's default applies)."""
    return st.just(OMIT)


OMIT = object()


def int_or_tuple(n: int, lo: int = 1, hi: int = 4) -> st.SearchStrategy[Any]:
    """``3``, ``[3, 3]`` or ``[2, 3]``: Keras's "an int or a tuple of n ints"."""
    one = st.integers(lo, hi)
    return st.one_of(one, st.lists(one, min_size=n, max_size=n))


def any_case(word: str) -> st.SearchStrategy[str]:
    """``same``, ``SAME``, ``Same``: for arguments Keras lower-cases (and for those it does not)."""
    return st.sampled_from([word, word.upper(), word.capitalize()])


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value, or the argument left out."""
    return st.one_of(st.just(OMIT), strategy)


def args(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A mapping of drawn arguments, without those drawn as :data:`OMIT`."""
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not OMIT})
