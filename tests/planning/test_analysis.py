"""Pure computations: quadrants, grid and network layouts, inclusion checks, suggestions, CSV cells."""

from __future__ import annotations

import pytest

from landmosaic.planning import analysis, csvio
from landmosaic.planning.checks import Record, gap_count, inclusion_checks
from landmosaic.planning.suggestions import Facts, suggest, suggestion_for


@pytest.mark.parametrize(
    "influence,interest,expected",
    [
        (5, 5, "manage_closely"),
        (3, 3, "manage_closely"),  # the midpoint counts as high
        (5, 1, "keep_satisfied"),
        (3, 2, "keep_satisfied"),
        (1, 5, "keep_informed"),
        (2, 3, "keep_informed"),
        (1, 1, "monitor"),
        (2, 2, "monitor"),
    ],
)
def test_quadrants(influence, interest, expected):
    assert analysis.quadrant(influence, interest) == expected


def test_every_quadrant_has_a_strategy():
    assert set(analysis.QUADRANTS) == {"manage_closely", "keep_satisfied", "keep_informed", "monitor"}
    assert analysis.strategy_label("monitor") == "Monitor"


def test_grid_places_dots_in_their_cell_and_spreads_shared_cells():
    items = [(1, "A", 5, 5), (2, "B", 1, 1), (3, "C", 1, 1), (4, "D", 1, 1)]
    grid = analysis.grid_layout(items)
    assert [d.number for d in grid.dots] == [1, 2, 3, 4]
    a = grid.dots[0]
    # influence 5 is the top row, interest 5 the right column
    assert analysis.PLOT_X + 4 * analysis.CELL < a.x < analysis.PLOT_X + 5 * analysis.CELL
    assert analysis.PLOT_Y < a.y < analysis.PLOT_Y + analysis.CELL
    shared = grid.dots[1:]
    assert len({(d.x, d.y) for d in shared}) == 3  # no dot hides another
    for d in shared:
        assert analysis.PLOT_X < d.x < analysis.PLOT_X + analysis.CELL
        assert analysis.PLOT_Y + 4 * analysis.CELL < d.y < analysis.PLOT_Y + 5 * analysis.CELL
        assert d.quadrant == "monitor"
    assert grid.by_quadrant()["manage_closely"] == [a]


def test_grid_areas_cover_the_plot():
    grid = analysis.grid_layout([])
    assert sum(a.width * a.height for a in grid.areas) == analysis.PLOT**2
    assert {a.quadrant for a in grid.areas} == set(analysis.QUADRANTS)


def test_network_layout_is_deterministic_and_keeps_only_linked_stakeholders():
    stakeholders = [
        (1, "Zeta", "public"),
        (2, "Alpha", "private"),
        (3, "Loner", "community"),
        (4, "Beta", "public"),
    ]
    relations = [(1, 2, "funds", True), (2, 1, "collaborates", False), (4, 1, "regulates", True)]
    first = analysis.network_layout(stakeholders, relations)
    again = analysis.network_layout(list(reversed(stakeholders)), relations)
    assert first == again
    assert [n.name for n in first.nodes] == ["Alpha", "Beta", "Zeta"]  # by sector, then name
    assert len(first.edges) == 3
    # two relations between the same pair fan out instead of overlapping
    pair = [e.path for e in first.edges if {e.source, e.target} == {"Alpha", "Zeta"}]
    assert len(set(pair)) == 2
    centre = analysis.NETWORK_SIZE / 2
    for node in first.nodes:
        assert abs(((node.x - centre) ** 2 + (node.y - centre) ** 2) ** 0.5 - analysis.NETWORK_RADIUS) < 0.2


def _record(name, sector="civil_society", influence=3, interest=3, participation="consult", represents=()):
    return Record(name, sector, influence, interest, participation, frozenset(represents))


def test_inclusion_checks_flag_every_gap_of_an_empty_register():
    results = {r.code: r for r in inclusion_checks([])}
    assert not results["women"].ok and "women" in results["women"].message
    assert not results["youth"].ok and "youth organisation" in results["youth"].message
    assert not results["indigenous"].ok and "Indigenous" in results["indigenous"].message
    assert not results["government"].ok and "government" in results["government"].message
    assert not results["private_engaged"].ok
    assert results["key_players_engaged"].ok


def test_private_sector_check_needs_high_influence_and_involvement():
    informed = [_record("Big buyer", "private", influence=5, participation="consult")]
    result = {r.code: r for r in inclusion_checks(informed)}["private_engaged"]
    assert not result.ok and result.names == ("Big buyer",)
    weak = [_record("Small shop", "private", influence=3, participation="empower")]
    assert not {r.code: r for r in inclusion_checks(weak)}["private_engaged"].ok
    involved = [_record("Big buyer", "private", influence=4, participation="involve")]
    assert {r.code: r for r in inclusion_checks(involved)}["private_engaged"].ok


def test_key_players_only_informed_are_named():
    results = {r.code: r for r in inclusion_checks([_record("Ministry", "public", 5, 5, "inform")])}
    assert not results["key_players_engaged"].ok
    assert results["key_players_engaged"].names == ("Ministry",)


def test_checks_clear_when_the_register_is_inclusive():
    records = [
        _record("Council", "public", 5, 4, "collaborate"),
        _record("Buyer", "private", 4, 3, "involve"),
        _record("Women's union", "community", represents=["women", "smallholders"]),
        _record("Youth club", represents=["youth"]),
        _record("Indigenous council", "community", represents=["indigenous"]),
    ]
    assert gap_count(inclusion_checks(records)) == 0


def test_suggestions_from_what_exists():
    nothing = suggest(Facts())
    assert nothing["1.1"].status == "not_started"
    assert nothing["2.1"].status == "not_started"
    assert suggestion_for(Facts(), "3.3").status == "not_started"  # outputs without a rule
    assert suggestion_for(Facts(), "3.3").reasons == ()
    facts = Facts(boundary_kind="polygon", stakeholders=2, sectors=1, inclusion_gaps=6, relations=1)
    found = suggest(facts)
    assert found["2.1"].status == "in_progress"
    assert found["1.1"].status == "in_progress"
    assert any("6 gaps" in r for r in found["1.1"].reasons)
    assert found["2.4"].status == "in_progress"
    assert suggest(Facts(boundary_kind="point"))["2.1"].status == "not_started"
    assert suggest(Facts(has_lead_organisation=True))["1.3"].status == "in_progress"


def test_stakeholder_output_is_suggested_complete_only_when_broad_and_inclusive():
    assert suggest(Facts(stakeholders=5, sectors=3, inclusion_gaps=0))["1.1"].status == "complete"
    assert suggest(Facts(stakeholders=5, sectors=2, inclusion_gaps=0))["1.1"].status == "in_progress"
    assert suggest(Facts(stakeholders=9, sectors=4, inclusion_gaps=1))["1.1"].status == "in_progress"
    # a suggestion never says "validated": that is a human judgement
    assert all(s.status != "validated" for s in suggest(Facts(stakeholders=50, sectors=5)).values())


@pytest.mark.parametrize(
    "cell,expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+255 700 000", "'+255 700 000"),
        ("-1", "-1"),  # a plain number is not a formula
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain name", "Plain name"),
        (4, "4"),
        (None, ""),
    ],
)
def test_neutralise_formula_cells(cell, expected):
    assert csvio.neutralise(cell) == expected
    assert csvio.restore(csvio.neutralise(cell)) == ("" if cell is None else str(cell))
