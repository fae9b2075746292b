"""The planning app's one router; the modules of this package add their endpoints to it."""

from ninja import Router

router = Router(tags=["planning"])
