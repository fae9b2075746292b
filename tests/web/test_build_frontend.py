"""scripts/build_frontend.py: copies npm packages into static/vendor (no Django needed)."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "build_frontend.py"


def _load():
    spec = importlib.util.spec_from_file_location("build_frontend", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[spec.name] = module  # dataclasses look the module up while the class is built
    spec.loader.exec_module(module)
    return module


bf = _load()


def _write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)


def _fake_repo(root: Path, *, leaflet_version: str = "1.9.4") -> Path:
    nm = root / "node_modules"
    _write(nm / "leaflet/package.json", json.dumps({"version": leaflet_version}))
    _write(nm / "leaflet/LICENSE", "BSD")
    _write(nm / "leaflet/dist/leaflet.js", "window.L={};\n//# sourceMappingURL=leaflet.js.map")
    _write(nm / "leaflet/dist/leaflet.css", ".a{background:url(images/layers.png)}\n")
    _write(nm / "leaflet/dist/images/layers.png", b"\x89PNG")
    _write(nm / "leaflet/dist/images/marker-icon.png", b"\x89PNG2")
    geo = nm / "@geoman-io/leaflet-geoman-free"
    _write(geo / "package.json", json.dumps({"version": "2.20.2"}))
    _write(geo / "LICENSE", "MIT")
    _write(geo / "dist/leaflet-geoman.min.js", "L.PM={};\n//# sourceMappingURL=leaflet-geoman.min.js.map\n")
    _write(geo / "dist/leaflet-geoman.css", ".b{}\n/*# sourceMappingURL=leaflet-geoman.css.map */\n")
    _write(nm / "htmx.org/package.json", json.dumps({"version": "2.0.11"}))
    _write(nm / "htmx.org/LICENSE", "0BSD")
    _write(nm / "htmx.org/dist/htmx.min.js", "var htmx={};")
    lock = {
        "lockfileVersion": 3,
        "packages": {
            "": {},
            "node_modules/leaflet": {"version": "1.9.4"},
            "node_modules/@geoman-io/leaflet-geoman-free": {"version": "2.20.2"},
            "node_modules/htmx.org": {"version": "2.0.11"},
        },
    }
    _write(root / "package-lock.json", json.dumps(lock))
    return root


def _vendor(root: Path) -> Path:
    return root / "landmosaic/web/static/vendor"


def test_copies_the_served_files_and_strips_source_maps(tmp_path):
    root = _fake_repo(tmp_path)
    assert bf.build(root, quiet=True) == 10
    vendor = _vendor(root)
    files = sorted(p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file())
    assert files == [
        "geoman/LICENSE",
        "geoman/leaflet-geoman.css",
        "geoman/leaflet-geoman.min.js",
        "htmx/LICENSE",
        "htmx/htmx.min.js",
        "leaflet/LICENSE",
        "leaflet/images/layers.png",
        "leaflet/images/marker-icon.png",
        "leaflet/leaflet.css",
        "leaflet/leaflet.js",
    ]
    for name in ("leaflet/leaflet.js", "geoman/leaflet-geoman.min.js", "geoman/leaflet-geoman.css"):
        assert "sourceMappingURL" not in (vendor / name).read_text()
    assert (vendor / "leaflet/leaflet.js").read_text().startswith("window.L={};")
    assert (vendor / "leaflet/images/layers.png").read_bytes() == b"\x89PNG"


def test_is_idempotent_and_removes_stale_files(tmp_path):
    root = _fake_repo(tmp_path)
    bf.build(root, quiet=True)
    stale = _vendor(root) / "leaflet/old/unused.js"
    _write(stale, "x")
    assert bf.build(root, quiet=True) == 0
    assert not stale.exists()
    assert not stale.parent.exists()


def test_missing_node_modules_says_run_npm_ci(tmp_path, capsys):
    assert bf.main(["--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "run npm ci first" in err
    assert "Traceback" not in err


def test_outdated_node_modules_is_reported(tmp_path):
    root = _fake_repo(tmp_path, leaflet_version="1.9.3")
    with pytest.raises(bf.BuildError, match="run npm ci first"):
        bf.build(root, quiet=True)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.js", b"x();\n//# sourceMappingURL=a.js.map", b"x();\n"),
        ("a.js", b"x();\n//# sourceMappingURL=a.js.map\n", b"x();\n"),
        ("a.css", b".a{}\n/*# sourceMappingURL=a.css.map */\n", b".a{}\n"),
        ("a.js", b"var s='//# sourceMappingURL=';\nx();\n", b"var s='//# sourceMappingURL=';\nx();\n"),
        ("a.png", b"//# sourceMappingURL=x", b"//# sourceMappingURL=x"),
    ],
)
def test_strip_source_map(name, data, expected):
    assert bf.strip_source_map(name, data) == expected


def test_repository_pins_exact_versions_and_lockfile_is_portable():
    package = json.loads((REPO / "package.json").read_text())
    assert package["private"] is True
    deps = package["dependencies"]
    assert deps["leaflet"] == "1.9.4"
    assert re.fullmatch(r"2\.\d+\.\d+", deps["@geoman-io/leaflet-geoman-free"])
    assert re.fullmatch(r"2\.0\.\d+", deps["htmx.org"])
    lock_text = (REPO / "package-lock.json").read_text()
    lock = json.loads(lock_text)
    assert lock["packages"][""]["dependencies"] == deps
    for pkg in ("leaflet", "@geoman-io/leaflet-geoman-free", "htmx.org"):
        assert lock["packages"][f"node_modules/{pkg}"]["version"] == deps[pkg]
    assert str(REPO) not in lock_text
    assert '"file:' not in lock_text and '"link":' not in lock_text


def test_own_assets_stay_small():
    own = REPO / "landmosaic/web/static/landmosaic"
    for name in ("app.css", "map.js", "app.js"):
        assert (own / name).stat().st_size < 20 * 1024, name
