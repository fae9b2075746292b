from tests.datasets.conftest import ingest, media

__all__ = ["ingest", "media"]
