"""API schemas of the planning app, one module per part of the plan."""

from .dashboard import *  # noqa: F403 - the dashboard's schemas, as before the split
