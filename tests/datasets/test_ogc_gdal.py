"""GDAL's OGC API - Features driver (what QGIS uses too) against the live server, through pyogrio.

GDAL runs in a child process: pyogrio keeps the GIL while it iterates features, and GDAL fetches
the next pages during that loop, so an in-process live server thread could not answer them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from landmosaic.accounts.services import token_create
from landmosaic.datasets import services
from tests.datasets.conftest import created
from tests.datasets.test_ogc import N, cid, rows

pytestmark = pytest.mark.django_db(transaction=True)

CLIENT = """
import json, sys
import pyogrio, pyogrio.raw
args = json.loads(sys.argv[1])
if "bbox" in args["options"]:
    args["options"]["bbox"] = tuple(args["options"]["bbox"])
if args["op"] == "list":
    out = [[str(name), str(geometry)] for name, geometry in pyogrio.list_layers(args["url"])]
elif args["op"] == "info":
    info = pyogrio.read_info(args["url"], layer=args["layer"])
    out = {"features": int(info["features"]), "crs": info["crs"]}
else:
    meta, _fids, geometries, fields = pyogrio.raw.read(args["url"], layer=args["layer"], **args["options"])
    out = {"crs": meta["crs"], "count": len(geometries),
           "fields": {str(n): [str(v) for v in f.tolist()] for n, f in zip(meta["fields"], fields)}}
print(json.dumps(out))
"""


def gdal(url: str, op: str, *, token: str | None = None, layer: str = "", **options: Any) -> Any:
    """Run one pyogrio call on ``OAPIF:<url>`` in a child process; a token goes as GDAL sends it
    (GDAL >= 3.9: GDAL_HTTP_AUTH=BEARER; GDAL_HTTP_HEADERS does not reach the OAPIF driver)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GDAL_HTTP", "DJANGO"))}
    env["GDAL_HTTP_TIMEOUT"] = "30"
    if token:
        env.update(GDAL_HTTP_AUTH="BEARER", GDAL_HTTP_BEARER=token)
    args = json.dumps({"url": f"OAPIF:{url}", "op": op, "layer": layer, "options": options})
    result = subprocess.run(
        [sys.executable, "-c", CLIENT, args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode:
        raise LookupError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed")
    return json.loads(result.stdout)


@pytest.fixture
def layers(live_server, public_cast, private_cast, ingest) -> dict[str, str]:
    made = {}
    for name, cast in (("public", public_cast), ("private", private_cast)):
        [dataset] = created(
            ingest(cast.landscape, cast.editor, rows(), f"{name}.csv", title=f"{name} points")
        )
        services.dataset_set_sharing(actor=cast.manager, dataset=dataset, visibility=name)
        made[name] = cid(dataset)
    return made


def test_gdal_lists_and_reads_public_layers_anonymously_and_private_ones_with_a_token(
    live_server, layers, private_cast
):
    url = f"{live_server.url}/ogc"
    assert gdal(url, "list") == [[layers["public"], "Point"]]
    assert gdal(url, "info", layer=layers["public"]) == {"features": N, "crs": "EPSG:4326"}  # numberMatched

    # Pages of 7 features: GDAL follows the "next" links to the end.
    read = gdal(url, "read", layer=layers["public"], PAGE_SIZE=7)
    assert read["count"] == N and read["crs"] == "EPSG:4326"
    assert sorted(read["fields"]["name"], key=lambda n: int(n[1:])) == [f"P{i}" for i in range(N)]
    assert sorted(int(c) for c in read["fields"]["count"]) == list(range(N))
    assert sorted(read["fields"]["date"])[:2] == ["2023-01-01", "2023-01-02"]

    # The spatial filter and an equality filter on a field (found in the OpenAPI document).
    assert gdal(url, "read", layer=layers["public"], bbox=[36.045, -8.095, 36.095, -8.045])["count"] == 5
    wells = gdal(url, "read", layer=layers["public"], where="kind = 'well'")
    assert wells["count"] == 10 and set(wells["fields"]["kind"]) == {"well"}

    with pytest.raises(LookupError):
        gdal(url, "read", layer=layers["private"])

    _token, secret = token_create(user=private_cast.viewer, name="QGIS")
    assert sorted(name for name, _type in gdal(url, "list", token=secret)) == sorted(layers.values())
    private = gdal(url, "read", token=secret, layer=layers["private"])
    assert private["count"] == N and len(set(private["fields"]["name"])) == N
