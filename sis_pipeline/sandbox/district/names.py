"""Vectorised name picks: every person gets a script, then names by index from the pools.

A pick returns the names and their ASCII slugs (for e-mails and logins) as object arrays.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

from .name_pools import LATIN_FEMALE, LATIN_LAST, LATIN_MALE, OTHER_SCRIPTS

LATIN = 0
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Þ": "Th"})


def ascii_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    return "".join(c for c in folded.lower() if "a" <= c <= "z") or "user"


@dataclass(frozen=True)
class Pool:
    names: np.ndarray  # object
    slugs: np.ndarray  # object
    probabilities: np.ndarray

    @classmethod
    def latin(cls, names: list[str]) -> Pool:
        weights = 1.0 / (np.arange(len(names)) + 8.0)
        return cls(
            np.array(names, dtype=object),
            np.array([ascii_slug(n) for n in names], dtype=object),
            weights / weights.sum(),
        )

    @classmethod
    def romanised(cls, pairs: list[tuple[str, str]]) -> Pool:
        return cls(
            np.array([p[0] for p in pairs], dtype=object),
            np.array([p[1] for p in pairs], dtype=object),
            np.full(len(pairs), 1.0 / len(pairs)),
        )

    def pick(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(len(self.names), size=n, p=self.probabilities)


_FEMALE = Pool.latin(LATIN_FEMALE)
_MALE = Pool.latin(LATIN_MALE)
_LAST = Pool.latin(LATIN_LAST)
_OTHER_FIRST = [Pool.romanised(first) for _, _, first, _ in OTHER_SCRIPTS]
_OTHER_LAST = [Pool.romanised(last) for _, _, _, last in OTHER_SCRIPTS]
_SHARES = np.array([share for _, share, _, _ in OTHER_SCRIPTS])
SCRIPT_PROBABILITIES = np.concatenate([[1.0 - _SHARES.sum()], _SHARES])


def pick_scripts(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice(len(SCRIPT_PROBABILITIES), size=n, p=SCRIPT_PROBABILITIES)


def _fill(rng, out_names, out_slugs, mask, pool: Pool) -> None:
    count = int(mask.sum())
    if count:
        index = pool.pick(rng, count)
        out_names[mask] = pool.names[index]
        out_slugs[mask] = pool.slugs[index]


def pick_first_names(
    rng: np.random.Generator, scripts: np.ndarray, genders: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First names by script and gender ("M", "F"; other codes draw from either list)."""
    n = len(scripts)
    names, slugs = np.empty(n, dtype=object), np.empty(n, dtype=object)
    latin = scripts == LATIN
    male = genders == "M"
    other_gender = ~male & (genders != "F")
    coin = rng.random(n) < 0.5
    _fill(rng, names, slugs, latin & (male | (other_gender & coin)), _MALE)
    _fill(rng, names, slugs, latin & ~male & ~(other_gender & coin), _FEMALE)
    for script, pool in enumerate(_OTHER_FIRST, start=1):
        _fill(rng, names, slugs, scripts == script, pool)
    return names, slugs


def pick_last_names(rng: np.random.Generator, scripts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    n = len(scripts)
    names, slugs = np.empty(n, dtype=object), np.empty(n, dtype=object)
    _fill(rng, names, slugs, scripts == LATIN, _LAST)
    for script, pool in enumerate(_OTHER_LAST, start=1):
        _fill(rng, names, slugs, scripts == script, pool)
    return names, slugs


def pick_middle_names(
    rng: np.random.Generator, scripts: np.ndarray, genders: np.ndarray, share: float
) -> np.ndarray:
    """Latin-script people have a middle name with probability `share`; None otherwise."""
    names, _ = pick_first_names(rng, scripts, genders)
    names[(rng.random(len(scripts)) >= share) | (scripts != LATIN)] = None
    return names


def pick_genders(rng: np.random.Generator, n: int) -> np.ndarray:
    codes = np.array(["M", "F", "X", "U"], dtype=object)
    return codes[rng.choice(4, size=n, p=[0.49, 0.49, 0.01, 0.01])]
