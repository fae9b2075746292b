"""Export the OpenAPI schema and fail if the committed copy (docs/openapi.json) has drifted.

`make openapi` rewrites the committed copy after an intended API change.
"""

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landmosaic.config.settings.test")
django.setup()

from landmosaic.api.api import api  # noqa: E402

COMMITTED = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def main() -> int:
    schema = (
        json.dumps(api.get_openapi_schema(path_prefix="/api/v1"), indent=2, sort_keys=True, default=str)
        + "\n"
    )
    if "--write" in sys.argv:
        COMMITTED.write_text(schema, encoding="utf-8")
        print(f"wrote {COMMITTED}")
        return 0
    if not COMMITTED.exists() or COMMITTED.read_text(encoding="utf-8") != schema:
        print("OpenAPI schema drifted from docs/openapi.json: run `make openapi` and commit the result.")
        return 1
    print("OpenAPI schema: no drift")
    return 0


if __name__ == "__main__":
    sys.exit(main())
