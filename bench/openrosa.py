"""OpenRosa benchmark: submissions per second with a photo each, under retries, duplicates and splits.

Builds a throw-away SQLite database (or uses DATABASE_URL) with a landscape, a published form and a
collector token, starts gunicorn on loopback, then runs concurrent clients that behave as ODK Collect
does: HEAD then a multipart POST per record. Some records are sent twice (a lost response makes the
phone retry), some by two clients at the same instant (both answers must be 201), some are split
over two POSTs (same XML, one photo each), some uploads are cut off
halfway (the connection drops) before being sent again, and any request that fails at the network
or with a 5xx is retried. At the end the database is counted: every record exactly
once, with every photo, or the run fails.

    python bench/openrosa.py                    # 8 clients, 1,000 records, 1 MB photos
    python bench/openrosa.py --smoke            # 2 clients, 40 records, 50 KB photos: for CI
    python bench/openrosa.py --records 2000 --clients 8 --photo-kb 1024 --workers 4

Budget (DESIGN.md §5): 50 submissions/s with a photo each, no loss under retries and duplicates.
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR_DIR = tempfile.mkdtemp(prefix="landmosaic-bench-openrosa-")
if "DATABASE_URL" not in os.environ:
    os.environ["LANDMOSAIC_VAR_DIR"] = VAR_DIR
os.environ["MEDIA_ROOT"] = str(Path(VAR_DIR) / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landmosaic.config.settings.local")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["LOG_LEVEL"] = "ERROR"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from landmosaic.accounts.models import User  # noqa: E402
from landmosaic.fieldwork import services  # noqa: E402
from landmosaic.fieldwork.models import Attachment, Submission  # noqa: E402
from landmosaic.landscapes.services import landscape_create  # noqa: E402

BUDGET_PER_S = 50.0
BOUNDARY = "----landmosaic-bench"


def xlsform() -> bytes:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in [
        ["type", "name", "label"],
        ["text", "species", "Species"],
        ["integer", "count", "Count"],
        ["geopoint", "location", "Where"],
        ["image", "photo", "Photo"],
        ["image", "photo2", "Second photo"],
    ]:
        survey.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version", "form_title"])
    settings.append(["bench_trees", "1", "Benchmark trees"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def setup() -> str:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    editor = User.objects.create_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.org", password="bench-pass-123!"
    )
    landscape = landscape_create(actor=editor, name=f"Bench landscape {uuid.uuid4().hex[:6]}")
    form, _version, _created = services.form_upload(
        actor=editor, landscape=landscape, data=xlsform(), filename="bench.xlsx"
    )
    services.form_publish(actor=editor, form=form)
    _access, secret = services.collector_create(actor=editor, landscape=landscape, name="Bench phones")
    return secret


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, threads: int, preload: bool) -> subprocess.Popen:
    # --preload: Django is set up once before the workers fork, so the port opens only when they can
    # answer; without it the first seconds of the run measure four workers importing the project.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "landmosaic.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        *(["--preload"] if preload else []),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (gunicorn's workers):
    steadier than records/s on a machine shared with other work."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, ..., utime and stime are the 12th and 13th fields.
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def record_xml(instance_id: str, photos: list[str]) -> bytes:
    lat, lon = -8.1 + random.random() / 10, 36.1 + random.random() / 10
    names = [*photos, "", ""][:2]
    return (
        '<?xml version="1.0" ?><data id="bench_trees" version="1">'
        "<species>Baobab</species><count>3</count>"
        f"<location>{lat:.6f} {lon:.6f} 1200 5</location><photo>{names[0]}</photo><photo2>{names[1]}</photo2>"
        "<start>2024-05-01T09:00:00.000+03:00</start><end>2024-05-01T09:12:30.000+03:00</end>"
        "<today>2024-05-01</today><deviceid>bench:1</deviceid><username>bench</username>"
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def multipart(xml: bytes, files: dict[str, bytes], incomplete: bool) -> bytes:
    body = io.BytesIO()
    parts = [("xml_submission_file", "submission.xml", "text/xml", xml)]
    parts += [(name, name, "image/jpeg", content) for name, content in files.items()]
    for field, filename, kind, content in parts:
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n".encode()
        )
        body.write(content + b"\r\n")
    if incomplete:
        body.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="*isIncomplete*"\r\n\r\nyes\r\n'.encode()
        )
    body.write(f"--{BOUNDARY}--\r\n".encode())
    return body.getvalue()


def warm_up(port: int, secret: str, connections: int, rounds: int = 3) -> None:
    """Concurrent HEAD requests before the clock starts, so each worker has loaded the URL
    configuration and opened its database connections (a one-off cost, not throughput)."""

    def head() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("HEAD", f"/collect/{secret}/submission", headers={"X-OpenRosa-Version": "1.0"})
            connection.getresponse().read()
        finally:
            connection.close()

    for _round in range(rounds):
        threads = [threading.Thread(target=head) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


class Phone(threading.Thread):
    """One client: a keep-alive connection, HEAD then POST, retries on network errors and 5xx."""

    def __init__(self, port: int, secret: str, jobs: list[dict], photo: bytes, drop_rate: float):
        super().__init__(daemon=True)
        self.port, self.secret, self.jobs, self.photo = port, secret, jobs, photo
        self.drop_rate = drop_rate
        self.drops = 0
        self.connection: http.client.HTTPConnection | None = None
        self.latencies: list[float] = []
        self.requests = 0
        self.retries = 0
        self.errors: list[str] = []

    def _request(self, method: str, body: bytes | None = None) -> int:
        headers = {
            "X-OpenRosa-Version": "1.0",
            "Date": time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()),
        }
        if body is not None:
            headers["Content-Type"] = f"multipart/form-data; boundary={BOUNDARY}"
        for attempt in range(6):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                started = time.perf_counter()
                self.connection.request(
                    method, f"/collect/{self.secret}/submission", body=body, headers=headers
                )
                response = self.connection.getresponse()
                response.read()
                self.requests += 1
                if response.status >= 500:
                    raise ConnectionError(f"HTTP {response.status}")
                if method == "POST":
                    self.latencies.append(time.perf_counter() - started)
                return response.status
            except (OSError, http.client.HTTPException, ConnectionError):
                self.retries += 1
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
                time.sleep(0.05 * 2**attempt)
        raise RuntimeError(f"{method} failed six times")

    def _drop(self, body: bytes) -> None:
        """A connection lost mid-upload: half the body is sent, then the socket closes."""
        head = (
            f"POST /collect/{self.secret}/submission HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(head + body[: len(body) // 2])
        self.drops += 1

    def _post(self, xml: bytes, files: dict[str, bytes], incomplete: bool = False) -> None:
        body = multipart(xml, files, incomplete)
        if random.random() < self.drop_rate:
            self._drop(body)
        status = self._request("POST", body)
        if status != 201:
            self.errors.append(f"POST answered {status}")

    def run(self) -> None:
        for job in self.jobs:
            if self._request("HEAD") != 204:
                self.errors.append("HEAD did not answer 204")
            xml = record_xml(job["id"], job["photos"])
            if job["split"]:
                self._post(xml, {job["photos"][0]: self.photo}, incomplete=True)
                self._post(xml, {job["photos"][1]: self.photo[::-1]})
            else:
                self._post(xml, {job["photos"][0]: self.photo})
            if job["duplicate"]:  # the phone never saw the 201 and sends the whole record again
                self._post(xml, {name: self.photo for name in job["photos"][:1]})


class Twins(threading.Thread):
    """Records sent by two clients at the same instant (a phone retrying while its first upload is
    still being processed): each pair waits at a barrier with its request ready, then both send."""

    def __init__(self, port: int, secret: str, jobs: list[dict], photo: bytes):
        super().__init__(daemon=True)
        self.port, self.secret, self.jobs, self.photo = port, secret, jobs, photo
        self.drops = self.retries = self.requests = 0
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def _send(self, barrier: threading.Barrier, body: bytes, statuses: list[int]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"X-OpenRosa-Version": "1.0", "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        try:
            barrier.wait(timeout=30)
            started = time.perf_counter()
            connection.request("POST", f"/collect/{self.secret}/submission", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            self.latencies.append(time.perf_counter() - started)
            statuses.append(response.status)
        except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as exc:
            statuses.append(0)
            self.errors.append(f"simultaneous POST failed: {exc!r}")
        finally:
            connection.close()

    def run(self) -> None:
        for job in self.jobs:
            body = multipart(record_xml(job["id"], job["photos"]), {job["photos"][0]: self.photo}, False)
            barrier = threading.Barrier(2)
            statuses: list[int] = []
            pair = [threading.Thread(target=self._send, args=(barrier, body, statuses)) for _ in range(2)]
            for thread in pair:
                thread.start()
            for thread in pair:
                thread.join()
            self.requests += 2
            if statuses != [201, 201]:
                self.errors.append(f"simultaneous POSTs answered {statuses}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--photo-kb", type=int, default=1024)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--cold", action="store_true", help="time from a cold start: workers import the project in the run"
    )
    parser.add_argument("--duplicates", type=float, default=0.10)
    parser.add_argument("--splits", type=float, default=0.10)
    parser.add_argument("--drops", type=float, default=0.05, help="share of POSTs cut off halfway first")
    parser.add_argument(
        "--simultaneous", type=float, default=0.05, help="share of records sent by two clients at once"
    )
    args = parser.parse_args()
    if args.smoke:
        args.records, args.clients, args.photo_kb, args.workers = 40, 2, 50, 2
        args.simultaneous = max(args.simultaneous, 0.15)

    random.seed(42)
    secret = setup()
    photo = b"\xff\xd8\xff\xe0" + os.urandom(args.photo_kb * 1024 - 4)
    jobs = []
    for i in range(args.records):
        split = random.random() < args.splits
        jobs.append(
            {
                "id": f"uuid:{uuid.uuid4()}",
                "photos": [f"p{i}a.jpg", f"p{i}b.jpg"] if split else [f"p{i}.jpg"],
                "split": split,
                "duplicate": random.random() < args.duplicates,
                "twin": not split and random.random() < args.simultaneous,
            }
        )
    twins = [j for j in jobs if j["twin"]]
    port = free_port()
    server = start_server(port, args.workers, args.threads, preload=not args.cold)
    try:
        if not args.cold:
            warm_up(port, secret, args.workers * args.threads)
        alone = [j for j in jobs if not j["twin"]]
        phones = [
            Phone(port, secret, alone[i :: args.clients], photo, args.drops) for i in range(args.clients)
        ] + [Twins(port, secret, twins, photo)]
        server_cpu = process_tree_cpu(server.pid)
        client_cpu = time.process_time()
        started = time.perf_counter()
        for phone in phones:
            phone.start()
        for phone in phones:
            phone.join()
        elapsed = time.perf_counter() - started
        server_cpu = process_tree_cpu(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        load = os.getloadavg()[0]
    finally:
        server.terminate()
        server.wait(timeout=30)

    errors = [e for p in phones for e in p.errors]
    latencies = sorted(x for p in phones for x in p.latencies)
    records = Submission.objects.filter(instance_id__in=[j["id"] for j in jobs]).count()
    expected_files = sum(len(j["photos"]) for j in jobs)
    files = Attachment.objects.filter(submission__instance_id__in=[j["id"] for j in jobs]).count()
    rate = args.records / elapsed
    print(
        f"records: {args.records} from {args.clients} clients, photo {args.photo_kb} KB, "
        f"{sum(j['duplicate'] for j in alone)} sent twice, {sum(j['split'] for j in jobs)} split, "
        f"{len(twins)} sent by two clients at the same instant"
    )
    print(
        f"requests: {sum(p.requests for p in phones)} (HEAD + POST), uploads cut off halfway and sent again: "
        f"{sum(p.drops for p in phones)}, network retries: {sum(p.retries for p in phones)}"
    )
    print(
        f"elapsed: {elapsed:.1f} s; POST latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1] * 1000:.0f} ms"
    )
    print(f"stored: {records} records (expected {args.records}), {files} photos (expected {expected_files})")
    posts = sum(len(p.latencies) for p in phones)
    print(
        f"server CPU: {server_cpu:.1f} s = {server_cpu / posts * 1000:.1f} ms per POST "
        f"({server_cpu / args.records * 1000:.1f} ms per record); bench clients' CPU {client_cpu:.1f} s; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"throughput: {rate:.1f} records/s; budget {BUDGET_PER_S:.0f}/s -> ratio {rate / BUDGET_PER_S:.2f}")
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    if errors or records != args.records or files != expected_files:
        print(f"FAILED: {len(errors)} refused requests {errors[:3]}; lost or doubled records or photos")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
