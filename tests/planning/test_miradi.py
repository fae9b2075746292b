"""The Miradi export against Miradi's own schema (revision 212, RELAX NG, see miradi_schema/README.md)."""

from __future__ import annotations

from lxml import etree

from landmosaic.planning import miradi, selectors, services

from .conftest import INSIDE, make_action, make_goal, make_objective, make_strategy
from .miradi_schema import SCHEMA, assert_valid_miradi, miradi_errors
from .test_plan_pages import _fill

M = f"{{{miradi.NAMESPACE}}}"


def _xml(cast, actor=None) -> bytes:
    doc = selectors.plan_document_get(actor=actor or cast.member, landscape=cast.landscape)
    return miradi.project_xml(doc)


def test_the_export_targets_the_schema_it_is_checked_against():
    grammar = etree.parse(str(SCHEMA)).getroot()
    assert grammar.nsmap["miradi"] == miradi.NAMESPACE


def test_a_full_plan_conforms_to_miradis_schema(private_cast):
    cast = private_cast
    _fill(cast)
    services.zone_save(
        actor=cast.editor, landscape=cast.landscape, name="Farms", kind="economic", geometry=INSIDE
    )
    goal = make_goal(cast, title="Incomes", description="First line\nsecond line")
    make_action(
        cast, make_strategy(cast, make_objective(cast, goal)), title="Market days", description="Weekly"
    )
    xml = _xml(cast)
    assert_valid_miradi(xml)
    root = etree.fromstring(xml)
    # The sections the schema requires are there even when the plan has nothing for them.
    for name in ("ExportDetails", "ProjectSummaryLocation", "TncProjectData", "FosProjectData", "ExtraData"):
        assert root.find(f"{M}{name}") is not None
    assert root.findtext(f"{M}ExportDetails/{M}ExporterName") == "Landmosaic"
    # Multi-line text is Miradi's formatted text: lines separated by <br/> (no namespace).
    [incomes] = [g for g in root.iter(f"{M}Goal") if g.findtext(f"{M}GoalName") == "Incomes"]
    details = incomes.find(f"{M}GoalDetails")
    assert details.find("br") is not None and "second line" in "".join(details.itertext())
    item = root.find(f"{M}ExtraData/{M}ExtraDataSection/{M}ExtraDataItem[@ExtraDataItemName='LandscapeSlug']")
    assert item.findtext(f"{M}ExtraDataItemValue") == cast.landscape.slug


def test_an_empty_plan_conforms_too(private_cast):
    assert_valid_miradi(_xml(private_cast))


def test_the_schema_check_refuses_what_miradi_would_refuse(private_cast):
    """The validator is real: a missing required section, an unknown element or a text where an id belongs
    each fail."""
    cast = private_cast
    _fill(cast)
    good = _xml(cast)
    assert miradi_errors(good) == []

    def broken(change) -> bytes:
        root = etree.fromstring(good)
        change(root)
        return etree.tostring(root)

    assert miradi_errors(broken(lambda r: r.remove(r.find(f"{M}ExportDetails"))))
    assert miradi_errors(
        broken(lambda r: etree.SubElement(r.find(f"{M}StrategyPool/{M}Strategy"), f"{M}StrategyUUID"))
    )

    def text_as_reference(root):
        root.find(f"{M}StrategyPool/{M}Strategy/{M}StrategySortedActivityIds/{M}ActivityId").text = "A1"

    assert miradi_errors(broken(text_as_reference))
