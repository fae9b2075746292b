"""Query parameters of the OGC API: parsed, validated, and refused with a clear message (400).

Nothing here builds SQL: values come out typed, ready to be bound as parameters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils.translation import gettext as _

from landmosaic.core.errors import ValidationFailed

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84H = "http://www.opengis.net/def/crs/OGC/1.3/CRS84h"
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
#: Parameters every items request may carry; any other must be the name of a field.
STANDARD = ("f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime")
#: Field types that can be filtered with ``?field=value``.
FILTERABLE = ("string", "integer", "number", "boolean", "date", "datetime")
_INTEGER = re.compile(r"^[+-]?\d{1,19}$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})[Tt]?$")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


class ParameterError(ValidationFailed):
    """A query parameter the API cannot use; OGC calls this ``InvalidParameterValue``."""

    code = "InvalidParameterValue"


@dataclass(frozen=True)
class Interval:
    """A closed time interval in UTC; None at either end means open."""

    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class PropertyFilter:
    name: str
    kind: str
    value: Any


@dataclass(frozen=True)
class ItemQuery:
    bbox: tuple[float, float, float, float] | None = None
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    interval: Interval | None = None
    filters: tuple[PropertyFilter, ...] = field(default_factory=tuple)
    #: The parameters as given (less ``f``, ``limit`` and ``offset``), to rebuild paging links.
    echo: tuple[tuple[str, str], ...] = field(default_factory=tuple)


# --- Output format ---------------------------------------------------------------------------

_JSON_TYPES = ("application/json", "application/geo+json", "application/schema+json")


def negotiate(f: str | None, accept: str) -> str:
    """ "json" or "html": the ``f`` parameter wins, then the Accept header; JSON by default."""
    if f is not None:
        if f in ("json", "html"):
            return f
        raise ParameterError(_("Unknown format “%(f)s”: use f=json or f=html.") % {"f": f[:20]})
    best, best_q = "json", -1.0
    for part in accept.split(",")[:30]:
        media, _sep, rest = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        for option in rest.split(";"):
            key, _eq, value = option.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media == "text/html" or media == "application/xhtml+xml":
            kind = "html"
        elif media in _JSON_TYPES or media.endswith("+json"):
            kind = "json"
        else:
            continue
        if q > 0 and q > best_q:  # a tie goes to the type listed first
            best, best_q = kind, q
    return best


# --- Single values -----------------------------------------------------------------------------


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """West, south, east, north in CRS84 (4 numbers, or 6 with heights, which are ignored).

    West may be greater than east: the box then crosses the antimeridian.
    """
    parts = text.split(",")
    if len(parts) not in (4, 6):
        raise ParameterError(_("bbox must be four numbers: west,south,east,north (longitude/latitude)."))
    try:
        numbers = [float(p) for p in parts]
    except ValueError as exc:
        raise ParameterError(
            _("bbox must be four numbers: west,south,east,north (longitude/latitude).")
        ) from exc
    if not all(math.isfinite(n) for n in numbers):
        raise ParameterError(_("bbox must be four finite numbers."))
    west, south, east, north = (
        numbers if len(numbers) == 4 else (numbers[0], numbers[1], numbers[3], numbers[4])
    )
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise ParameterError(
            _(
                "bbox must be west,south,east,north with longitudes within -180…180 "
                "and latitudes within -90…90."
            )
        )
    return west, south, east, north


def parse_limit(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_LIMIT:
        raise ParameterError(
            _("limit must be a whole number from 1 to %(max)s.") % {"max": f"{MAX_LIMIT:,}".replace(",", " ")}
        )
    return int(text)


def parse_offset(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise ParameterError(_("offset must be a whole number, 0 or more."))
    return int(text)


def _instant(text: str) -> tuple[datetime, bool]:
    """A UTC date-time and whether only a date was given (GDAL sends dates as "2023-01-05T")."""
    if len(text) > 10 and text[10] == " ":
        text = f"{text[:10]}T{text[11:]}"
    text = text.replace(" ", "+")  # an offset whose "+" was not percent-encoded in the URL
    match = _DATE.match(text)
    try:
        if match:
            return datetime.combine(date.fromisoformat(match.group(1)), time(), tzinfo=UTC), True
        value = datetime.fromisoformat(text.replace("t", "T").replace("z", "Z"))
    except ValueError as exc:
        raise ParameterError(
            _("“%(value)s” is not a date (2023-01-31) or a date-time (2023-01-31T10:00:00Z).")
            % {"value": text[:40]}
        ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC), False


def _end_of_day(value: datetime) -> datetime:
    return value + timedelta(days=1) - timedelta(microseconds=1)


def parse_datetime(text: str) -> Interval:
    """An instant or an interval (``start/end``, either end ``..`` or empty for open), as RFC 3339.

    A date alone stands for the whole day.
    """
    parts = text.split("/")
    if len(parts) > 2:
        raise ParameterError(_("datetime must be one instant or an interval start/end."))
    if len(parts) == 1:
        if parts[0] in ("", ".."):
            raise ParameterError(_("datetime must be one instant or an interval start/end."))
        start, is_date = _instant(parts[0])
        return Interval(start, _end_of_day(start) if is_date else start)
    ends: list[datetime | None] = []
    for index, part in enumerate(parts):
        if part in ("", ".."):
            ends.append(None)
            continue
        value, is_date = _instant(part)
        ends.append(_end_of_day(value) if is_date and index == 1 else value)
    start, end = ends
    if start is None and end is None:
        raise ParameterError(_("datetime: at least one end of the interval must be given."))
    if start is not None and end is not None and start > end:
        raise ParameterError(_("datetime: the interval ends before it starts."))
    return Interval(start, end)


def parse_property(name: str, kind: str, text: str) -> PropertyFilter:
    """A ``field=value`` filter with the value in the field's own type."""
    if kind not in FILTERABLE:
        raise ParameterError(_("The field “%(field)s” cannot be used as a filter.") % {"field": name})
    wrong = _("“%(value)s” is not a valid %(type)s for the field “%(field)s”.")
    problem = {"value": text[:40], "type": kind, "field": name}
    value: Any = text
    if kind == "integer":
        if not _INTEGER.match(text) or abs(int(text)) >= 2**63:
            raise ParameterError(wrong % problem)
        value = int(text)
    elif kind == "number":
        try:
            value = float(text)
        except ValueError as exc:
            raise ParameterError(wrong % problem) from exc
        if not math.isfinite(value):
            raise ParameterError(wrong % problem)
    elif kind == "boolean":
        if text.lower() not in (*_TRUE, *_FALSE):
            raise ParameterError(wrong % problem)
        value = 1 if text.lower() in _TRUE else 0
    elif kind == "date":
        try:
            value = date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ParameterError(wrong % problem) from exc
    elif kind == "datetime":
        value, _is_date = _instant(text)
    return PropertyFilter(name, kind, value)


