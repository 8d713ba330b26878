"""Character ranges indexed by position, so that "which of these overlap that?" costs
O(log n + hits) instead of a pass over all of them (an article's cues, contents, quotations).

>>> ranges = Ranges([((0, 10), "a"), ((5, 8), "b"), ((20, 30), "c")])
>>> ranges.overlapping(7, 21)
['a', 'b', 'c']
>>> ranges.containing(6, 8)
['a', 'b']
>>> ranges.overlapping(10, 20)
[]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Generic, TypeVar

__all__ = ["Buckets", "Ranges"]

T = TypeVar("T")


class Ranges(Generic[T]):
    """Half-open ranges, each with a value, sorted by start (ties keep the given order).

    A segment tree over the ends (in start order) finds the ranges that reach past a point
    without looking at those that do not, however long some of them are.
    """

    def __init__(self, items: Iterable[tuple[tuple[int, int], T]]) -> None:
        ordered = sorted(items, key=lambda item: item[0][0])
        self._starts = [r[0] for r, _ in ordered]
        self._ends = [r[1] for r, _ in ordered]
        self._values = [v for _, v in ordered]
        self._size = 1
        while self._size < len(ordered):
            self._size *= 2
        tree = [-1] * (2 * self._size)
        tree[self._size : self._size + len(ordered)] = self._ends
        for node in range(self._size - 1, 0, -1):
            tree[node] = max(tree[2 * node], tree[2 * node + 1])
        self._tree = tree

    def __len__(self) -> int:
        return len(self._values)

    def _reaching(self, stop: int, past: int) -> list[int]:
        """Positions ``< stop`` (in start order) of the ranges whose end is ``> past``."""
        out: list[int] = []
        todo = [(1, 0, self._size)]
        while todo:
            node, lo, hi = todo.pop()
            if lo >= stop or self._tree[node] <= past:
                continue
            if hi - lo == 1:
                out.append(lo)
                continue
            mid = (lo + hi) // 2
            todo.append((2 * node + 1, mid, hi))
            todo.append((2 * node, lo, mid))
        return out

    def overlapping(self, start: int, end: int) -> list[T]:
        """The values of the ranges sharing a character with ``[start, end)``, in start order."""
        stop = bisect.bisect_left(self._starts, end)
        return [self._values[i] for i in self._reaching(stop, start)]

    def containing(self, start: int, end: int) -> list[T]:
        """The values of the ranges that hold all of ``[start, end)``, in start order."""
        stop = bisect.bisect_right(self._starts, start)
        return [self._values[i] for i in self._reaching(stop, end - 1) if self._ends[i] >= end]


class Buckets(Generic[T]):
    """Ranges that may be added as they come: each is filed under the blocks of ``block``
    characters it touches, so a query looks only at ranges near it."""

    def __init__(self, block: int = 1024) -> None:
        self._block = block
        self._filed: dict[int, list[tuple[int, int, T]]] = {}

    def add(self, start: int, end: int, value: T) -> None:
        for b in range(start // self._block, (max(end, start + 1) - 1) // self._block + 1):
            self._filed.setdefault(b, []).append((start, end, value))

    def overlapping(self, start: int, end: int) -> list[T]:
        """The values of the ranges added so far that share a character with ``[start, end)``
        (a value filed under several ranges may come more than once)."""
        out = []
        for b in range(start // self._block, (max(end, start + 1) - 1) // self._block + 1):
            out += [v for s, e, v in self._filed.get(b, ()) if s < end and start < e]
        return out
