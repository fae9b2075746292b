#!/usr/bin/env python3
"""Copy the front-end libraries installed by npm into Django's static files.

Usage (from the repository root, after ``npm ci``)::

    python scripts/build_frontend.py

The libraries are pinned in ``package.json`` / ``package-lock.json`` and installed
into ``node_modules/``. This script only copies the few files the site serves into
``landmosaic/web/static/vendor/<lib>/`` (a build output, never committed).
It runs no other program and needs only the Python standard library.

The copy is idempotent: files whose content is already up to date are left
untouched, and stale files inside the vendor folders are removed.

Trailing ``sourceMappingURL`` comments are stripped from the copied JS/CSS:
the ``.map`` files are not shipped, and Django's ManifestStaticFilesStorage
(used by whitenoise in production) fails ``collectstatic`` on references to
missing files.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENDOR_RELATIVE = Path("landmosaic/web/static/vendor")


@dataclass(frozen=True)
class Lib:
    package: str  # npm package name (folder under node_modules/)
    dest: str  # folder under static/vendor/
    files: tuple[tuple[str, str], ...]  # (source inside the package, target inside dest)
    dirs: tuple[tuple[str, str], ...] = ()  # whole folders, copied flat (no recursion)


LIBS: tuple[Lib, ...] = (
    Lib(
        package="leaflet",
        dest="leaflet",
        files=(
            ("dist/leaflet.js", "leaflet.js"),
            ("dist/leaflet.css", "leaflet.css"),
            ("LICENSE", "LICENSE"),
        ),
        dirs=(("dist/images", "images"),),
    ),
    Lib(
        package="@geoman-io/leaflet-geoman-free",
        dest="geoman",
        files=(
            ("dist/leaflet-geoman.min.js", "leaflet-geoman.min.js"),
            ("dist/leaflet-geoman.css", "leaflet-geoman.css"),
            ("LICENSE", "LICENSE"),
        ),
    ),
    Lib(
        package="htmx.org",
        dest="htmx",
        files=(
            ("dist/htmx.min.js", "htmx.min.js"),
            ("LICENSE", "LICENSE"),
        ),
    ),
)

_SOURCE_MAP_RE = re.compile(
    rb"(?:\r?\n)?[ \t]*"
    rb"(?://[#@] sourceMappingURL=[^\r\n]*|/\*[#@] sourceMappingURL=[^*]*\*/)"
    rb"[ \t]*(?:\r?\n)?\Z"
)


class BuildError(Exception):
    """A problem the user can fix; printed without a traceback."""


def strip_source_map(name: str, data: bytes) -> bytes:
    """Remove a trailing sourceMappingURL comment from JS/CSS content."""
    if not name.endswith((".js", ".css")):
        return data
    stripped = _SOURCE_MAP_RE.sub(b"\n", data)
    return stripped


def _locked_versions(root: Path) -> dict[str, str]:
    lock = root / "package-lock.json"
    if not lock.is_file():
        return {}
    try:
        packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    except (OSError, ValueError) as exc:
        raise BuildError(f"cannot read {lock}: {exc}") from exc
    return {
        key.removeprefix("node_modules/"): str(meta.get("version", ""))
        for key, meta in packages.items()
        if key.startswith("node_modules/") and isinstance(meta, dict)
    }


def plan(root: Path, node_modules: Path) -> dict[Path, bytes]:
    """Return {target path relative to vendor/: content} for every file to ship."""
    if not node_modules.is_dir():
        raise BuildError(f"{node_modules} does not exist: run npm ci first (npm ci --no-audit --no-fund).")
    locked = _locked_versions(root)
    wanted: dict[Path, bytes] = {}
    for lib in LIBS:
        pkg_dir = node_modules / lib.package
        pkg_json = pkg_dir / "package.json"
        if not pkg_json.is_file():
            raise BuildError(f"{pkg_dir} is missing: run npm ci first (npm ci --no-audit --no-fund).")
        version = json.loads(pkg_json.read_text(encoding="utf-8")).get("version", "")
        expected = locked.get(lib.package)
        if expected and version != expected:
            raise BuildError(
                f"{lib.package} {version} is installed but package-lock.json wants {expected}: "
                "run npm ci first."
            )
        for src, dst in lib.files:
            src_path = pkg_dir / src
            if not src_path.is_file():
                raise BuildError(f"{src_path} not found (unexpected layout of {lib.package} {version}).")
            wanted[Path(lib.dest) / dst] = strip_source_map(dst, src_path.read_bytes())
        for src, dst in lib.dirs:
            src_dir = pkg_dir / src
            if not src_dir.is_dir():
                raise BuildError(f"{src_dir} not found (unexpected layout of {lib.package} {version}).")
            for item in sorted(src_dir.iterdir()):
                if item.is_file():
                    wanted[Path(lib.dest) / dst / item.name] = strip_source_map(item.name, item.read_bytes())
    return wanted


def build(root: Path = REPO_ROOT, *, quiet: bool = False) -> int:
    """Copy the vendor files; return the number of files written."""
    node_modules = root / "node_modules"
    vendor = root / VENDOR_RELATIVE
    wanted = plan(root, node_modules)

    written = 0
    for rel, data in sorted(wanted.items()):
        target = vendor / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(target)
        written += 1

    # Remove stale files (e.g. from an older library layout) in the folders we own.
    removed = 0
    for lib in LIBS:
        lib_dir = vendor / lib.dest
        if not lib_dir.is_dir():
            continue
        for path in sorted(lib_dir.rglob("*"), reverse=True):
            rel = path.relative_to(vendor)
            if path.is_file() and rel not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()

    if not quiet:
        total = sum(len(d) for d in wanted.values())
        print(
            f"vendor files: {len(wanted)} ({total / 1024:.0f} KiB) in {vendor.relative_to(root)}; "
            f"{written} written, {removed} stale removed"
        )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO_ROOT, help="repository root (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    args = parser.parse_args(argv)
    try:
        build(args.root.resolve(), quiet=args.quiet)
    except BuildError as exc:
        print(f"build_frontend: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
