"""Journeys in a real browser, on a phone: agreement, vision with a zone on the map, goals and objectives,
an action on the timeline, an indicator from the library with a measurement, and the dashboard; then, in
French, the stakeholder register with its inclusion gaps, zones coloured by kind, the printable plan and
the exports."""

from __future__ import annotations

import datetime
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from landmosaic.core.permissions import Role
from landmosaic.datasets import services as dataset_services
from landmosaic.datasets.models import Dataset
from landmosaic.planning import services
from landmosaic.planning.models import AgreementVersion, SignOff, Zone
from tests.browser.helpers import controls_without_name, draw_polygon, sign_in
from tests.factories import LandscapeFactory, OrganisationFactory, member
from tests.planning.conftest import INSIDE, POINT

pytestmark = pytest.mark.browser

CORNERS = [(60, 300), (260, 290), (240, 460), (80, 440)]
PLOTS = b"parcelle,surface_ha\nKwemashai,1000\nMagamba,340\n"


def test_a_facilitator_builds_the_plan_on_a_phone(page, shots_dir):
    page.on("dialog", lambda dialog: dialog.accept())

    landscape = LandscapeFactory(name="Usambara Hills", slug="usambara")
    manager = member(landscape, Role.MANAGER, name="Amina Mshana")
    farmers = OrganisationFactory(name="Usambara Farmers")
    sign_in(page, manager.email)
    plan = f"/landscapes/{landscape.slug}/plan/"

    # The partnership agreement: draft, agree, sign.
    page.goto(plan + "agreement/")
    page.get_by_role("link", name="Write the agreement").click()
    form = page.locator("main form")
    form.get_by_label("Values and principles").fill("Every voice counts.")
    form.get_by_label("Governance structure").fill("A steering committee of nine.")
    form.get_by_label("Member roles and responsibilities").fill("Farmers mobilise; the council convenes.")
    form.get_by_label("Decision-making rule").fill("Consensus, else two thirds.")
    form.get_by_label("Start date").fill("2025-01-01")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved as a new draft version.")
    page.get_by_role("button", name="Agree this version").click()
    expect(page.locator(".messages")).to_contain_text("Version 1 is now the agreement in force.")
    page.get_by_label("Organisation").last.select_option(label="Usambara Farmers")
    page.get_by_role("button", name="Add the signatory").click()
    sign = page.locator("form[action$='/agreement/sign/']")
    sign.get_by_label("Organisation").select_option(label="Usambara Farmers")
    sign.get_by_label("Signed by").fill("Chair of the farmers")
    sign.get_by_role("button", name="Sign").click()
    expect(page.locator(".messages")).to_contain_text("The signature is recorded.")
    page.screenshot(path=str(shots_dir / "plan-agreement-phone.png"), full_page=True)
    assert SignOff.objects.get().organisation == farmers
    assert AgreementVersion.objects.get().state == "agreed"

    # The vision, a zone drawn with taps, a goal and an objective.
    page.goto(plan + "vision/")
    page.get_by_role("link", name="Write the vision").click()
    page.get_by_label("Vision statement").fill("Forested hills, thriving farms and clean rivers.")
    page.get_by_label("Horizon year").fill("2050")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Mark as agreed by the partners").click()
    expect(page.locator(".vision")).to_contain_text("Agreed")
    page.get_by_role("link", name="Draw a zone").click()
    page.get_by_label("Name").fill("Upper forest")
    page.get_by_label("Kind of zone").select_option("natural")
    page.locator("[data-lm-draw]").scroll_into_view_if_needed()
    draw_polygon(page, CORNERS, touch=True)
    expect(page.locator("#id_geometry")).to_have_value(re.compile(r'"type":"Polygon"'))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The zone is saved.")
    assert Zone.objects.get().area_ha > 0
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label(re.compile(r"^Goal")).fill("Healthy forests")
    page.get_by_label("Return").select_option("natural")
    page.get_by_label("LandScale pillar").select_option("ecosystems")
    page.get_by_label("Upper forest").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_label("What").fill("Restored forest")
    page.get_by_label("How much").fill("500")
    page.get_by_label("Unit").fill("ha")
    page.get_by_label("By when").fill("2030-12-31")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".goal")).to_contain_text("Restored forest")
    page.screenshot(path=str(shots_dir / "plan-vision-phone.png"), full_page=True)

    # A strategy and an action with a place, on the timeline.
    page.goto(plan + "actions/")
    page.get_by_role("link", name="Add a strategy").click()
    page.get_by_label("Objective").select_option(label="Restored forest")
    page.get_by_label(re.compile(r"^Strategy")).fill("Assisted natural regeneration")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an action").last.click()  # the strategy's own link
    expect(page.get_by_label(re.compile(r"^Strategy"))).to_have_value(re.compile(r"\d+"))
    page.get_by_label(re.compile(r"^Action")).fill("Fence the springs")
    page.get_by_label("Lead organisation").select_option(label="Usambara Farmers")
    page.get_by_label("Budget").fill("12000")
    page.get_by_label("Currency").fill("TZS")
    today = datetime.date.today()
    page.get_by_label("Start").fill(str(today - datetime.timedelta(days=200)))
    page.get_by_label("End").fill(str(today + datetime.timedelta(days=200)))
    page.get_by_label("Longitude").fill("36.1")
    page.get_by_label("Latitude").fill("-8.1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The action is saved.")
    page.get_by_role("button", name="Report progress").click()  # status unchanged, no note: refused
    expect(page.locator(".form-errors")).to_contain_text("Write a progress note")
    page.get_by_label("Progress note").fill("Two springs fenced.")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Report progress").click()
    expect(page.locator(".note-list")).to_contain_text("Two springs fenced.")
    page.goto(plan + "actions/")
    expect(page.locator(".tl-row")).to_have_count(1)
    page.screenshot(path=str(shots_dir / "plan-timeline-phone.png"), full_page=True)

    # An indicator from the library, and a measurement.
    page.goto(plan + "indicators/")
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Measures progress of").select_option(label="— Objective: Restored forest")
    page.get_by_label("Start from the library (optional)").select_option("natural_ecosystem_area")
    page.get_by_label("Baseline value").fill("1000")
    page.get_by_label("Target value").fill("1500")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text("Area of natural ecosystems")
    page.get_by_label("Value").fill("1250")
    page.get_by_label("Date").fill(str(today))
    page.get_by_role("button", name="Record the measurement").click()
    expect(page.locator("main")).to_contain_text("50%")
    page.goto(plan + "results/")
    expect(page.locator(".return-bars li")).to_have_count(4)
    page.screenshot(path=str(shots_dir / "plan-returns-phone.png"), full_page=True)

    # The dashboard knows where the partnership stands.
    page.goto(plan)
    statuses = {
        code: page.locator(f".output-list li:has(.output-code:text-is('{code}')) .status").first.inner_text()
        for code in ("1.2", "3.1", "3.4", "5.1")
    }
    assert statuses == {"1.2": "In progress", "3.1": "Complete", "3.4": "Complete", "5.1": "In progress"}
    page.goto(plan + "agreement/versions/1/print/")
    expect(page.locator("h1")).to_have_text("Usambara Hills")
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()
    page.screenshot(path=str(shots_dir / "plan-agreement-print.png"), full_page=True)
    assert not page.js_errors


