"""The fieldwork API's form detail lists the form's datasets in the data commons (its records and one
child dataset per repeat group), each only when the caller may see it."""

from __future__ import annotations

import pytest
from django.test import Client

from landmosaic.datasets.models import Dataset
from landmosaic.datasets.services import dataset_set_sharing
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import RepeatDataset
from tests.fieldwork.conftest import collect_with_token, xlsx
from tests.fieldwork.test_commons_repeats import SETTINGS, SURVEY, record_xml

API = "/api/v1"


@pytest.fixture
def plots(private_cast, settings, tmp_path, django_capture_on_commit_callbacks):
    """The plot survey (repeats trees, trees/branches and visits) with one record in the commons."""
    settings.MEDIA_ROOT = tmp_path / "media"
    form, _version, _created = services.form_upload(
        actor=private_cast.editor,
        landscape=private_cast.landscape,
        data=xlsx(survey=SURVEY, choices=[], settings=SETTINGS),
        filename="plots.xlsx",
    )
    services.form_publish(actor=private_cast.editor, form=form)
    collect, _access, _secret = collect_with_token(private_cast.landscape, private_cast.editor)
    with django_capture_on_commit_callbacks(execute=True):
        assert collect.submit(record_xml("uuid:plot-1")).status_code == 201
    form.refresh_from_db()
    return form


def detail(user, form) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get(f"{API}/landscapes/{form.landscape.slug}/forms/{form.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def child(form, repeat: str) -> Dataset:
    return Dataset.objects.get(pk=RepeatDataset.objects.get(form=form, repeat=repeat).dataset_id)


def test_the_form_detail_lists_its_records_dataset_and_one_dataset_per_repeat(plots, private_cast):
    datasets = detail(private_cast.viewer, plots)["datasets"]
    parent = Dataset.objects.get(pk=plots.dataset_id)
    assert datasets["records"] == {"id": parent.pk, "title": parent.title, "url": parent.get_absolute_url()}
    repeats = {r["path"]: r for r in datasets["repeats"]}
    assert set(repeats) == set(RepeatDataset.objects.filter(form=plots).values_list("repeat", flat=True))
    assert set(repeats) == {"trees", "trees/branches", "visits"}
    trees = child(plots, "trees")
    assert repeats["trees"] == {
        "id": trees.pk,
        "dataset_id": trees.pk,
        "title": trees.title,
        "url": trees.get_absolute_url(),
        "path": "trees",
        "name": "trees",
        "label": "Trees",
    }
    assert repeats["visits"]["label"] == "Visits"
    assert (repeats["trees/branches"]["name"], repeats["trees/branches"]["label"]) == ("branches", "Branches")
    # Every dataset listed opens for the caller.
    client = Client()
    client.force_login(private_cast.viewer)
    for link in [datasets["records"], *datasets["repeats"]]:
        assert client.get(link["url"]).status_code == 200, link


def test_a_child_dataset_the_caller_may_not_see_is_not_listed(plots, private_cast):
    trees = child(plots, "trees")
    dataset_set_sharing(actor=private_cast.manager, dataset=trees, visibility="private", restricted=True)
    listed = {r["path"] for r in detail(private_cast.viewer, plots)["datasets"]["repeats"]}
    assert "trees" not in listed and "visits" in listed
    assert "trees" in {r["path"] for r in detail(private_cast.manager, plots)["datasets"]["repeats"]}


def test_restricted_records_hide_the_whole_family_but_not_the_form(plots, private_cast):
    parent = Dataset.objects.get(pk=plots.dataset_id)
    dataset_set_sharing(actor=private_cast.manager, dataset=parent, visibility="private", restricted=True)
    body = detail(private_cast.viewer, plots)
    assert body["form_id"] == "plots"
    assert body["datasets"] == {"records": None, "repeats": []}
    managers = detail(private_cast.manager, plots)["datasets"]
    assert managers["records"]["id"] == parent.pk and managers["repeats"]


def test_a_form_without_records_has_no_datasets_yet(field):
    assert detail(field.cast.member, field.form)["datasets"] == {"records": None, "repeats": []}


def test_the_form_detail_stays_closed_to_outsiders(plots, private_cast):
    client = Client()
    client.force_login(private_cast.outsider)
    response = client.get(f"{API}/landscapes/{plots.landscape.slug}/forms/{plots.pk}")
    assert response.status_code == 404
    assert str(plots.dataset_id) not in response.content.decode()
