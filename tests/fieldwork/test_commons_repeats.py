"""Repeat groups in the data commons: each is a child dataset of the form's landscape, one row per
entry with its record's keys, a point layer when the repeat asks for a place, refreshed with the
records, and shared exactly as the form's own dataset (through the page, the API and /ogc/)."""

from __future__ import annotations

import pyogrio.raw
import pytest
from django.test import Client

from landmosaic.datasets.models import Dataset
from landmosaic.datasets.services import (
    dataset_delete,
    dataset_follow_sharing,
    dataset_grant,
    dataset_grant_revoke,
    dataset_set_sharing,
)
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import RepeatDataset
from tests.fieldwork.conftest import collect_with_token, xlsx

SURVEY = [
    ["type", "name", "label"],
    ["text", "plot", "Plot"],
    ["geopoint", "location", "Where"],
    ["begin repeat", "trees", "Trees"],
    ["text", "species", "Species"],
    ["decimal", "height", "Height (m)"],
    ["geopoint", "spot", "Where the tree stands"],
    ["begin repeat", "branches", "Branches"],
    ["integer", "length", "Length (cm)"],
    ["end repeat", "", ""],
    ["end repeat", "", ""],
    ["begin repeat", "visits", "Visits"],
    ["date", "day", "Day"],
    ["end repeat", "", ""],
]
SETTINGS = [["form_id", "version", "form_title"], ["plots", "1", "Plot survey"]]


def record_xml(
    instance_id: str, *, deprecated: str = "", species: tuple[str, ...] = ("Baobab", "Acacia")
) -> bytes:
    trees = "".join(
        f"<trees><species>{name}</species><height>{n + 2}</height><spot>-8.{n} 36.{n} 0 5</spot>"
        "<branches><length>40</length></branches></trees>"
        for n, name in enumerate(species, start=1)
    )
    old = f"<deprecatedID>{deprecated}</deprecatedID>" if deprecated else ""
    return (
        f'<data id="plots" version="1"><plot>P-7</plot><location>-8.1 36.1 0 5</location>{trees}'
        f"<visits><day>2024-05-01</day></visits>"
        f"<meta><instanceID>{instance_id}</instanceID>{old}</meta></data>"
    ).encode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plots(private_cast, media, django_capture_on_commit_callbacks):
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
    form.collect = collect
    return form


def child(form, repeat: str) -> Dataset:
    link = RepeatDataset.objects.get(form=form, repeat=repeat)
    return Dataset.objects.select_related("current_version", "landscape").get(pk=link.dataset_id)


def rows_of(dataset: Dataset, media) -> list[dict]:
    meta, _fids, geometry, arrays = pyogrio.raw.read(str(media / dataset.current_version.normalised_path))
    names = meta["fields"].tolist()
    return [
        {**dict(zip(names, values, strict=True)), "has_geometry": g is not None}
        for g, values in zip(
            geometry if geometry is not None else [None] * len(arrays[0]),
            zip(*arrays, strict=True),
            strict=True,
        )
    ]


