"""The message table: extractable by makemessages, complete, and free of Django."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from landmosaic.core.geo import MESSAGES, BoundaryError, BoundaryMessage, gettext_noop, parse_boundary_file
from landmosaic.core.geo import messages as messages_module
from landmosaic.core.geo.messages import WARNING_CODES

TESTS = Path(__file__).parent


def test_every_template_is_wrapped_in_gettext_noop_for_xgettext():
    tree = ast.parse(Path(messages_module.__file__).read_text())
    table = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "MESSAGES"
    )
    assert isinstance(table, ast.Dict)
    for value in table.values:
        assert isinstance(value, ast.Call) and getattr(value.func, "id", None) == "gettext_noop"
        assert all(isinstance(arg, ast.Constant) and isinstance(arg.value, str) for arg in value.args)
    assert len(table.values) == len(MESSAGES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_templates_use_only_named_placeholders(code):
    template = MESSAGES[code]
    assert not re.search(r"%(?!\(\w+\)s|%)", template), "xgettext and translators need %(name)s placeholders"
    assert template.rstrip().endswith("."), "messages are whole sentences"


def test_every_code_is_exercised_by_a_test():
    sources = "".join(path.read_text() for path in TESTS.glob("test_*.py") if path.name != "test_messages.py")
    untested = [code for code in MESSAGES if f'"{code}"' not in sources]
    assert untested == []


def test_every_error_says_what_to_do():
    for code, template in MESSAGES.items():
        if code not in WARNING_CODES and code != "invalid_point":
            assert len(re.findall(r"\.", template)) >= 2, f"{code}: say what happened and what to do"


def test_warnings_come_from_the_warning_codes():
    assert set(MESSAGES) >= WARNING_CODES
    ring = [[2538000, 1152000], [2539000, 1152000], [2539000, 1153000], [2538000, 1152000]]
    crs = {"type": "name", "properties": {"name": "EPSG:2056"}}
    document = {"type": "Polygon", "coordinates": [ring], "crs": crs}
    boundary = parse_boundary_file(data=json.dumps(document).encode(), filename="a.kml")
    assert {w.code for w in boundary.warnings} == {"reprojected", "extension_mismatch"}
    assert {w.code for w in boundary.warnings} <= WARNING_CODES


def test_boundary_error_carries_code_params_and_message():
    error = BoundaryError("no_features", filename="empty.geojson")
    assert isinstance(error, ValueError)
    assert (error.code, error.params) == ("no_features", {"filename": "empty.geojson"})
    assert str(error) == error.message == MESSAGES["no_features"] % {"filename": "empty.geojson"}


def test_django_style_translation_of_a_plain_error():
    error = BoundaryError("empty_file", filename="a.kml")
    assert gettext_noop(MESSAGES[error.code]) % error.params == error.message


def test_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        BoundaryError("no_such_code")


def test_warning_messages():
    warning = BoundaryMessage("assumed_wgs84", {"filename": "a.zip"})
    assert str(warning) == warning.message
    assert warning.render(lambda text: f"[{text}]") == f"[{warning.message}]"


def test_the_package_imports_no_django():
    code = (
        "import sys, landmosaic.core.geo, landmosaic.core.geo.boundary;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'ninja')];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
