"""The landscape setting "default licence for new datasets": managers set it on the edit page and
through the API; only SPDX identifiers of the list are taken, with a message that names them."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from landmosaic.core.errors import Forbidden, ValidationFailed
from landmosaic.core.models import AuditEvent
from landmosaic.landscapes import services
from landmosaic.landscapes.models import Landscape

API = "/api/v1"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_manager_sets_the_default_and_it_is_audited(private_cast):
    services.landscape_update(
        actor=private_cast.manager, landscape=private_cast.landscape, default_license="CC0-1.0"
    )
    assert Landscape.objects.get(pk=private_cast.landscape.pk).default_license == "CC0-1.0"
    assert AuditEvent.objects.filter(summary__contains="from CC-BY-4.0 to CC0-1.0").exists()


def test_an_editor_may_not_change_the_setting(private_cast):
    with pytest.raises(Forbidden):
        services.landscape_update(
            actor=private_cast.editor, landscape=private_cast.landscape, default_license="CC0-1.0"
        )
    assert Landscape.objects.get(pk=private_cast.landscape.pk).default_license == "CC-BY-4.0"


@pytest.mark.parametrize("code", ["MIT", "cc-by-4.0", ""])
def test_only_spdx_ids_of_the_list(private_cast, code):
    with pytest.raises(ValidationFailed) as caught:
        services.landscape_update(
            actor=private_cast.manager, landscape=private_cast.landscape, default_license=code
        )
    message = caught.value.details["default_license"][0]
    assert f"“{code}” is not a licence of the list" in message and "ODbL-1.0" in message
    assert Landscape.objects.get(pk=private_cast.landscape.pk).default_license == "CC-BY-4.0"


def test_settings_page_shows_the_choice_to_managers_only(private_cast):
    path = f"/landscapes/{private_cast.landscape.slug}/edit/"
    assert 'name="default_license"' in client_for(private_cast.manager).get(path).content.decode()
    assert 'name="default_license"' not in client_for(private_cast.editor).get(path).content.decode()


def test_settings_page_saves_the_default(private_cast):
    landscape = private_cast.landscape
    response = client_for(private_cast.manager).post(
        f"/landscapes/{landscape.slug}/edit/",
        {"name": landscape.name, "visibility": landscape.visibility, "default_license": "CC-BY-SA-4.0"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Landscape.objects.get(pk=landscape.pk).default_license == "CC-BY-SA-4.0"


def test_settings_page_refuses_an_unknown_licence(private_cast):
    landscape = private_cast.landscape
    response = client_for(private_cast.manager).post(
        f"/landscapes/{landscape.slug}/edit/",
        {"name": landscape.name, "visibility": landscape.visibility, "default_license": "MIT"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Landscape.objects.get(pk=landscape.pk).default_license == "CC-BY-4.0"


def test_api_shows_and_sets_the_default(private_cast):
    client = client_for(private_cast.manager)
    url = f"{API}/landscapes/{private_cast.landscape.slug}"
    assert client.get(url).json()["default_license"] == "CC-BY-4.0"
    response = client.patch(
        url, json.dumps({"default_license": "ODC-By-1.0"}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["default_license"] == "ODC-By-1.0"


def test_api_refuses_an_unknown_licence_with_a_clear_400(private_cast):
    response = client_for(private_cast.manager).patch(
        f"{API}/landscapes/{private_cast.landscape.slug}",
        json.dumps({"default_license": "Apache-2.0"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "“Apache-2.0” is not a licence of the list" in error["message"]
    assert error["details"]["default_license"] == [error["message"]]
    assert Landscape.objects.get(pk=private_cast.landscape.pk).default_license == "CC-BY-4.0"


def test_api_refuses_an_editor_changing_the_setting(private_cast):
    response = client_for(private_cast.editor).patch(
        f"{API}/landscapes/{private_cast.landscape.slug}",
        json.dumps({"default_license": "CC0-1.0"}),
        content_type="application/json",
    )
    assert response.status_code == 403
