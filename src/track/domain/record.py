"""Plain record classes (equal field by field, a repr, `replace`) as @dataclass would make
them, without importing dataclasses on a command's path; and Memo."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    R = TypeVar("R", bound="Record")


class Record:
    """Equal when of the same class with equal fields (then unhashable, as a dataclass is),
    shown as Class(field=value, ...)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{self.__class__.__qualname__}(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields) + ")"


class Frozen(Record):
    """A Record whose fields cannot be changed once made, and which can be hashed."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._values())

    def __reduce__(self) -> tuple:
        """Copied and pickled by making it anew (its fields cannot be set one by one)."""
        return (self.__class__, self._values())


def replace(record: R, **changes: Any) -> R:
    """A copy of the record with these fields changed (as dataclasses.replace)."""
    values = {name: getattr(record, name) for name in record._fields}
    unknown = set(changes) - set(values)
    if unknown:
        raise TypeError(f"{record.__class__.__name__} has no field {', '.join(sorted(unknown))}")
    values.update(changes)
    return record.__class__(**values)


class Memo(dict):  # type: ignore[type-arg]
    """A function's values, each worked out once and then looked up (a dictionary lookup
    rather than a call: owners, dates, statuses repeat down a table of thousands of rows)."""

    __slots__ = ("function",)

    def __init__(self, function: Any) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self.function(key)
        return value
