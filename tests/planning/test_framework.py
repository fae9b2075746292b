"""The ILM framework is loaded by a data migration, with stable codes and translations."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import translation

from landmosaic.planning.framework import ELEMENTS
from landmosaic.planning.models import Element, Output, OutputStatus, Stakeholder
from tests.factories import UserFactory

from .conftest import client_for

CODES = [f"{e}.{o}" for e in range(1, 6) for o in range(1, 5)]


def test_migration_loads_five_elements_and_twenty_outputs(db):
    assert list(Element.objects.values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]
    assert list(Output.objects.values_list("code", flat=True)) == CODES
    assert Output.objects.get(code="1.1").element.code == "1"
    assert Output.objects.get(code="5.4").element.code == "5"
    assert Element.objects.get(code="1").name == "Landscape Partnership"
    assert Output.objects.get(code="2.1").name == "Map of the landscape"


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_every_text_is_translated(db, language):
    for item in [*Element.objects.all(), *Output.objects.all()]:
        texts = item.translations[language]
        assert texts["name"] and texts["name"] != "", item.code
        assert texts["description"], item.code
        if isinstance(item, Output):
            assert len(texts["next_steps"]) == len(item.next_steps) >= 2, item.code
            assert all(texts["next_steps"]), item.code


def test_localized_texts_follow_the_language(db):
    output = Output.objects.get(code="1.1")
    with translation.override("fr"):
        assert output.localized("name") == "Identification des parties prenantes et stratégie d'engagement"
        assert output.localized("next_steps")[0].startswith("Enregistrez")
    with translation.override("es"):
        assert Element.objects.get(code="3").localized("name") == "Visión y planificación"
    with translation.override("en"):
        assert output.localized("name") == "Stakeholder identification and engagement strategy"


def test_outputs_point_to_platform_pages_where_work_happens(db):
    features = dict(Output.objects.exclude(feature="").values_list("code", "feature"))
    assert features["1.1"] == "stakeholders"
    assert features["2.1"] == "boundary"
    assert features["2.4"] == "relations"


def test_framework_source_has_unique_codes():
    codes = [o.code for e in ELEMENTS for o in e.outputs]
    assert codes == CODES


def test_admin_validation_of_translations(db):
    output = Output.objects.get(code="1.1")
    output.translations = {"de": {"name": "Beteiligte"}}
    with pytest.raises(ValidationError):
        output.full_clean()
    output.translations = {"es": {"title": "x"}}
    with pytest.raises(ValidationError):
        output.full_clean()
    output.translations = {"es": {"name": "Actores"}}
    output.next_steps = "not a list"
    with pytest.raises(ValidationError):
        output.full_clean()


def test_platform_admins_edit_the_framework_but_not_landscape_data(db):
    client = client_for(UserFactory(is_superuser=True, is_staff=True))
    output = Output.objects.get(code="3.1")
    assert client.get("/admin/planning/output/").status_code == 200
    page = client.get(f"/admin/planning/output/{output.pk}/change/").content.decode()
    assert 'name="code"' not in page  # stable codes are read-only
    assert 'name="name"' in page and 'name="translations"' in page
    assert client.get(f"/admin/planning/element/{output.element_id}/change/").status_code == 200
    assert not admin.site.is_registered(OutputStatus)
    assert not admin.site.is_registered(Stakeholder)
