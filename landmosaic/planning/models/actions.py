"""The landscape action plan (3.4) and its tracker (4.2): strategies and actions under objectives."""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

from babel.core import get_global
from babel.numbers import get_territory_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from landmosaic.accounts.models import Organisation
from landmosaic.core.models import TimeStampedModel
from landmosaic.core.permissions import Protected, Subject
from landmosaic.landscapes.models import Landscape

from .strategy import Objective, Zone

_CODE = re.compile(r"^[A-Z]{3}$")


@lru_cache(maxsize=1)
def current_currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (CLDR data shipped with Babel)."""
    today = datetime.date.today()
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today, tender=True))
    return frozenset(codes)


def validate_currency(value: str) -> None:
    """Three capital letters of a currency in use today (ISO 4217), such as USD, EUR, KES or XOF."""
    if not _CODE.match(value or "") or value not in current_currencies():
        raise ValidationError(
            _(
                "“%(value)s” is not a currency code in use: give three letters such as USD, EUR or KES "
                "(ISO 4217)."
            ),
            code="invalid_currency",
            params={"value": value},
        )


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


#: Actions whose end date no longer matters: they cannot be overdue.
CLOSED = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})


class Strategy(Protected, TimeStampedModel):
    """A way to reach an objective (Conservation Standards vocabulary); actions sit under it."""

    permission_type = "action_plan"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_strategies")
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(_("strategy"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sort", "id"]
        verbose_name_plural = _("strategies")

    def __str__(self) -> str:
        return self.title

    def permission_subject(self) -> Subject:
        return action_plan_subject(self.landscape)


class Action(Protected, TimeStampedModel):
    """Something the partners will do: who leads, with whom, with what budget, when and where."""

    permission_type = "action_plan"

    landscape = models.ForeignKey(Landscape, on_delete=models.CASCADE, related_name="ilm_actions")
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    budget = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[validate_currency])
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    #: GeoJSON Point, Polygon or MultiPolygon (EPSG:4326).
    location = models.JSONField(_("location"), null=True, blank=True)
    zone = models.ForeignKey(
        Zone, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions", verbose_name=_("zone")
    )
    #: The ILM output the action works on (a stakeholder workshop serves 1.1, a land-use survey 2.1);
    #: none means it implements the plan on the ground (element 4). The tracker groups by its element.
    output = models.ForeignKey(
        "planning.Output",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ILM output"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "id"]
        indexes = [
            models.Index(fields=["landscape", "status"], name="action_status"),
            models.Index(fields=["landscape", "end_date"], name="action_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="action_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(budget__isnull=True) | (models.Q(budget__gte=0) & ~models.Q(currency="")),
                name="action_budget_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def permission_subject(self) -> Subject:
        return action_plan_subject(self.landscape)

    def is_overdue(self, today: datetime.date) -> bool:
        """The end date has passed and the action is neither done nor cancelled."""
        return self.end_date is not None and self.end_date < today and self.status not in CLOSED


class ProgressNote(Protected, models.Model):
    """What happened on an action, optionally with its new status."""

    permission_type = "action_plan"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("progress note"), max_length=2000)
    #: The status the action was given with this note (empty: unchanged).
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on action {self.action_id}"

    def permission_subject(self) -> Subject:
        return self.action.permission_subject()


def action_plan_subject(landscape: Landscape) -> Subject:
    """The action plan follows the landscape's visibility; budgets are for its members."""
    return Subject(type="action_plan", landscape_id=landscape.pk, visibility=landscape.visibility)
