"""An indicator whose target equals its baseline ("keep it as it is"): the page says how progress is read."""

from __future__ import annotations

import datetime

from django.utils import timezone

from landmosaic.planning import services

from .conftest import client_for, make_goal, make_indicator, make_objective

NOTE = "The target equals the baseline: progress is 100% while the value stays at the target or better"


def test_the_indicator_page_explains_a_target_equal_to_the_baseline(private_cast):
    objective = make_objective(private_cast, make_goal(private_cast))
    kept = make_indicator(
        private_cast, objective=objective, name="Spring flow", baseline_value=40, target_value=40
    )
    moving = make_indicator(
        private_cast, objective=objective, name="Forest cover", baseline_value=0, target_value=10
    )
    today = timezone.localdate()
    services.measurement_add(
        actor=private_cast.member, indicator=kept, value=41, date=today - datetime.timedelta(days=1)
    )
    viewer = client_for(private_cast.viewer)
    base = f"/landscapes/{private_cast.landscape.slug}/plan/indicators/"

    page = viewer.get(f"{base}{kept.pk}/").content.decode()
    assert NOTE in page
    # Above the level kept: on the good side of an increasing indicator, so all the way.
    assert '<progress max="100" value="100"' in page
    assert NOTE not in viewer.get(f"{base}{moving.pk}/").content.decode()

    services.measurement_add(actor=private_cast.member, indicator=kept, value=39, date=today)
    page = viewer.get(f"{base}{kept.pk}/").content.decode()
    assert NOTE in page
    assert '<progress max="100" value="0"' in page  # fell below the level it should keep