def signed_in(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_two_repeat_entries_are_two_rows_of_a_child_point_dataset_with_the_parent_key(
    plots, private_cast, media
):
    plots.refresh_from_db()
    parent = Dataset.objects.get(pk=plots.dataset_id)
    trees = child(plots, "trees")
    assert (trees.title, trees.kind, trees.landscape_id, trees.visibility) == (
        "Plot survey — Trees", "vector", private_cast.landscape.pk, "private",
    )  # fmt: skip
    assert trees.update_frequency == "continual" and parent.title in trees.description
    rows = rows_of(trees, media)
    assert [(r["_parent_instance_id"], r["_index"], r["species"]) for r in rows] == [
        ("uuid:plot-1", 1, "Baobab"),
        ("uuid:plot-1", 2, "Acacia"),
    ]
    assert all(r["has_geometry"] for r in rows) and (rows[1]["_lon"], rows[1]["_lat"]) == (36.2, -8.2)
    assert trees.current_version.geometry_type == "Point"
    # A repeat without a place is a plain table; a repeat inside a repeat stays in its outer row.
    visits = child(plots, "visits")
    assert visits.kind == "table" and visits.title == "Plot survey — Visits"
    assert [(r["_key"], r["_parent_key"]) for r in rows] == [
        ("uuid:plot-1/trees[1]", "uuid:plot-1"),
        ("uuid:plot-1/trees[2]", "uuid:plot-1"),
    ]
    # A repeat inside a repeat is a table of its own, each row tied to the entry around it.
    branches = child(plots, "trees/branches")
    assert branches.kind == "table" and branches.title == "Plot survey — Branches"
    assert [r["_parent_key"] for r in rows_of(branches, media)] == [
        "uuid:plot-1/trees[1]",
        "uuid:plot-1/trees[2]",
    ]
    assert Dataset.objects.filter(landscape=private_cast.landscape).count() == 4


def test_a_resubmission_or_an_edit_does_not_duplicate_the_rows(
    plots, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        again = plots.collect.submit(record_xml("uuid:plot-1"))
    assert again.status_code in (201, 202)
    trees = child(plots, "trees")
    assert trees.versions.count() == 1 and len(rows_of(trees, media)) == 2
    # An edit made on the phone replaces the record: its entries replace the old ones.
    with django_capture_on_commit_callbacks(execute=True):
        edited = plots.collect.submit(
            record_xml("uuid:plot-1b", deprecated="uuid:plot-1", species=("Baobab",))
        )
    assert edited.status_code == 201
    rows = rows_of(child(plots, "trees"), media)
    assert [(r["_parent_instance_id"], r["_index"], r["species"]) for r in rows] == [
        ("uuid:plot-1b", 1, "Baobab")
    ]
    # A second record adds its entries to the same child dataset.
    with django_capture_on_commit_callbacks(execute=True):
        plots.collect.submit(record_xml("uuid:plot-2", species=("Mango",)))
    trees = child(plots, "trees")
    assert sorted(r["_parent_instance_id"] for r in rows_of(trees, media)) == ["uuid:plot-1b", "uuid:plot-2"]
    assert RepeatDataset.objects.filter(form=plots).count() == 3


def ogc_paths(dataset: Dataset) -> list[str]:
    collection = f"/ogc/collections/{dataset.landscape.slug}.{dataset.slug}"
    return [dataset.get_absolute_url(), collection, f"{collection}/items"]


def test_the_child_is_private_with_the_forms_dataset_and_follows_its_sharing(plots, private_cast):
    plots.refresh_from_db()
    parent = Dataset.objects.get(pk=plots.dataset_id)
    trees = child(plots, "trees")
    for client in (signed_in(private_cast.outsider), signed_in()):
        for path in ogc_paths(trees):
            assert client.get(path).status_code == 404, path
    for path in ogc_paths(trees):
        assert signed_in(private_cast.viewer).get(path).status_code == 200, path

    # A manager opens the records to everyone: the repeat tables follow at once ...
    dataset_set_sharing(actor=private_cast.manager, dataset=parent, visibility="public")
    for path in ogc_paths(trees):
        assert signed_in(private_cast.outsider).get(path).status_code == 200, path
    # ... and back, restricted too.
    dataset_set_sharing(actor=private_cast.manager, dataset=parent, visibility="private", restricted=True)
    trees = child(plots, "trees")
    assert (trees.visibility, trees.restricted) == ("private", True)
    for path in ogc_paths(trees):
        assert signed_in(private_cast.outsider).get(path).status_code == 404, path
    assert signed_in(private_cast.viewer).get(trees.get_absolute_url()).status_code == 404


def test_a_child_shared_on_its_own_is_brought_back_by_the_next_refresh(plots, private_cast):
    trees = child(plots, "trees")
    dataset_set_sharing(actor=private_cast.manager, dataset=trees, visibility="public")
    services.form_dataset_refresh(form_id=plots.pk)
    assert child(plots, "trees").visibility == "private"
    assert signed_in(private_cast.outsider).get(trees.get_absolute_url()).status_code == 404


def test_the_pages_link_the_records_and_their_repeat_tables(plots, private_cast):
    plots.refresh_from_db()
    parent = Dataset.objects.get(pk=plots.dataset_id)
    trees, visits = child(plots, "trees"), child(plots, "visits")
    viewer = signed_in(private_cast.viewer)
    page = viewer.get(parent.get_absolute_url()).content.decode()
    assert f'href="{trees.get_absolute_url()}"' in page and f'href="{visits.get_absolute_url()}"' in page
    page = viewer.get(trees.get_absolute_url()).content.decode()
    assert f'href="{parent.get_absolute_url()}"' in page and "_parent_instance_id" in page
    records = f"/landscapes/{private_cast.landscape.slug}/field-data/forms/{plots.pk}/records/"
    assert f'href="{records}"' in page
    page = viewer.get(records).content.decode()
    for dataset in (parent, trees, visits):
        assert f'href="{dataset.get_absolute_url()}"' in page


def test_a_repeat_without_entries_makes_no_empty_dataset(
    private_cast, media, django_capture_on_commit_callbacks
):
    form, _version, _created = services.form_upload(
        actor=private_cast.editor,
        landscape=private_cast.landscape,
        data=xlsx(survey=SURVEY, choices=[], settings=SETTINGS),
        filename="plots.xlsx",
    )
    services.form_publish(actor=private_cast.editor, form=form)
    collect, _access, _secret = collect_with_token(private_cast.landscape, private_cast.editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = collect.submit(
            record_xml("uuid:bare", species=()).replace(b"<visits><day>2024-05-01</day></visits>", b"")
        )
    assert response.status_code == 201
    form.refresh_from_db()
    assert form.dataset_id is not None and not RepeatDataset.objects.filter(form=form).exists()


def test_people_granted_the_restricted_records_see_their_repeat_tables_too(plots, private_cast):
    plots.refresh_from_db()
    parent = Dataset.objects.get(pk=plots.dataset_id)
    trees = child(plots, "trees")
    dataset_set_sharing(actor=private_cast.manager, dataset=parent, visibility="private", restricted=True)
    assert signed_in(private_cast.viewer).get(trees.get_absolute_url()).status_code == 404
    grant = dataset_grant(actor=private_cast.manager, dataset=parent, email=private_cast.viewer.email)
    page, collection, items = ogc_paths(trees)
    viewer = signed_in(private_cast.viewer)
    assert (viewer.get(page).status_code, viewer.get(collection).status_code) == (200, 200)
    assert viewer.get(items).status_code == 403  # seeing is granted, downloading the features is not
    dataset_grant(
        actor=private_cast.manager, dataset=parent, email=private_cast.viewer.email, allow_download=True
    )
    assert viewer.get(items).status_code == 200
    dataset_grant_revoke(actor=private_cast.manager, dataset=parent, grant=grant)
    assert signed_in(private_cast.viewer).get(trees.get_absolute_url()).status_code == 404


def test_a_dataset_follows_only_a_dataset_of_its_own_landscape(plots, public_cast):
    plots.refresh_from_db()
    elsewhere = Dataset.objects.create(
        landscape=public_cast.landscape, title="Other", slug="other", kind="table"
    )
    with pytest.raises(ValueError):
        dataset_follow_sharing(dataset=child(plots, "trees"), source=elsewhere)


def test_a_deleted_repeat_table_is_made_again_on_the_next_refresh(
    plots, private_cast, django_capture_on_commit_callbacks
):
    first = child(plots, "trees")
    with django_capture_on_commit_callbacks(execute=True):
        dataset_delete(actor=private_cast.manager, dataset=first)
    services.form_dataset_refresh(form_id=plots.pk)
    again = child(plots, "trees")
    assert again.pk != first.pk and again.current_version.row_count == 2
    assert RepeatDataset.objects.filter(form=plots, repeat="trees").count() == 1
