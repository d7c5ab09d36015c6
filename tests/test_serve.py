"""The preview server over real HTTP on 127.0.0.1: types, validators, HEAD, gzip, and no way out of out/."""

from __future__ import annotations

import email.utils
import gzip
import http.client
import os
import threading
from pathlib import Path

import pytest

from syllabus_export.errors import SyllabusError
from syllabus_export.serve import banner, make_server

SECRET = b"TOP-SECRET outside out/\n"
PAGE = b"<!DOCTYPE html><html lang=vi><title>x</title>" + "Lịch học ".encode() * 200
FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + b"X-FILL:" + b"x" * 600 + b"\r\nEND:VCALENDAR\r\n"
PDF = b"%PDF-1.4\n" + b"0" * 2000 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    (base / "secret.txt").write_bytes(SECRET)
    out = base / "out"
    folder = out / "dlsp20" / "nyu-2020-spring"
    folder.mkdir(parents=True)
    (out / "index.html").write_bytes(b"<!DOCTYPE html><title>courses</title>")
    (folder / "index.html").write_bytes(PAGE)
    (folder / "calendar.ics").write_bytes(FEED)
    (folder / "syllabus.pdf").write_bytes(PDF)
    (folder / "changes.json").write_bytes(b'{"changes": []}' + b" " * 300)
    (folder / ".inputs.sha256").write_bytes(b"abc")
    (out / "empty").mkdir()
    (out / "link-out.txt").symlink_to(base / "secret.txt")
    (out / "dir-out").symlink_to(base)
    (out / "inside.ics").symlink_to(folder / "calendar.ics")
    server = make_server(out, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield out, server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(5)


def get(site, path: str, method: str = "GET", **headers: str):
    _, port = site
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest(method, path, skip_host=False, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name.replace("_", "-"), value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/dlsp20/nyu-2020-spring/calendar.ics", "text/calendar; charset=utf-8"),
        ("/dlsp20/nyu-2020-spring/index.html", "text/html; charset=utf-8"),
        ("/dlsp20/nyu-2020-spring/", "text/html; charset=utf-8"),
        ("/dlsp20/nyu-2020-spring/syllabus.pdf", "application/pdf"),
        ("/dlsp20/nyu-2020-spring/changes.json", "application/json"),
        ("/", "text/html; charset=utf-8"),
        ("/inside.ics", "text/calendar; charset=utf-8"),  # a symlink that stays inside is fine
    ],
)
def test_content_types(site, path, kind):
    status, headers, body = get(site, path)
    assert status == 200
    assert headers["content-type"] == kind
    assert int(headers["content-length"]) == len(body)
    assert headers["etag"].startswith('"') and headers["etag"].endswith('"')
    assert email.utils.parsedate_to_datetime(headers["last-modified"])


def test_the_page_is_the_file(site):
    status, _, body = get(site, "/dlsp20/nyu-2020-spring/")
    assert status == 200 and body == PAGE


def test_etag_gives_304(site):
    _, headers, _ = get(site, "/dlsp20/nyu-2020-spring/calendar.ics")
    status, again, body = get(site, "/dlsp20/nyu-2020-spring/calendar.ics", If_None_Match=headers["etag"])
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]
    status, _, body = get(site, "/dlsp20/nyu-2020-spring/calendar.ics", If_None_Match='"other", ' + headers["etag"])
    assert status == 304
    status, _, body = get(site, "/dlsp20/nyu-2020-spring/calendar.ics", If_None_Match='"other"')
    assert status == 200 and body == FEED


def test_if_modified_since_gives_304(site):
    _, headers, _ = get(site, "/dlsp20/nyu-2020-spring/calendar.ics")
    status, _, body = get(site, "/dlsp20/nyu-2020-spring/calendar.ics", If_Modified_Since=headers["last-modified"])
    assert status == 304 and body == b""
    status, _, body = get(site, "/dlsp20/nyu-2020-spring/calendar.ics",
                          If_Modified_Since="Mon, 01 Jan 2001 00:00:00 GMT")
    assert status == 200 and body == FEED
    # If-None-Match decides when both are sent (RFC 9110 §13.2.2).
    status, _, _ = get(site, "/dlsp20/nyu-2020-spring/calendar.ics", If_None_Match='"other"',
                       If_Modified_Since=headers["last-modified"])
    assert status == 200


