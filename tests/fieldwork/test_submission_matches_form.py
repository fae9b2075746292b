"""A record must fit its form version: only the form's elements (groups and repeats nested as in the
form, plus the meta block), values of the questions' types, choices among the form's own choices.
Anything else is refused with 400 and a message naming the first problem; nothing is stored."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from landmosaic.core.errors import ValidationFailed
from landmosaic.fieldwork import services
from landmosaic.fieldwork.models import Attachment, Submission
from landmosaic.fieldwork.selectors import Collector
from landmosaic.fieldwork.xforms import FormMismatch, check_instance, parse, read_shape
from landmosaic.fieldwork.xlsform import convert_xlsform
from tests.fieldwork.conftest import JPEG, collect_with_token, xlsx
from tests.fieldwork.test_openrosa import assert_openrosa_headers, message_of

SURVEY = [
    ["type", "name", "label", "choice_filter", "appearance"],
    ["text", "species", "Species", "", ""],
    ["integer", "count", "How many?", "", ""],
    ["decimal", "tree_height", "Height (m)", "", ""],
    ["date", "seen", "Seen on", "", ""],
    ["dateTime", "seen_at", "Seen at", "", ""],
    ["time", "seen_time", "Seen at (time)", "", ""],
    ["select_one health", "health", "Health", "", ""],
    ["select_multiple uses", "uses", "Uses", "", ""],
    ["select_one health or_other", "health_other", "Health (or other)", "", ""],
    ["select_one uses", "main_use", "Main use", "selected(${uses}, name)", ""],
    ["select_one_from_file villages.csv", "village", "Village", "", ""],
    ["begin_group", "site", "Site", "", ""],
    ["geopoint", "location", "Where", "", ""],
    ["geotrace", "path", "Path walked", "", ""],
    ["end_group", "", "", "", ""],
    ["begin_repeat", "stems", "Stems", "", ""],
    ["decimal", "girth", "Girth (cm)", "", ""],
    ["image", "photo", "Photo", "", ""],
    ["end_repeat", "", "", "", ""],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["health", "good", "Good"],
    ["health", "poor", "Poor"],
    ["uses", "fruit", "Fruit"],
    ["uses", "shade", "Shade"],
    ["uses", "timber", "Timber"],
]
SETTINGS = [["form_id", "version"], ["checks", "1"]]

VALID = {
    "species": "Baobab",
    "count": "3",
    "tree_height": "12.5",
    "seen": "2024-05-01",
    "seen_at": "2024-05-01T09:00:00.000+03:00",
    "seen_time": "09:12:00.000+03:00",
    "health": "good",
    "uses": "fruit shade",
    "health_other": "other",
    "health_other_other": "Dying back",
    "main_use": "shade",
    "village": "Any name from the CSV on the phone",
    "location": "-8.1 36.1 1200 5",
    "path": "-8.1 36.1 0 5;-8.2 36.2 0 5",
    "girth": "140",
    "extra": "",
}


def record_xml(instance_id: str = "uuid:rec-1", version: str = "1", **values: str) -> bytes:
    v = {**VALID, **values}
    top = "".join(
        f"<{name}>{v[name]}</{name}>"
        for name in (
            "species", "count", "tree_height", "seen", "seen_at", "seen_time", "health", "uses",
            "health_other", "health_other_other", "main_use", "village",
        )
    )  # fmt: skip
    return (
        f'<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms" '
        f'id="checks" version="{version}">{top}'
        f"<site><location>{v['location']}</location><path>{v['path']}</path></site>"
        f"<stems><girth>{v['girth']}</girth><photo>stem1.jpg</photo></stems>"
        "<stems><girth></girth><photo/></stems>"
        f"{v['extra']}<start>2024-05-01T09:00:00.000+03:00</start><end>2024-05-01T09:12:30.000+03:00</end>"
        "<today>2024-05-01</today><deviceid>collect:abc123</deviceid><username>amina</username>"
        f"<orx:meta><orx:instanceID>{instance_id}</orx:instanceID>"
        "<orx:instanceName>Baobab 1</orx:instanceName><orx:audit>audit.csv</orx:audit></orx:meta></data>"
    ).encode()


def upload(cast, survey=SURVEY, settings=SETTINGS):
    form, _version, _created = services.form_upload(
        actor=cast.editor,
        landscape=cast.landscape,
        data=xlsx(survey=survey, choices=CHOICES, settings=settings),
        filename="checks.xlsx",
    )
    if not form.media.exists():
        services.form_media_add(
            actor=cast.editor,
            form=form,
            uploaded=ContentFile(b"name,label\nkilolo,Kilolo\n"),
            filename="villages.csv",
        )
    return form


@pytest.fixture
def checks(private_cast):
    form = upload(private_cast)
    services.form_publish(actor=private_cast.editor, form=form)
    collect, _access, _secret = collect_with_token(private_cast.landscape, private_cast.editor)
    return collect


def test_a_record_with_groups_repeats_meta_and_empty_answers_is_accepted(checks):
    xml = record_xml(count="", tree_height="", seen="", uses="", main_use="", location="")
    response = checks.submit(xml, {"stem1.jpg": JPEG})
    assert response.status_code == 201, response.content
    record = Submission.objects.get()
    assert record.data["stems"][0] == {"girth": "140", "photo": "stem1.jpg"}
    assert record.data["site/path"] == VALID["path"] and record.data["count"] == ""
    assert record.attachments.get().name == "stem1.jpg"


def test_choices_from_files_filters_and_or_other_are_accepted(checks):
    xml = record_xml(village="Kilolo", health_other="other", main_use="timber", uses="timber")
    assert checks.submit(xml).status_code == 201


@pytest.mark.parametrize(
    "values,path,reason",
    [
        ({"tree_height": "tall"}, "/data/tree_height", "“tall” is not a decimal number"),
        ({"tree_height": "nan"}, "/data/tree_height", "“nan” is not a decimal number"),
        ({"count": "3.5"}, "/data/count", "“3.5” is not a whole number"),
        ({"count": "three"}, "/data/count", "“three” is not a whole number"),
        ({"seen": "01/05/2024"}, "/data/seen", "“01/05/2024” is not a date"),
        ({"seen": "2024-02-30"}, "/data/seen", "“2024-02-30” is not a date"),
        ({"seen_at": "yesterday"}, "/data/seen_at", "“yesterday” is not a date and time"),
        ({"seen_time": "25:00"}, "/data/seen_time", "“25:00” is not a time"),
        ({"health": "dead"}, "/data/health", "“dead” is not one of the question's choices"),
        ({"uses": "fruit firewood"}, "/data/uses", "“fruit firewood” is not one of the question's choices"),
        ({"main_use": "firewood"}, "/data/main_use", "“firewood” is not one of the question's choices"),
        ({"location": "91 36.1 0 5"}, "/data/site/location", "“91 36.1 0 5” is not a location"),
        ({"location": "-8.1 200 0 5"}, "/data/site/location", "“-8.1 200 0 5” is not a location"),
        ({"location": "here"}, "/data/site/location", "“here” is not a location"),
        ({"location": "-8.1 36.1 0 -5"}, "/data/site/location", "“-8.1 36.1 0 -5” is not a location"),
        ({"path": "-8.1 36.1;nowhere"}, "/data/site/path", "“-8.1 36.1;nowhere” is not a list of locations"),
        ({"girth": "wide"}, "/data/stems[1]/girth", "“wide” is not a decimal number"),
        ({"extra": "<colour>red</colour>"}, "/data/colour", "is not a question"),
        (
            {"location": "-8.1 36.1 0 5</location><altitude>12</altitude><location>"},
            "/data/site/altitude",
            "",
        ),
        ({"count": "<value>3</value>"}, "/data/count/value", "is not a question"),
    ],
)
def test_a_record_that_does_not_fit_its_form_is_refused_and_nothing_is_stored(checks, values, path, reason):
    response = checks.submit(record_xml(**values), {"stem1.jpg": JPEG})
    assert response.status_code == 400, response.content
    assert_openrosa_headers(response)
    message = message_of(response)[1]
    assert f"{path}:" in message or f"{path} is not a question" in message, message
    assert reason in message, message
    assert not Submission.objects.exists() and not Attachment.objects.exists()


def test_the_problem_is_named_with_the_repeat_occurrence(checks):
    xml = record_xml().replace(b"<stems><girth></girth>", b"<stems><girth>x</girth>")
    response = checks.submit(xml)
    assert response.status_code == 400
    assert "/data/stems[2]/girth: “x” is not a decimal number" in message_of(response)[1]


def test_the_web_form_path_is_checked_by_the_same_service(private_cast):
    """The web form writes its XML and hands it to submission_receive; a record that does not fit
    is refused there just the same (here: the service called as the web form calls it)."""
    form = upload(private_cast)
    services.form_publish(actor=private_cast.editor, form=form)
    collector = Collector(landscape=private_cast.landscape, user=private_cast.editor)
    with pytest.raises(ValidationFailed) as refused:
        services.submission_receive(collector=collector, xml=record_xml(count="many"), files={})
    assert refused.value.code == "form_mismatch"
    assert "/data/count: “many” is not a whole number" in str(refused.value)
    assert not Submission.objects.exists()


def test_a_record_of_an_older_version_is_checked_against_that_version(private_cast, checks):
    # Version 2 drops the height question and makes the count a decimal.
    survey = [row for row in SURVEY if row[1] != "tree_height"]
    survey = [["decimal", *row[1:]] if row[1] == "count" else row for row in survey]
    upload(private_cast, survey=survey, settings=[["form_id", "version"], ["checks", "2"]])
    assert checks.submit(record_xml("uuid:old", version="1")).status_code == 201  # v1 has tree_height
    response = checks.submit(record_xml("uuid:new", version="2"))
    assert response.status_code == 400
    assert "/data/tree_height is not a question" in message_of(response)[1]
    xml = record_xml("uuid:new", version="2", count="2.5").replace(b"<tree_height>12.5</tree_height>", b"")
    assert checks.submit(xml).status_code == 201  # a decimal count fits version 2, not version 1
    response = checks.submit(record_xml("uuid:old-2", version="1", count="2.5"))
    assert "/data/count: “2.5” is not a whole number" in message_of(response)[1]
    assert Submission.objects.count() == 2


def test_choices_known_only_on_the_phone_are_not_checked():
    survey = [
        ["type", "name", "label", "appearance"],
        ["select_one uses", "searched", "Searched", "search('villages')"],
        ["select_one_from_file villages.csv", "village", "Village", ""],
        ["select_one health", "health", "Health", ""],
    ]
    converted = convert_xlsform(
        data=xlsx(survey=survey, choices=CHOICES, settings=SETTINGS),
        filename="checks.xlsx",
        default_version="1",
        max_bytes=10**7,
    )
    shape = read_shape(converted.xform)
    assert shape.children["searched"].choices is None and shape.children["village"].choices is None
    assert shape.children["health"].choices == {"good", "poor"}
    ok = parse(
        b"<data id='checks'><searched>Kilolo</searched><village>Kilolo</village><health>good</health>"
        b"<meta><instanceID>uuid:x</instanceID><deprecatedID>uuid:w</deprecatedID>"
        b"<entity><label>x</label></entity></meta></data>"
    )
    check_instance(ok, shape)
    with pytest.raises(FormMismatch) as refused:
        check_instance(parse(b"<data id='checks'><health>Kilolo</health></data>"), shape)
    assert refused.value.params == {"path": "/data/health", "value": "Kilolo"}


@pytest.mark.parametrize(
    "values,path",
    [
        ({"tree_height": "12.5</tree_height><tree_height>13"}, "/data/tree_height"),
        ({"tree_height": "12.5</tree_height><tree_height>12.5"}, "/data/tree_height"),  # even the same
        ({"species": "Baobab</species><count>4</count><species>Acacia"}, "/data/species"),
        ({"extra": "<site><location>-8 36 0 5</location></site>"}, "/data/site"),  # a group
        ({"path": "-8.1 36.1 0 5</path><path>-8.2 36.2 0 5"}, "/data/site/path"),
        ({"girth": "140</girth><girth>141"}, "/data/stems[1]/girth"),
        ({"extra": "<start>2024-05-01T09:00:00.000+03:00</start>"}, "/data/start"),
    ],
)
def test_a_non_repeat_element_sent_twice_is_refused(checks, values, path):
    """Only the first occurrence would be read: the other answer would be lost without a word."""
    response = checks.submit(record_xml(**values), {"stem1.jpg": JPEG})
    assert response.status_code == 400, response.content
    assert_openrosa_headers(response)
    assert f"{path} appears twice; only repeat groups may" in message_of(response)[1]
    assert not Submission.objects.exists() and not Attachment.objects.exists()


@pytest.mark.parametrize(
    "twice",
    [
        b"<orx:instanceID>uuid:rec-1</orx:instanceID>",
        b"<orx:instanceID>uuid:rec-2</orx:instanceID>",
        b"<orx:audit>audit.csv</orx:audit>",
        b"<orx:instanceName>Baobab 2</orx:instanceName>",
    ],
)
def test_a_child_of_the_meta_block_sent_twice_is_refused(checks, twice):
    xml = record_xml().replace(b"</orx:meta>", twice + b"</orx:meta>")
    response = checks.submit(xml)
    assert response.status_code == 400, response.content
    name = twice.split(b">")[0].removeprefix(b"<orx:").decode()
    assert f"/data/meta/{name} appears twice; only repeat groups may" in message_of(response)[1]
    assert not Submission.objects.exists()


def test_the_meta_block_itself_sent_twice_is_refused(checks):
    xml = record_xml().replace(b"</data>", b"<meta><instanceName>x</instanceName></meta></data>")
    response = checks.submit(xml)
    assert response.status_code == 400
    assert "/data/meta appears twice" in message_of(response)[1]


def test_repeats_may_occur_many_times_and_the_meta_block_may_hold_what_collect_adds(checks):
    stems = b"".join(b"<stems><girth>%d</girth><photo/></stems>" % i for i in range(30))
    xml = record_xml().replace(b"<start>", stems + b"<start>", 1)
    xml = xml.replace(
        b"</orx:meta>",
        b"<orx:deprecatedID>uuid:rec-0</orx:deprecatedID>"
        b"<entity dataset='trees' id='1' create='1'><label>a</label><label>b</label></entity></orx:meta>",
    )
    response = checks.submit(xml, {"stem1.jpg": JPEG})
    assert response.status_code == 201, response.content
    assert len(Submission.objects.get().data["stems"]) == 32


@pytest.mark.parametrize(
    "count", ["2147483647", "-2147483648", "+12", "0", "-0", "0000000000000000000000000042"]
)
def test_whole_numbers_within_32_bits_are_accepted(checks, count):
    response = checks.submit(record_xml(count=count), {"stem1.jpg": JPEG})
    assert response.status_code == 201, response.content
    assert Submission.objects.get().data["count"] == count


@pytest.mark.parametrize(
    "count", ["2147483648", "-2147483649", "99999999999", "9223372036854775807", "9" * 5000]
)
def test_whole_numbers_beyond_32_bits_are_refused(checks, count):
    response = checks.submit(record_xml(count=count), {"stem1.jpg": JPEG})
    assert response.status_code == 400, response.content
    message = message_of(response)[1]
    assert f"/data/count: “{count[:60]}" in message, message
    assert "is outside the range of a whole number question (from -2147483648 to 2147483647)" in message
    assert not Submission.objects.exists()


LONG_FORM = b"""<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml">
<h:head><h:title>Longs</h:title><model>
<instance><data id="longs"><big/><small/><meta><instanceID/></meta></data></instance>
<bind nodeset="/data/big" type="long"/><bind nodeset="/data/small" type="short"/>
</model></h:head><h:body/></h:html>"""


def test_long_questions_take_64_bits_and_short_ones_32():
    shape = read_shape(LONG_FORM)
    fits = b"<data id='longs'><big>-9223372036854775808</big><small>2147483647</small></data>"
    check_instance(parse(fits), shape)
    with pytest.raises(FormMismatch) as refused:
        check_instance(parse(b"<data id='longs'><big>9223372036854775808</big></data>"), shape)
    assert refused.value.code == "long_out_of_range"
    assert refused.value.params == {"path": "/data/big", "value": "9223372036854775808"}
    with pytest.raises(FormMismatch) as refused:
        check_instance(parse(b"<data id='longs'><small>2147483648</small></data>"), shape)
    assert refused.value.code == "int_out_of_range"


def test_a_node_the_form_itself_repeats_may_be_repeated_by_its_records():
    form = LONG_FORM.replace(b"<small/>", b"<small/><small/>")
    shape = read_shape(form)
    check_instance(parse(b"<data id='longs'><small>1</small><small>2</small></data>"), shape)
    with pytest.raises(FormMismatch) as refused:
        check_instance(parse(b"<data id='longs'><big>1</big><big>2</big></data>"), shape)
    assert refused.value.code == "appears_twice" and refused.value.params["path"] == "/data/big"
