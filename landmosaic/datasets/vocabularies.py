"""Controlled values of dataset metadata: ILM outputs (themes), licences, update frequencies.

The ILM framework will become editable data in the planning app; datasets store the stable output
codes ("2.1"), so that move will not touch a single dataset.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from landmosaic.landscapes import licences

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

# The licences are the landscapes' list (a landscape chooses the default of its new datasets).
LICENSES = licences.LICENSES
DEFAULT_LICENSE = licences.DEFAULT_LICENSE
license_choices = licences.license_choices


def theme_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {label}") for code, label in ILM_OUTPUTS.items()]
