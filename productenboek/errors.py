"""Problems found in content: collected, never raised one by one.

Every problem carries a location so that it prints as ``path:line:column: message``.
Lines and columns are 1-based, as editors show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class Location(NamedTuple):
    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Problems:
    """Collector passed through load and validate."""

    items: list[Problem] = field(default_factory=list)

    def add(self, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Problem(location, message, hint))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class UsageError(Exception):
    """Wrong command-line use (exit code 2). The message is Dutch and shown as is."""


class ContentError(Exception):
    """Content problems that stop a command (exit code 1)."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems)} probleem/problemen in de inhoud")
        self.problems = problems


class BuildFailed(Exception):
    """An output could not be built from valid content (exit code 1); nothing was published."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message, details or [])
        self.details = details or []

    def __str__(self) -> str:
        return str(self.args[0])