def test_etag_follows_the_content(site):
    out, _ = site
    path = out / "changing.json"
    path.write_bytes(b'{"a": 1}')
    _, first, _ = get(site, "/changing.json")
    path.write_bytes(b'{"a": 2}')
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 5_000_000_000))
    status, second, body = get(site, "/changing.json", If_None_Match=first["etag"])
    assert status == 200 and body == b'{"a": 2}' and second["etag"] != first["etag"]


def test_head_has_headers_and_no_body(site):
    _, got, body = get(site, "/dlsp20/nyu-2020-spring/syllabus.pdf")
    status, head, nothing = get(site, "/dlsp20/nyu-2020-spring/syllabus.pdf", method="HEAD")
    assert status == 200 and nothing == b""
    assert head["content-length"] == str(len(body)) and head["etag"] == got["etag"]
    assert get(site, "/nope", method="HEAD")[2] == b""


def test_gzip_only_when_asked(site):
    status, headers, body = get(site, "/dlsp20/nyu-2020-spring/index.html")
    assert "content-encoding" not in headers and body == PAGE
    status, zipped, body = get(site, "/dlsp20/nyu-2020-spring/index.html", Accept_Encoding="gzip, deflate")
    assert status == 200 and zipped["content-encoding"] == "gzip" and gzip.decompress(body) == PAGE
    assert zipped["etag"] != headers["etag"] and "Accept-Encoding" in zipped["vary"]
    status, _, _ = get(site, "/dlsp20/nyu-2020-spring/index.html", Accept_Encoding="gzip",
                       If_None_Match=zipped["etag"])
    assert status == 304
    status, refused, body = get(site, "/dlsp20/nyu-2020-spring/index.html", Accept_Encoding="gzip;q=0, identity")
    assert "content-encoding" not in refused and body == PAGE


@pytest.mark.parametrize("name", ["syllabus.pdf", "calendar.ics"])
def test_no_gzip_for_pdf_and_feeds(site, name):
    status, headers, body = get(site, f"/dlsp20/nyu-2020-spring/{name}", Accept_Encoding="gzip")
    assert status == 200 and "content-encoding" not in headers
    assert body == (PDF if name.endswith(".pdf") else FEED)


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/dlsp20/../../secret.txt",
        "/dlsp20/nyu-2020-spring/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "///etc/passwd",
        "/%2fetc/passwd",
        "/dlsp20%2fnyu-2020-spring/index.html",
        "/link-out.txt",
        "/dir-out/secret.txt",
        "/dlsp20/nyu-2020-spring/.inputs.sha256",
        "/secret.txt%00.html",
        "http://example.org/../secret.txt",
        "/%ff%fe",
    ],
)
def test_no_way_out(site, path):
    status, _, body = get(site, path)
    assert status in (400, 403, 404), (path, status)
    assert SECRET not in body and b"root:" not in body


def test_folders(site):
    status, headers, _ = get(site, "/dlsp20/nyu-2020-spring")
    assert status == 301 and headers["location"] == "/dlsp20/nyu-2020-spring/"
    assert get(site, "/empty/")[0] == 404  # no listing
    assert get(site, "/dlsp20/")[0] == 404
    assert get(site, "/missing.ics")[0] == 404


def test_other_methods_refused(site):
    assert get(site, "/dlsp20/nyu-2020-spring/calendar.ics", method="POST")[0] == 501


def test_banner_names_pages_and_feeds(site):
    out, port = site
    text = banner("127.0.0.1", port, out)
    assert f"http://127.0.0.1:{port}/dlsp20/nyu-2020-spring/" in text
    assert f"webcal://127.0.0.1:{port}/dlsp20/nyu-2020-spring/calendar.ics" in text
    assert "--host 0.0.0.0" in text and "this machine only" in text
    assert "0.0.0.0" not in banner("0.0.0.0", port, out).split("\n")[1]  # a reachable address is shown instead


def test_missing_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(SyllabusError, match="run `syllabus-export build` first"):
        make_server(tmp_path / "out", "127.0.0.1", 0)
