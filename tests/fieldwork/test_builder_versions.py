"""New versions in the form builder keep the stored values: a renamed choice keeps its name (the value
records hold), a renamed question keeps its column, so the records of every version stay together."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from landmosaic.fieldwork import services
from landmosaic.fieldwork.builder import Definition, Question, carry_names, choice_rows, match_choice_names
from landmosaic.fieldwork.models import Submission
from landmosaic.fieldwork.table import records_as_table
from tests.fieldwork.conftest import collect_with_token, xlsx
from tests.fieldwork.test_builder import client_for, post_data, rebuild_url

PREVIOUS = [("forest", "Forest"), ("wetland", "Wetland"), ("farm_land", "Farm land")]


@pytest.mark.parametrize(
    ("labels", "names"),
    [
        (["Forest", "Marsh", "Farm land"], ["forest", "wetland", "farm_land"]),  # renamed in place
        (["Farm land", "Forest", "Wetland"], ["farm_land", "forest", "wetland"]),  # moved
        (["Forest", "Savanna", "Wetland", "Farm land"], ["forest", "", "wetland", "farm_land"]),  # added
        (["Forest", "Farm land"], ["forest", "farm_land"]),  # removed
        (["forest ", "WETLAND", "Farm  land"], ["forest", "wetland", "farm_land"]),  # case and spaces
        (["Woodland", "Marsh", "Farm land", "Savanna"], ["forest", "wetland", "farm_land", ""]),
        (["Farm land", "Woods", "Wetland"], ["farm_land", "forest", "wetland"]),  # moved and renamed
        # Removed and renamed at once: which one was renamed is unsure, so no value is guessed.
        (["Forest", "Marsh"], ["forest", ""]),
        (["Woodland", "Farm land"], ["", "farm_land"]),
    ],
)
def test_each_choice_keeps_its_stored_value_through_renames_moves_and_additions(labels, names):
    assert match_choice_names(labels, PREVIOUS) == names


def test_new_choices_get_new_names_never_one_already_kept():
    question = Question("select_one", "Habitat", name="habitat", choices=["Wetland", "Marsh"])
    previous = Question("select_one", "Habitat", name="habitat", choices=["Marsh"], choice_names=["wetland"])
    carry_names(Definition("T", "t", "2", [question]), Definition("T", "t", "1", [previous]))
    # "Marsh" is the old choice renamed (value "wetland"); the new "Wetland" may not take that value.
    assert choice_rows(question) == [("wetland_2", "Wetland"), ("wetland", "Marsh")]


def test_a_question_of_another_name_or_type_starts_afresh():
    previous = Question("select_one", "Habitat", name="habitat", choices=["Wetland"], choice_names=["w"])
    renamed = Question("select_one", "Habitat", name="habitat_2", choices=["Wetland"])
    carry_names(Definition("T", "t", "2", [renamed]), Definition("T", "t", "1", [previous]))
    assert choice_rows(renamed) == [("wetland", "Wetland")]


SURVEY = [
    Question("text", "Observer"),
    Question("select_one", "Habitat", choices=["Forest", "Wetland", "Farm land"]),
]


def choices_sheet(version) -> list[tuple]:
    with version.xlsform.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True)["choices"]
        return [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]


def record(version: str, instance: str, habitat: str) -> bytes:
    return (
        f'<data id="habitats" version="{version}"><observer>Amina</observer><habitat>{habitat}</habitat>'
        f"<meta><instanceID>{instance}</instanceID></meta></data>"
    ).encode()


def test_renamed_labels_in_version_2_keep_the_stored_values_and_records_stay_together(private_cast):
    editor = private_cast.editor
    form, first = services.form_build(
        actor=editor,
        landscape=private_cast.landscape,
        definition=Definition(
            "Habitats", "habitats", "1", [Question(q.type, q.label, choices=list(q.choices)) for q in SURVEY]
        ),
    )
    services.form_publish(actor=editor, form=form)
    collect, _access, _secret = collect_with_token(private_cast.landscape, editor)
    assert collect.submit(record("1", "uuid:v1", "wetland")).status_code == 201

    # The page shows the stored names in the rows; the editor renames the question and a choice.
    client = client_for(editor)
    page = client.get(rebuild_url(private_cast, form)).content.decode()
    assert 'value="habitat"' in page and "Forest\nWetland\nFarm land" in page
    assert "Wetland → <code>wetland</code>" in page  # the values kept are shown, not guessed
    rows = [
        {"label": "Observer", "name": "observer", "ORDER": "1"},
        {
            "label": "Habitat type",
            "name": "habitat",
            "type": "select_one",
            "choices": "Forest\nMarsh\nFarm land\nSavanna",
            "ORDER": "2",
        },
    ]
    response = client.post(rebuild_url(private_cast, form), post_data(rows, title="Habitats", version="2"))
    assert response.status_code == 302, response.content.decode()[-2000:]
    form.refresh_from_db()
    second = form.current_version
    assert choices_sheet(first) == [
        ("habitat", "forest", "Forest"),
        ("habitat", "wetland", "Wetland"),
        ("habitat", "farm_land", "Farm land"),
    ]
    assert choices_sheet(second) == [
        ("habitat", "forest", "Forest"),
        ("habitat", "wetland", "Marsh"),
        ("habitat", "farm_land", "Farm land"),
        ("habitat", "savanna", "Savanna"),
    ]
    services.form_publish(actor=editor, form=form)
    assert collect.submit(record("2", "uuid:v2", "wetland")).status_code == 201

    table = records_as_table(form)
    assert [c.name for c in table.columns if not c.name.startswith("_")][:2] == ["observer", "habitat"]
    values = {row["_instance_id"]: (row["_form_version"], row["habitat"]) for row in table.rows}
    assert values == {"uuid:v1": ("1", "wetland"), "uuid:v2": ("2", "wetland")}
    assert Submission.objects.filter(form=form).count() == 2


def test_an_uploaded_xlsforms_own_choice_names_survive_a_version_in_the_builder(field):
    data = xlsx(
        survey=[["type", "name", "label"], ["select_one yn", "alive", "Alive?"]],
        choices=[["list_name", "name", "label"], ["yn", "1", "Yes"], ["yn", "0", "No"]],
        settings=[["form_id", "version"], ["trees", "2030"]],
    )
    services.form_upload(
        actor=field.cast.editor, landscape=field.landscape, data=data, filename="t.xlsx", form=field.form
    )
    definition = Definition(
        "Tree survey",
        "trees",
        "2031",
        [Question("select_one", "Still alive?", "alive", choices=["Yes", "Dead"])],
    )
    _form, version = services.form_build(
        actor=field.cast.editor, landscape=field.landscape, definition=definition, form=field.form
    )
    assert choices_sheet(version) == [("alive", "1", "Yes"), ("alive", "0", "Dead")]
