"""Messages kept as a stable code plus parameters, rendered later in the reader's language.

Pure (no Django), so parsers and engines can raise and warn in words users understand while the
Django layer chooses the language: ``message.render(gettext)``. Each family of messages (boundary
files, dataset ingest…) has its own table of English templates and its own subclasses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar


def gettext_noop(message: str) -> str:
    """Mark a string for extraction by makemessages; translation happens when it is rendered."""
    return message


@dataclass(frozen=True)
class MessageTable:
    """English templates by code, and the parameter values that are themselves words to translate."""

    templates: Mapping[str, str]
    labels: frozenset[str] = frozenset()

    def render(self, code: str, params: Mapping[str, Any], translate: Callable[[str], str]) -> str:
        values = {key: self._value(value, translate) for key, value in params.items()}
        return translate(self.templates[code]) % values

    def _value(self, value: Any, translate: Callable[[str], str]) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(self._value(item, translate)) for item in value)
        return translate(value) if isinstance(value, str) and value in self.labels else value


@dataclass(frozen=True)
class CodedMessage:
    """A warning: a stable code and the parameters of its template."""

    table: ClassVar[MessageTable]
    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return self.table.render(self.code, self.params, gettext_noop)

    def render(self, translate: Callable[[str], str]) -> str:
        """The message in the language of ``translate`` (e.g. Django's gettext), labels included."""
        return self.table.render(self.code, self.params, translate)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:
        return self.message


class CodedError(ValueError):
    """A refusal with a stable ``code`` and the ``params`` of its template."""

    table: ClassVar[MessageTable]

    def __init__(self, code: str, **params: Any) -> None:
        if code not in self.table.templates:
            raise KeyError(f"unknown message code {code!r} for {type(self).__name__}")
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.table.render(self.code, self.params, gettext_noop)

    def render(self, translate: Callable[[str], str]) -> str:
        """The message in the language of ``translate`` (e.g. Django's gettext), labels included."""
        return self.table.render(self.code, self.params, translate)
