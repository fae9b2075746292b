"""The set's page lists its hindcasts, newest first: the later map and year, the status (with progress and
a link to the job for a running one, for whoever may follow that job), the Figures of Merit of the model
and of the no-change model, when and by whom; the figures and inputs of each in its details; at most
ten, the rest in the API."""

from __future__ import annotations

import re

from landmosaic.core.models import Job
from landmosaic.scenarios.models import Hindcast
from tests.scenarios.conftest import client_for, geotiff
from tests.scenarios.test_hindcast import hindcast_now, later_map


def item(page: str, hindcast: Hindcast) -> str:
    """The list item of one hindcast on the page."""
    start = f'<li class="scn-hindcast stack" id="hindcast-{hindcast.pk}">'
    pattern = rf'{re.escape(start)}(.*?)</li>\s*(?=<li class="scn-|</ol>)'
    match = re.search(pattern, page, re.S)
    assert match, f"hindcast {hindcast.pk} not listed"
    return match.group(1)


def test_the_set_page_lists_every_hindcast_newest_first_with_status_figures_and_details(
    private_cast, scenario_set, ingest, django_capture_on_commit_callbacks
):
    third = ingest(private_cast.landscape, private_cast.editor, geotiff(later_map()), "landcover_2025.tif")
    figures = hindcast_now(private_cast, scenario_set, third, django_capture_on_commit_callbacks)
    done = scenario_set.hindcasts.get()
    failed = Hindcast.objects.create(
        scenario_set=scenario_set, status=Job.Status.FAILED, t2_version=third.current_version, t2_year=2024,
        error="The later map has classes the legend does not know: 99.", created_by=private_cast.editor,
    )  # fmt: skip
    job = Job.objects.create(
        kind="scenarios.hindcast", status=Job.Status.RUNNING, progress=40,
        message="Projecting from 2020 to 2023", created_by=private_cast.editor,
        landscape_id=private_cast.landscape.pk,
    )  # fmt: skip
    running = Hindcast.objects.create(
        scenario_set=scenario_set, job=job, status=Job.Status.RUNNING, t2_version=third.current_version,
        t2_year=2023, created_by=private_cast.editor,
    )  # fmt: skip

    page = client_for(private_cast.viewer).get(scenario_set.get_absolute_url()).content.decode()
    section = page.split('id="hindcast"')[1]
    order = [section.index(f'id="hindcast-{h.pk}"') for h in (running, failed, done)]
    assert order == sorted(order)  # newest first

    now = item(section, running)
    assert f"Against “{third.title}” (2023)" in now and "Running" in now
    assert 'value="40"' in now and "40% — Projecting from 2020 to 2023" in now
    assert "/jobs/" not in now  # jobs are personal: the viewer may not follow the editor's job

    assert "Failed" in item(section, failed) and "legend does not know: 99." in item(section, failed)
    assert "Figures and what the model used" not in item(section, failed)

    finished = item(section, done)
    editor_name = private_cast.editor.display_name
    model, null = figures["model"]["figure_of_merit"], figures["null"]["figure_of_merit"]
    assert f"Against “{third.title}” (2025)" in finished and "Succeeded" in finished
    assert f"Figure of Merit: {model:.3f} for the model, {null:.3f} for the no-change model." in finished
    assert f"by {editor_name}." in finished and "Finished" in finished
    details = finished.split("<details")[1]
    assert "Figures and what the model used" in details and "learning from 2015–2020" in details
    assert f'<td class="num">{figures["model"]["hits"]}</td>' in details
    assert f'<td class="num">{figures["null"]["misses"]}</td>' in details
    assert "What the model used" in details and "Neighbourhood: 3 × 3 cells." in details
    assert "No driver." in details and "Any land may change." in details

    # The editor who started the running hindcast may follow its job from the list.
    page = client_for(private_cast.editor).get(scenario_set.get_absolute_url()).content.decode()
    assert f'href="/jobs/{job.pk}/"' in item(page, running)


def test_the_page_shows_the_ten_newest_and_points_to_the_api_for_the_rest(private_cast, scenario_set):
    made = [
        Hindcast.objects.create(
            scenario_set=scenario_set,
            status=Job.Status.CANCELLED,
            t2_year=2020 + n,
            created_by=private_cast.editor,
        )
        for n in range(12)
    ]
    page = client_for(private_cast.viewer).get(scenario_set.get_absolute_url()).content.decode()
    listed = [int(pk) for pk in re.findall(r'id="hindcast-(\d+)"', page)]
    assert listed == [h.pk for h in reversed(made)][:10]
    assert "Against “a deleted map” (2031)" in page and "Cancelled before it finished; no figures." in page
    api = f"/api/v1/scenario-sets/{scenario_set.pk}/hindcasts"
    assert f'2 older hindcasts are not shown here: every hindcast is in the API, at <a href="{api}">' in page
    assert len(client_for(private_cast.viewer).get(api).json()) == 12


def test_no_hindcast_no_list(private_cast, scenario_set):
    page = client_for(private_cast.viewer).get(scenario_set.get_absolute_url()).content.decode()
    assert "Hindcasts, newest first" not in page and 'id="hindcast-' not in page
