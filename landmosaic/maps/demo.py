"""Demo content of the maps app: a public point map of the valley's water points, coloured by their
state, so a newcomer sees a data map at once (after the datasets step has made the layer)."""

from __future__ import annotations

from landmosaic.core.permissions import Visibility
from landmosaic.datasets.selectors import dataset_list
from landmosaic.landscapes.demo import DemoContext, register_demo_step

from . import services


@register_demo_step(name="maps", order=15)
def load_demo_point_maps(context: DemoContext) -> None:
    water = dataset_list(actor=context.manager, landscape=context.valley, search="Water points").first()
    if water is None:  # the datasets step did not run
        return
    services.point_map_create(
        actor=context.editor,
        dataset=water,
        title="Water points by state",
        description="Every borehole, well, spring and tap of the valley, coloured by its state at the "
        "last check. Tap a point to see its kind, depth and how many households it serves.",
        latitude_field="latitude",
        longitude_field="longitude",
        colour_field="status",
        point_size=7,
        popup_fields=["name", "kind", "status", "depth_m", "households", "last_checked"],
        visibility=Visibility.PUBLIC,
    )
