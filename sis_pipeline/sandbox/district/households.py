"""Who lives with whom: students and parents grouped into families.

Families come in two parts. A fixed scaffold first (the families the hard cases need, in the
order given), then random families: each has one or two parents and at least one child, the
extra children spread at random so that some families have many.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Households:
    student_family: np.ndarray  # family index of each student
    parent_family: np.ndarray  # family index of each parent
    parent_rank: np.ndarray  # 1 for a family's first parent, 2 for its second
    n_families: int


def _random_families(rng: np.random.Generator, n_students: int, n_parents: int):
    n_families = min(n_students, max(-(-n_parents // 2), round(n_parents / 1.5)), n_parents)
    extra_children = rng.integers(0, n_families, n_students - n_families)
    student_family = np.concatenate([np.arange(n_families), extra_children])
    second_parents = rng.choice(n_families, n_parents - n_families, replace=False)
    parent_family = np.concatenate([np.arange(n_families), np.sort(second_parents)])
    parent_rank = np.concatenate(
        [np.ones(n_families, np.int64), np.full(n_parents - n_families, 2, np.int64)]
    )
    return student_family, parent_family, parent_rank, n_families


def build_households(
    rng: np.random.Generator,
    n_students: int,
    n_parents: int,
    scaffold: tuple[tuple[int, int], ...] = (),
) -> Households:
    """`scaffold` lists (children, parents) of the fixed families; they take the first
    student and parent indices, family by family, each family's first parent first."""
    children = np.array([c for c, _ in scaffold], dtype=np.int64)
    parents = np.array([p for _, p in scaffold], dtype=np.int64)
    fixed_students = np.repeat(np.arange(len(scaffold)), children)
    fixed_parents = np.repeat(np.arange(len(scaffold)), parents)
    fixed_rank = np.concatenate([np.arange(1, p + 1) for p in parents] or [np.empty(0, np.int64)])
    rest_students, rest_parents = n_students - len(fixed_students), n_parents - len(fixed_parents)
    if rest_students < 1 or rest_parents < 1:
        raise ValueError("too few people for the fixed families")
    family, parent_family, rank, n_random = _random_families(rng, rest_students, rest_parents)
    offset = len(scaffold)
    return Households(
        student_family=np.concatenate([fixed_students, family + offset]),
        parent_family=np.concatenate([fixed_parents, parent_family + offset]),
        parent_rank=np.concatenate([fixed_rank, rank]).astype(np.int64),
        n_families=offset + n_random,
    )
