"""The licences a landscape's datasets may carry (SPDX identifiers), and the check of one.

They live here, below the datasets app, because a landscape chooses the default licence of its new
datasets; ``datasets.vocabularies`` re-exports them, so there is one list.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from landmosaic.core.errors import ValidationFailed

# SPDX identifiers (https://spdx.org/licenses/) of the licences open data usually carries.
LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution-NonCommercial 4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC-BY-NC-SA-4.0": (
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero 1.0 (public domain)",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "ODC-By-1.0": (
        "Open Data Commons Attribution License 1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    "LicenseRef-all-rights-reserved": (_lazy("All rights reserved: ask the landscape before re-use"), ""),
}
#: The licence of a new landscape's datasets until its managers choose another.
DEFAULT_LICENSE = "CC-BY-4.0"


def license_choices() -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})" if url else str(name)) for code, (name, url) in LICENSES.items()]


def license_refusal(code: str) -> str | None:
    """Why ``code`` is not a licence of the list, or None when it is."""
    if code in LICENSES:
        return None
    return _("“%(code)s” is not a licence of the list. Use one of these SPDX identifiers: %(codes)s.") % {
        "code": code,
        "codes": ", ".join(LICENSES),
    }


def check_license(code: str, *, field: str = "license") -> str:
    """``code`` if it is a licence of the list; else a refusal naming the identifiers allowed."""
    refusal = license_refusal(code)
    if refusal:
        raise ValidationFailed(refusal, code="unknown_license", details={field: [refusal]})
    return code