def _plan_by_services(landscape, editor, member_user, farmers) -> None:
    """The plan the English journey above builds through its pages, made quickly here."""
    services.vision_save(
        actor=editor, landscape=landscape, statement="Des collines boisées.", horizon_year=2050
    )
    forest = services.zone_save(
        actor=editor, landscape=landscape, name="Forêt haute", kind="natural", geometry=INSIDE
    )
    goal = services.goal_save(
        actor=editor, landscape=landscape, title="Forêts en bonne santé", return_kind="natural",
        pillar="ecosystems", zone_ids=[forest.pk],
    )  # fmt: skip
    objective = services.objective_save(
        actor=editor, landscape=landscape, goal_id=goal.pk, what="Forêt restaurée", how_much=500, unit="ha",
        by_when=datetime.date(2030, 12, 31),
    )  # fmt: skip
    strategy = services.strategy_save(
        actor=editor, landscape=landscape, objective_id=objective.pk, title="Régénération naturelle assistée"
    )
    services.action_save(
        actor=editor, landscape=landscape, strategy_id=strategy.pk, title="Clôturer les sources",
        lead_organisation_id=farmers.pk, location=POINT,
    )  # fmt: skip
    indicator = services.indicator_save(
        actor=editor, landscape=landscape, objective_id=objective.pk, name="Surface de forêt", unit="ha",
        baseline_value=1000, target_value=1500, direction="increase", frequency="yearly",
    )  # fmt: skip
    services.measurement_add(actor=member_user, indicator=indicator, value=1250, date=datetime.date.today())


