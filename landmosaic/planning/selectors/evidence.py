"""Evidence found on the platform for each output: the landscape's datasets tagged with the output's
code (dataset themes are ILM output codes), and the plan's own pages where the work shows (the same
facts the suggested statuses read). Only what the caller may see is listed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from landmosaic.core import permissions
from landmosaic.datasets.selectors import dataset_list
from landmosaic.landscapes.models import Landscape

from ..models import (
    action_plan_subject,
    agreement_subject,
    monitoring_subject,
    register_subject,
    strategy_subject,
)
from ..suggestions import Facts


@dataclass(frozen=True)
class Found:
    """One object of the platform that shows work on an output."""

    kind: str  # "dataset" | "plan"
    title: str
    url: str


def _plan_pages(*, actor: Any, landscape: Landscape, facts: Facts) -> dict[str, list[Found]]:
    """{output code: pages of the plan that exist and that the caller may open}."""
    slug = {"slug": landscape.slug}
    can = permissions.can
    agreement = agreement_subject(landscape)
    sees_agreement = bool(facts.agreed_version) and can(actor, "view", agreement)
    sees_agreement = sees_agreement or (facts.agreement_drafts > 0 and can(actor, "view_drafts", agreement))
    sees_register = can(actor, "view", register_subject(landscape))
    sees_strategy = can(actor, "view", strategy_subject(landscape))
    sees_actions = can(actor, "view", action_plan_subject(landscape))
    sees_monitoring = can(actor, "view", monitoring_subject(landscape))
    # (output, shown when, title, URL name); the landscape's page shows its boundary map.
    rules = (
        ("1.1", facts.stakeholders > 0 and sees_register, _("Stakeholder register"), "planning:stakeholders"),
        ("1.2", sees_agreement, _("Partnership agreement"), "planning:agreement"),
        ("2.1", facts.boundary_kind == "polygon", _("Map of the landscape"), "landscapes:detail"),
        ("2.4", facts.relations > 0 and sees_register, _("Relations"), "planning:relations"),
        ("3.1", facts.has_vision and sees_strategy, _("Vision and strategy"), "planning:vision"),
        ("3.2", facts.goals > 0 and sees_strategy, _("Vision and strategy"), "planning:vision"),
        ("3.4", facts.actions > 0 and sees_actions, _("Action plan"), "planning:actions"),
        ("4.2", facts.actions > 0 and sees_actions, _("Action plan tracker"), "planning:tracker"),
        ("5.1", facts.measurements > 0 and sees_monitoring, _("Results"), "planning:results"),
        ("5.2", facts.indicators > 0 and sees_monitoring, _("Indicators"), "planning:indicators"),
    )
    found: dict[str, list[Found]] = {}
    for code, shown, title, url_name in rules:
        if shown:
            found.setdefault(code, []).append(Found("plan", title, reverse(url_name, kwargs=slug)))
    return found


def platform_evidence(*, actor: Any, landscape: Landscape, facts: Facts) -> dict[str, list[Found]]:
    """{output code: evidence found on the platform}: plan pages first, then datasets by title.

    Datasets come from the data commons' own permission-checked selector, so a private dataset never
    appears to someone who may not see it."""
    found = _plan_pages(actor=actor, landscape=landscape, facts=facts)
    # Only titles are listed: the relations and prefetches the data pages need are dropped.
    datasets = (
        dataset_list(actor=actor, landscape=landscape, order="title")
        .select_related(None)
        .prefetch_related(None)
        .values_list("slug", "title", "themes")
    )
    for dataset_slug, title, themes in datasets:
        url = reverse("datasets:detail", kwargs={"slug": landscape.slug, "dataset": dataset_slug})
        for code in themes or ():
            found.setdefault(code, []).append(Found("dataset", title, url))
    return found
