"""Configuration QR codes for ODK Collect and KoboCollect.

Collect's "scan a QR code" reads a JSON document of settings compressed with zlib and encoded in
base64 (the format ODK Central's app-user codes use), not a bare URL. The code sets the server
URL with the collector token in its path, names the project after the landscape, and keeps forms
matching the server exactly, so that a published new version reaches the phones.
"""

from __future__ import annotations

import base64
import json
import re
import zlib

import qrcode
import qrcode.image.svg


def collect_settings(*, server_url: str, project_name: str) -> dict:
    return {
        "general": {
            "server_url": server_url,
            "username": "",
            "password": "",
            "form_update_mode": "match_exactly",
            "autosend": "wifi_and_cellular",
        },
        "admin": {},
        "project": {"name": project_name[:60], "icon": (project_name[:1] or "L").upper()},
    }


def encode_settings(settings: dict) -> str:
    return base64.b64encode(zlib.compress(json.dumps(settings).encode("utf-8"))).decode("ascii")


def decode_settings(payload: str) -> dict:
    return json.loads(zlib.decompress(base64.b64decode(payload)).decode("utf-8"))


def qr_svg(payload: str, *, title: str) -> str:
    """An inline SVG of the QR code, scalable and labelled for screen readers."""
    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    # Size from CSS; role and title make it an image with a name for assistive technology.
    svg = re.sub(r'\swidth="[^"]*"\sheight="[^"]*"', "", svg, count=1)
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return svg.replace("<svg ", '<svg role="img" class="qr-code" ', 1).replace(
        ">", f"><title>{escaped}</title>", 1
    )
