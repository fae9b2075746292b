"""Controlled values of dataset metadata: ILM outputs (themes), licences, update frequencies.

The ILM framework will become editable data in the planning app; datasets store the stable output
codes ("2.1"), so that move will not touch a single dataset.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The 1000L default framework (shared/ILM.md): element -> outputs.
ILM_OUTPUTS: dict[str, str] = {
    "1.1": _("Stakeholder identification and engagement strategy"),
    "1.2": _("Landscape Partnership agreement"),
    "1.3": _("Coordination and communication mechanisms"),
    "1.4": _("Partnership capacity and resourcing plan"),
    "2.1": _("Map of the landscape"),
    "2.2": _("Analysis of landscape trends and future scenarios"),
    "2.3": _("Assessment of landscape challenges and opportunities"),
    "2.4": _("Understanding of stakeholder interests and values"),
    "3.1": _("Shared vision for a thriving landscape"),
    "3.2": _("Landscape strategy with long-term, spatially explicit targets"),
    "3.3": _("Evaluation of options and priority areas"),
    "3.4": _("Landscape action plan"),
    "4.1": _("Landscape investment portfolio"),
    "4.2": _("Action plan tracker"),
    "4.3": _("Policy and market engagement"),
    "4.4": _("Communication of landscape stories and results"),
    "5.1": _("Results and analysis of impact"),
    "5.2": _("Monitoring plan"),
    "5.3": _("Lessons learned and adaptation of strategy and plan"),
    "5.4": _("Sharing of knowledge beyond the landscape"),
}
ILM_ELEMENTS: dict[str, str] = {
    "1": _("Landscape Partnership"),
    "2": _("Shared Understanding"),
    "3": _("Vision and Planning"),
    "4": _("Taking Action"),
    "5": _("Impact and Learning"),
}

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
    "LicenseRef-all-rights-reserved": (_("All rights reserved: ask the landscape before re-use"), ""),
}
DEFAULT_LICENSE = "CC-BY-4.0"


def license_choices() -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})" if url else str(name)) for code, (name, url) in LICENSES.items()]


def theme_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {label}") for code, label in ILM_OUTPUTS.items()]