# --- A whole request -------------------------------------------------------------------------


def _single(params: Any, name: str) -> str:
    values = params.getlist(name)
    if len(values) > 1:
        raise ParameterError(_("Give the parameter “%(name)s” only once.") % {"name": name[:40]})
    return values[0]


def check_known(params: Any, allowed: Iterable[str]) -> None:
    """Refuse parameters the API does not define: a typo must not silently return everything."""
    allowed = set(allowed)
    unknown = sorted(name for name in params if name not in allowed)
    if unknown:
        raise ParameterError(
            _("Unknown parameter “%(name)s”. Allowed: %(allowed)s.")
            % {"name": unknown[0][:40], "allowed": ", ".join(sorted(allowed))}
        )


def check_crs(params: Any) -> None:
    """Only CRS84 is offered (Part 2 parameters are accepted when they ask for it)."""
    for name in ("crs", "bbox-crs"):
        if name in params and _single(params, name) not in (CRS84, CRS84H):
            raise ParameterError(
                _("%(name)s: only %(crs)s (longitude/latitude) is offered.") % {"name": name, "crs": CRS84}
            )


def parse_items_query(
    params: Any, *, fields: list[dict[str, str]], temporal_field: dict[str, str] | None
) -> ItemQuery:
    """Everything an items request asks for. Standard parameters win over fields of the same name."""
    by_name = {f["name"]: f for f in fields if f["name"] not in STANDARD}
    check_known(params, [*STANDARD, *by_name])
    check_crs(params)
    values: dict[str, Any] = {}
    if "bbox" in params:
        values["bbox"] = parse_bbox(_single(params, "bbox"))
    if "limit" in params:
        values["limit"] = parse_limit(_single(params, "limit"))
    if "offset" in params:
        values["offset"] = parse_offset(_single(params, "offset"))
    if "datetime" in params:
        if temporal_field is None:
            raise ParameterError(_("This collection has no date field: datetime cannot be used."))
        values["interval"] = parse_datetime(_single(params, "datetime"))
    values["filters"] = tuple(
        parse_property(name, by_name[name]["type"], _single(params, name))
        for name in params
        if name in by_name
    )
    values["echo"] = tuple(
        (name, _single(params, name)) for name in params if name not in ("f", "limit", "offset")
    )
    return ItemQuery(**values)
