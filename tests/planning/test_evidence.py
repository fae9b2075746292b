"""Evidence found on the platform: datasets tagged with an output's code and the plan's own pages,
listed on the dashboard and the output's page, only for those who may see them."""

from __future__ import annotations

import pytest

from landmosaic.datasets.models import Dataset
from landmosaic.planning import selectors

from .conftest import API, add_stakeholder, client_for, make_goal, make_objective


def _dataset(landscape, title, *, themes, visibility):
    slug = title.lower().replace(" ", "-")
    return Dataset.objects.create(
        landscape=landscape, title=title, slug=slug, kind="table", themes=themes, visibility=visibility
    )


def _found(cast, person, code):
    return selectors.plan_get(actor=cast[person], landscape=cast.landscape).output(code).found


@pytest.fixture
def tagged(public_cast):
    landscape = public_cast.landscape
    public = _dataset(landscape, "Land cover 2024", themes=["2.1", "2.2"], visibility="public")
    private = _dataset(landscape, "Household survey", themes=["2.1"], visibility="private")
    _dataset(landscape, "Rainfall", themes=["5.1"], visibility="public")
    return public, private


def test_a_public_dataset_tagged_2_1_is_evidence_of_2_1_for_everyone(public_cast, tagged):
    public, _private = tagged
    for person in ("anonymous", "outsider", "viewer"):
        datasets = [f for f in _found(public_cast, person, "2.1") if f.kind == "dataset"]
        assert ("Land cover 2024", public.get_absolute_url()) in [(f.title, f.url) for f in datasets]
    assert [f.title for f in _found(public_cast, "anonymous", "2.2")] == ["Land cover 2024"]
    assert "Land cover 2024" not in [f.title for f in _found(public_cast, "anonymous", "3.1")]


def test_a_private_dataset_is_evidence_only_for_those_who_may_see_it(public_cast, tagged):
    for person in ("anonymous", "outsider"):
        assert "Household survey" not in [f.title for f in _found(public_cast, person, "2.1")]
    for person in ("viewer", "manager"):
        titles = [f.title for f in _found(public_cast, person, "2.1") if f.kind == "dataset"]
        assert titles == ["Household survey", "Land cover 2024"]  # by title
    slug = public_cast.landscape.slug
    outsider = client_for(public_cast.outsider).get(f"/landscapes/{slug}/plan/outputs/2.1/").content.decode()
    assert "Land cover 2024" in outsider and "Household survey" not in outsider
    dashboard = client_for(public_cast.outsider).get(f"/landscapes/{slug}/plan/").content.decode()
    assert public_cast.landscape.datasets.get(title="Land cover 2024").get_absolute_url() in dashboard
    assert "Household survey" not in dashboard
    viewer = client_for(public_cast.viewer).get(f"/landscapes/{slug}/plan/outputs/2.1/").content.decode()
    assert "Household survey" in viewer


def test_plan_pages_are_evidence_of_the_outputs_they_serve(public_cast):
    slug = public_cast.landscape.slug
    assert _found(public_cast, "manager", "1.1") == [] and _found(public_cast, "manager", "3.2") == []
    add_stakeholder(public_cast.landscape, "District council")
    make_objective(public_cast, make_goal(public_cast))
    found = _found(public_cast, "viewer", "1.1")
    assert [(f.kind, f.url) for f in found] == [("plan", f"/landscapes/{slug}/plan/stakeholders/")]
    assert [f.url for f in _found(public_cast, "anonymous", "3.2")] == [f"/landscapes/{slug}/plan/vision/"]
    # The register stays with the members: an outsider of a public landscape gets no link to it.
    assert _found(public_cast, "outsider", "1.1") == []
    html = client_for(public_cast.viewer).get(f"/landscapes/{slug}/plan/").content.decode()
    assert f'<a href="/landscapes/{slug}/plan/stakeholders/">Stakeholder register</a>' in html
    # A polygon boundary is the map of the landscape (2.1).
    if public_cast.landscape.boundary_kind == "polygon":
        assert f"/landscapes/{slug}/" in [f.url for f in _found(public_cast, "anonymous", "2.1")]


def test_the_api_lists_the_evidence_found_for_the_caller(public_cast, tagged):
    slug = public_cast.landscape.slug
    url = f"{API}/landscapes/{slug}/plan"

    def titles(person):
        plan = client_for(public_cast[person]).get(url).json()
        outputs = {o["code"]: o for e in plan["elements"] for o in e["outputs"]}
        return [f["title"] for f in outputs["2.1"]["found_evidence"] if f["kind"] == "dataset"]

    assert titles("anonymous") == ["Land cover 2024"]
    assert titles("viewer") == ["Household survey", "Land cover 2024"]
