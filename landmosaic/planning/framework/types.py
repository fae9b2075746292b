"""The shapes of the framework data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

LANGUAGES = ("es", "fr", "pt")


class T(NamedTuple):
    """One text in the four languages of the platform."""

    en: str
    es: str
    fr: str
    pt: str


@dataclass(frozen=True)
class OutputData:
    code: str
    name: T
    description: T
    next_steps: tuple[T, ...]
    tools: tuple[str, ...] = ()
    #: A page of the platform where the work of this output is done (see models.Output.Feature).
    feature: str = ""


@dataclass(frozen=True)
class ElementData:
    code: str
    name: T
    description: T
    outputs: tuple[OutputData, ...]


def translations(**texts: T | tuple[T, ...]) -> dict[str, dict[str, object]]:
    """{"es": {"name": ..., "next_steps": [...]}, ...} from texts given as T or tuples of T."""
    result: dict[str, dict[str, object]] = {}
    for language in LANGUAGES:
        result[language] = {
            field: [getattr(t, language) for t in value]
            if isinstance(value, tuple) and not isinstance(value, T)
            else getattr(value, language)
            for field, value in texts.items()
        }
    return result
