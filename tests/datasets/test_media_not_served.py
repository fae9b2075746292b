"""Stored files are never reachable by their address: only the permission-checked download views
serve them. Asked over HTTP, every spelling of a stored path answers 404.

Django's test live server adds a handler of its own that serves MEDIA_URL from MEDIA_ROOT (a test
convenience no deployment has), so the addresses are asked of the project's WSGI application itself,
served over HTTP by a server started here."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

from landmosaic.datasets import services
from tests.datasets.builders import points_csv
from tests.datasets.conftest import created


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def app_url() -> Iterator[str]:
    """The project's WSGI application (landmosaic.config.wsgi) over HTTP on a free port."""
    from landmosaic.config.wsgi import application

    server: WSGIServer = make_server("127.0.0.1", 0, application, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def stored(public_cast, ingest):
    """A public dataset's files: open to anyone through the views, so only the address is tested."""
    dataset = created(ingest(public_cast.landscape, public_cast.editor, points_csv(), "wells.csv"))[0]
    services.dataset_set_sharing(actor=public_cast.manager, dataset=dataset, visibility="public")
    return dataset


def test_stored_files_answer_404_by_any_address(app_url, settings, media, stored):
    version = stored.current_version
    paths = [version.original_path, version.normalised_path]
    for path in paths:
        assert (media / path).is_file()  # the files exist: a 404 is not an accident of a missing file
    for path in paths:
        for prefix in ("/media/", settings.MEDIA_URL, "/", "/static/", "/static/../media/"):
            assert status(f"{app_url}{prefix}{path}") == 404, f"{prefix}{path}"
        assert status(f"{app_url}/media/{path.rsplit('/', 1)[-1]}") == 404


def test_the_download_view_serves_them_to_whom_may_download(client, stored):
    """The same file through the view (the dataset is public: anyone may download it)."""
    url = f"/landscapes/{stored.landscape.slug}/data/{stored.slug}/versions/1/download/original/"
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == points_csv()
