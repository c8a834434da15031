"""Catalog errors: every problem found in a catalog, each with the path of the bad field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tierline.domain.errors import Invalid


@dataclass(frozen=True)
class CatalogIssue:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CatalogError(Invalid):
    """A catalog that cannot be used; `issues` lists every problem found, in file order."""

    code = "invalid_catalog"

    def __init__(self, issues: Iterable[CatalogIssue], *, source: str = "<catalog>") -> None:
        self.issues: list[CatalogIssue] = list(issues)
        self.source = source
        param = self.issues[0].path if self.issues else None
        super().__init__("\n".join(str(issue) for issue in self.issues), param=param)


def format_issues(err: CatalogError) -> str:
    """A report for people: the source and the number of problems, then one problem a line."""
    count = len(err.issues)
    header = f"{err.source}: {count} problem{'s' if count != 1 else ''}"
    return "\n".join([header, *(f"  {issue}" for issue in err.issues)])