def test_a_french_facilitator_registers_stakeholders_sees_the_gaps_and_prints_and_exports_the_plan(
    page, shots_dir, django_capture_on_commit_callbacks
):
    """In French, on a phone: the register and its inclusion gaps, the zones coloured by kind, the
    printable plan (inline SVG map, print styles) and both exports. Fields are found by their ids, so
    the test does not depend on which strings the French catalogue has yet."""
    landscape = LandscapeFactory(name="Monts Usambara", slug="usambara-fr")
    manager = member(landscape, Role.MANAGER, name="Awa Diallo", language="fr")
    editor = member(landscape, Role.EDITOR)
    farmers = OrganisationFactory(name="Agriculteurs d'Usambara")
    _plan_by_services(landscape, editor, member(landscape, Role.MEMBER), farmers)
    sign_in(page, manager.email)
    plan = f"/landscapes/{landscape.slug}/plan/"

    # The register: two stakeholders through the form.
    for name, sector, influence, groups in (
        ("Coopérative des femmes de Lushoto", "community", "2", ["women", "smallholders"]),
        ("Thé des Hautes Terres SA", "private", "5", []),
    ):
        page.goto(plan + "stakeholders/new/")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
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
    # Women are represented; no youth organisation and the influential company is only consulted.
    expect(page.locator(".check-ok")).to_contain_text(["Coopérative des femmes de Lushoto"])
    assert page.locator(".check-gap").count() >= 3
    page.screenshot(path=str(shots_dir / "plan-register-gaps-fr-phone.png"), full_page=True)

    # The zone on the vision's map has its kind's colour.
    page.goto(plan + "vision/")
    zone = page.locator("[data-lm-map] path.leaflet-interactive").first
    expect(zone).to_have_attribute("fill", "#009E73")
    expect(page.locator(".zone-legend li")).to_have_count(3)

    # From the dashboard: the printable plan, then the two exports.
    page.goto(plan)
    page.locator(f"a[href='{plan}print/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Monts Usambara")
    expect(page.locator("svg.plan-map path.zone-natural")).to_have_attribute("fill", "#009E73")
    expect(page.locator("main")).to_contain_text("Clôturer les sources")
    expect(page.locator(".bar span")).to_have_count(1)  # the indicator's progress bar
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()
    page.screenshot(path=str(shots_dir / "plan-print-fr.png"), full_page=True)
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.locator("a[href$='/plan/export.xmpz2']").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        assert archive.namelist() == ["project.xml"]
        assert "Forêts en bonne santé" in archive.read("project.xml").decode("utf-8")
    data = page.request.get(plan + "export.json").json()
    assert data["format"] == "landmosaic-plan"
    assert [a["title"] for a in data["actions"]] == ["Clôturer les sources"]
    assert data["indicators"][0]["progress"] == 0.5

    # The indicator computed from a table of the commons: choose it, compute now, follow the job.
    with django_capture_on_commit_callbacks(execute=True):
        dataset_services.dataset_create_from_upload(
            actor=editor, landscape=landscape, upload=SimpleUploadedFile("parcelles-reboisees.csv", PLOTS)
        )
    indicator_id = data["indicators"][0]["id"]
    page.goto(plan + f"indicators/{indicator_id}/")
    page.locator(f"a[href$='/indicators/{indicator_id}/source/']").click()
    page.wait_for_url(f"**/indicators/{indicator_id}/source/")
    expect(page.locator("main form #id_dataset")).to_be_visible()  # the source page, loaded
    assert controls_without_name(page) == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    form = page.locator("main form")
    form.locator("#id_dataset").select_option(str(Dataset.objects.get(landscape=landscape).pk))
    form.locator("#id_operation").select_option("sum")
    form.locator("#id_column").fill("surface_ha")
    form.locator("button[type=submit]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    page.locator(f"form[action$='/indicators/{indicator_id}/compute/'] button").click()
    expect(page.locator("[id^=job-]")).to_contain_text("100")
    page.locator("[id^=job-] a.btn-primary").click()
    expect(page.locator("main table")).to_contain_text("1340 ha")  # 1000 + 340 ha from the table
    page.screenshot(path=str(shots_dir / "plan-indicator-computed-fr-phone.png"), full_page=True)
    assert not page.js_errors


#: Words and names that are the same in English and French (or are not words of the interface).
SAME_IN_BOTH = {
    "1 action", "Action", "API", "Budget", "English", "Español", "Français", "Inspiration", "Landmosaic",
    "Leaflet", "Menu", "Notifications", "Organisations", "Português", "Relations", "Social", "Total",
    "Zones",
}  # fmt: skip
PLAN_PAGES = (
    "", "agreement/", "stakeholders/", "stakeholders/grid/", "stakeholders/relations/", "vision/",
    "actions/", "actions/map/", "tracker/", "indicators/", "results/", "print/", "actions/new/",
    "indicators/new/",
)  # fmt: skip
_TEXTS = """() => {
  const texts = document.body.innerText.split('\\n').map(t => t.trim()).filter(Boolean);
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], img[alt]')) {
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      const value = el.getAttribute(name);
      if (value) texts.push(value.trim());
    }
  }
  return texts;
}"""


def test_every_plan_page_fits_a_phone_in_french_and_says_nothing_in_english(new_page, shots_dir, settings):
    """Each page of the plan at 390 px in French: no sideways scrolling, and no text (or label of a
    control) that reads exactly as on the English page, other than names and words both languages
    share. Then a large plan's export in French: the job's page, its progress, then the file."""
    settings.PLAN_EXPORT_SYNC_MAX_ACTIONS = 0  # every plan counts as large here
    landscape = LandscapeFactory(name="Monts Usambara", slug="usambara-phone")
    french = member(landscape, Role.MANAGER, name="Awa Diallo", language="fr")
    english = member(landscape, Role.MANAGER, name="Ann Smith", language="en")
    farmers = OrganisationFactory(name="Agriculteurs d'Usambara")
    editor = member(landscape, Role.EDITOR)
    _plan_by_services(landscape, editor, member(landscape, Role.MEMBER), farmers)
    names = [landscape.name, farmers.name, french.name, english.name, "Forêt", "Clôturer", "Régénération",
             "Surface de forêt", "Des collines"]  # fmt: skip
    fr_page, en_page = new_page(), new_page()
    sign_in(fr_page, french.email)
    sign_in(en_page, english.email)
    plan = f"/landscapes/{landscape.slug}/plan/"
    wide, in_english = {}, {}
    for tail in PLAN_PAGES:
        fr_page.goto(plan + tail)
        en_page.goto(plan + tail)
        expect(fr_page.locator("html")).to_have_attribute("lang", "fr")
        width = fr_page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide[tail or "dashboard"] = width
        same = set(fr_page.evaluate(_TEXTS)) & set(en_page.evaluate(_TEXTS))
        left = sorted(
            text
            for text in same
            if re.search("[A-Za-z]{2}", text)
            and text not in SAME_IN_BOTH
            and not any(name in text for name in names)
        )
        if left:
            in_english[tail or "dashboard"] = left
    assert wide == {}, f"pages wider than the phone: {wide}"
    assert in_english == {}, f"text left in English on French pages: {in_english}"

    # A large plan's export: the job's page in French shows it finished, with the link to the file.
    fr_page.goto(plan)
    fr_page.locator(f"a[href='{plan}export.json']").first.click()
    fr_page.wait_for_url("**/jobs/*/")
    expect(fr_page.locator("html")).to_have_attribute("lang", "fr")
    expect(fr_page.locator("[id^=job-] progress")).to_have_attribute("value", "100")
    assert fr_page.evaluate("() => document.documentElement.scrollWidth") <= 390
    fr_page.screenshot(path=str(shots_dir / "plan-export-job-fr-phone.png"), full_page=True)
    with fr_page.expect_download() as download:
        fr_page.locator("[id^=job-] a.btn-primary").click()
    assert download.value.suggested_filename == "usambara-phone-plan.json"
    assert not fr_page.js_errors and not en_page.js_errors
