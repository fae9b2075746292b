"""Issue 6's "done means", in one journey: a partnership facilitator, on a phone (390 px), in French,
registers stakeholders and sees the inclusion gaps, drafts, agrees and signs the agreement, writes the
vision and draws a zone on the map with taps, sets a goal on that zone and an objective, builds the
action plan with an action, adds an indicator and records a measurement, then the dashboard shows where
the partnership stands in the five elements; the plan prints and exports.

Fields are found by their ids (stable whatever the language); every page is checked for French text
from the catalogue, and buttons and links are found by their French names."""

from __future__ import annotations

import datetime
import re
import time

import pytest
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.planning.models import Action, AgreementVersion, Element, Indicator, SignOff, Zone
from tests.browser.helpers import draw_polygon, sign_in
from tests.factories import LandscapeFactory, OrganisationFactory, member

pytestmark = pytest.mark.browser

CORNERS = [(60, 300), (260, 290), (240, 460), (80, 440)]


def _french(page) -> None:
    page.wait_for_load_state()  # styles applied before widths are measured
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, page.url


def _saved(page, message: str) -> None:
    expect(page.locator(".messages")).to_contain_text(message)
    _french(page)


def test_a_french_facilitator_goes_through_the_whole_ilm_plan_on_a_phone(page, shots_dir):
    started = time.monotonic()
    page.on("dialog", lambda dialog: dialog.accept())
    landscape = LandscapeFactory(name="Monts Usambara", slug="usambara-parcours")
    manager = member(landscape, Role.MANAGER, name="Awa Diallo", language="fr")
    OrganisationFactory(name="Agriculteurs d'Usambara")
    sign_in(page, manager.email)
    plan = f"/landscapes/{landscape.slug}/plan/"
    today = datetime.date.today()

    # 1.1 The register: two stakeholders, then the inclusion gaps.
    for name, sector, influence, groups in (
        ("Coopérative des femmes de Lushoto", "community", "2", ["women", "smallholders"]),
        ("Thé des Hautes Terres SA", "private", "5", []),
    ):
        page.goto(plan + "stakeholders/new/")
        _french(page)
        form = page.locator("main form")
        form.locator("#id_name").fill(name)
        form.locator("#id_sector").select_option(sector)
        form.locator("#id_influence").select_option(influence)
        form.locator("#id_participation").select_option("consult")
        for group in groups:
            form.locator(f"input[name=represents][value={group}]").check()
        form.get_by_role("button", name="Enregistrer", exact=True).click()
        expect(page.locator(".messages")).to_be_visible()
    page.goto(plan + "stakeholders/")
    expect(page.locator("#checks-heading")).to_have_text("Vérifications d'inclusion")
    expect(page.locator(".check-ok")).to_contain_text(["Coopérative des femmes de Lushoto"])
    assert page.locator(".check-gap").count() >= 3  # no youth group; the influential company only consulted

    # 1.2 The agreement: a draft, agreed, a signatory who signs.
    page.goto(plan + "agreement/")
    _french(page)
    page.get_by_role("link", name="Rédiger l'accord").click()
    form = page.locator("main form")
    form.locator("#id_values").fill("Chaque voix compte.")
    form.locator("#id_governance").fill("Un comité de pilotage de neuf membres.")
    form.locator("#id_roles").fill("Les agriculteurs mobilisent ; la commune convoque.")
    form.locator("#id_decision_making").fill("Consensus, sinon les deux tiers.")
    form.locator("#id_start_date").fill("2025-01-01")
    form.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "Enregistré comme nouvelle version de brouillon.")
    expect(page.locator("main")).to_contain_text("Brouillon")
    page.get_by_role("button", name="Adopter cette version").click()
    _saved(page, "La version 1 est désormais l'accord en vigueur.")
    add = page.locator("form[action$='/agreement/signatories/']")
    add.locator("select[name$=organisation]").select_option(label="Agriculteurs d'Usambara")
    add.get_by_role("button", name="Ajouter le signataire").click()
    sign = page.locator("form[action$='/agreement/sign/']")
    sign.locator("select[name$=organisation]").select_option(label="Agriculteurs d'Usambara")
    sign.locator("input[name$=signed_by_name]").fill("Présidente des agriculteurs")
    sign.get_by_role("button", name="Signer").click()
    _saved(page, "La signature est enregistrée.")
    expect(page.locator("main")).to_contain_text("Signataires")
    page.screenshot(path=str(shots_dir / "plan-fr-agreement-phone.png"), full_page=True)
    assert AgreementVersion.objects.get().state == "agreed" and SignOff.objects.count() == 1

    # 3.1 The vision, agreed; a zone drawn on the map with taps; 3.2 a goal on that zone, an objective.
    page.goto(plan + "vision/")
    page.get_by_role("link", name="Rédiger la vision").click()
    page.locator("#id_statement").fill("Des collines boisées, des fermes prospères et des rivières claires.")
    page.locator("#id_horizon_year").fill("2050")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "La vision est enregistrée.")
    page.get_by_role("button", name="Marquer comme adoptée par les partenaires").click()
    expect(page.locator(".vision")).to_contain_text("Adoptée")
    page.get_by_role("link", name="Dessiner une zone").click()
    page.wait_for_url("**/zones/new/")
    _french(page)
    page.locator("#id_name").fill("Forêt haute")
    page.locator("#id_kind").select_option("natural")
    page.locator("[data-lm-draw]").scroll_into_view_if_needed()
    draw_polygon(page, CORNERS, touch=True)
    expect(page.locator("#id_geometry")).to_have_value(re.compile(r'"type":"Polygon"'))
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "La zone est enregistrée.")
    assert Zone.objects.get().area_ha > 0
    page.get_by_role("link", name="Ajouter un but").click()
    page.locator("#id_title").fill("Forêts en bonne santé")
    page.locator("#id_return_kind").select_option("natural")
    page.locator("#id_pillar").select_option("ecosystems")
    page.get_by_label("Forêt haute").check()  # the goal is drawn to the zone on the map
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "Le but est enregistré.")
    page.get_by_role("link", name="Ajouter un objectif").click()
    page.locator("#id_what").fill("Forêt restaurée")
    page.locator("#id_how_much").fill("500")
    page.locator("#id_unit").fill("ha")
    page.locator("#id_by_when").fill("2030-12-31")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "L'objectif est enregistré.")
    expect(page.locator(".goal")).to_contain_text("Forêt restaurée")
    page.screenshot(path=str(shots_dir / "plan-fr-vision-phone.png"), full_page=True)

    # 3.4 The action plan: a strategy and an action with a lead, dates and a place; 4.2 progress.
    page.goto(plan + "actions/")
    page.get_by_role("link", name="Ajouter une stratégie").click()
    page.locator("#id_objective").select_option(label="Forêt restaurée")
    page.locator("#id_title").fill("Régénération naturelle assistée")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "La stratégie est enregistrée.")
    page.get_by_role("link", name="Ajouter une action").last.click()  # the strategy's own link
    expect(page.locator("#id_strategy")).to_have_value(re.compile(r"\d+"))
    page.locator("#id_title").fill("Clôturer les sources")
    page.locator("#id_lead_organisation").select_option(label="Agriculteurs d'Usambara")
    page.locator("#id_budget").fill("12000")
    page.locator("#id_currency").fill("TZS")
    page.locator("#id_start_date").fill(str(today - datetime.timedelta(days=200)))
    page.locator("#id_end_date").fill(str(today + datetime.timedelta(days=200)))
    page.locator("#id_longitude").fill("36.1")
    page.locator("#id_latitude").fill("-8.1")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "L'action est enregistrée.")
    page.locator("select[name$=status]").select_option("in_progress")
    page.locator("textarea[name$=text]").fill("Deux sources clôturées.")
    page.get_by_role("button", name="Signaler l'avancement").click()
    expect(page.locator(".note-list")).to_contain_text("Deux sources clôturées.")
    _french(page)
    assert Action.objects.get().status == "in_progress"
    page.goto(plan + "tracker/")
    _french(page)
    expect(page.locator("h1, h2").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Par zone")
    expect(page.locator("main")).to_contain_text("Forêts en bonne santé")
    # By ILM element: an action naming no output implements the plan (element 4).
    expect(page.locator("#by-element")).to_have_text("Élément GIP")
    taking_action = Element.objects.get(code="4").translations["fr"]["name"]
    expect(page.locator("section[aria-labelledby=by-element] tbody th")).to_have_text([f"4. {taking_action}"])

    # 5.2 An indicator from the library, under the objective; 5.1 a measurement.
    page.goto(plan + "indicators/")
    _french(page)
    page.get_by_role("link", name="Ajouter un indicateur").click()
    page.locator("#id_attached_to").select_option(label="— Objectif : Forêt restaurée")
    page.locator("#id_library_code").select_option("natural_ecosystem_area")
    page.locator("#id_baseline_value").fill("1000")
    page.locator("#id_target_value").fill("1500")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    _saved(page, "L'indicateur est enregistré.")
    indicator = Indicator.objects.get()
    expect(page.get_by_role("heading", level=2).first).to_have_text(indicator.name)
    page.locator("#id_value").fill("1250")
    page.locator("#id_date").fill(str(today))
    page.get_by_role("button", name="Enregistrer la mesure").click()
    _saved(page, "La mesure est enregistrée.")
    expect(page.locator("progress[aria-label='Progression vers la cible']")).to_have_attribute("value", "50")
    page.screenshot(path=str(shots_dir / "plan-fr-indicator-phone.png"), full_page=True)

    # The dashboard: where the partnership stands in the five elements, in French.
    page.goto(plan)
    _french(page)
    expect(
        page.get_by_role("list", name="Les cinq éléments de la gestion intégrée des paysages")
    ).to_be_visible()
    names = [e.translations["fr"]["name"] for e in Element.objects.order_by("code")]
    expect(page.locator(".plan-elements > li > h2")).to_have_text(
        [f"{code}. {name}" for code, name in zip("12345", names, strict=True)]
    )

    def status(code: str) -> str:
        return page.locator(f".output-list li:has(.output-code:text-is('{code}')) .status").first.inner_text()

    assert {code: status(code) for code in ("1.1", "1.2", "3.1", "3.2", "3.4", "4.2", "5.1")} == {
        "1.1": "En cours",  # gaps remain
        "1.2": "En cours",  # one sign-off of the two that make it complete
        "3.1": "Terminé",  # the vision is agreed
        "3.2": "En cours",  # one return of four has a goal
        "3.4": "Terminé",  # every objective has an action with lead, start and end
        "4.2": "Terminé",  # the action moved on, is on the map and not overdue
        "5.1": "En cours",  # measured
    }
    expect(page.locator(".plan-elements > li").nth(2)).to_contain_text("Livrables terminés : 2 sur 4")
    expect(page.locator(".plan-elements")).to_contain_text("suggéré")
    # Evidence found on the platform, as links under the outputs.
    found = page.locator(".output-list li:has(.output-code:text-is('1.1')) .found-evidence")
    expect(found.get_by_role("link", name="Registre des parties prenantes")).to_be_visible()
    found = page.locator(".output-list li:has(.output-code:text-is('3.1')) .found-evidence")
    expect(found.get_by_role("link", name="Vision et stratégie")).to_be_visible()
    page.screenshot(path=str(shots_dir / "plan-fr-dashboard-phone.png"), full_page=True)

    # The plan prints and exports.
    page.get_by_role("link", name="Plan du paysage imprimable").click()
    page.wait_for_url("**/plan/print/")
    _french(page)
    expect(page.locator("h1")).to_have_text("Monts Usambara")
    expect(page.locator("main")).to_contain_text("Clôturer les sources")
    expect(page.locator("svg.plan-map path.zone-natural")).to_have_count(1)
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()
    page.emulate_media(media="screen")
    data = page.request.get(plan + "export.json").json()
    assert data["vision"]["agreed"] is True
    assert [g["title"] for g in data["goals"]] == ["Forêts en bonne santé"]
    assert data["goals"][0]["zone_ids"] == [data["zones"][0]["id"]]
    assert data["indicators"][0]["measurements"][0]["value"] == 1250
    assert data["indicators"][0]["progress"] == 0.5
    assert page.request.get(plan + "export.xmpz2").ok
    assert not page.js_errors
    elapsed = time.monotonic() - started
    print(f"French phone journey: {elapsed:.1f} s")  # reported, not asserted (no timed tests)
