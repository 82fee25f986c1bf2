"""Places where a higher app adds to a lower app's page or process without being imported.

A lower app declares a ``Slot`` (for example, the sections of an organisation's page); a
higher app adds to it from its ``AppConfig.ready()``. The lower app iterates the slot and
never names the higher one, so the layers in ``docs/architecture.md`` hold.

For things that happen (an award activated, a return accepted) use a Django signal, sent by
the service inside its transaction, so a receiver that fails rolls the whole change back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Slot(Generic[T]):
    """A named, ordered list of contributions from higher apps."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: list[tuple[int, str, T]] = []

    def add(self, item: T, *, key: str, order: int = 100) -> T:
        """Add a contribution once (adding the same key again replaces it: ready() may rerun)."""
        self._items = [entry for entry in self._items if entry[1] != key]
        self._items.append((order, key, item))
        self._items.sort(key=lambda entry: (entry[0], entry[1]))
        return item

    def register(self, *, key: str, order: int = 100) -> Callable[[T], T]:
        """``@slot.register(key=...)`` on a function adds it."""

        def decorator(item: T) -> T:
            return self.add(item, key=key, order=order)

        return decorator

    def __iter__(self) -> Iterator[T]:
        return iter([item for _, _, item in self._items])

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Slot {self.name}: {[key for _, key, _ in self._items]}>"
