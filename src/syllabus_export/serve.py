"""A preview server for ``out/``: what a static host does, on this machine (``syllabus-export serve``).

Standard library only. It serves files as a careful static host would: calendar feeds as
``text/calendar; charset=utf-8``, a strong ETag (a hash of the content) and Last-Modified on
every file, 304 for conditional requests, HEAD, gzip only for a client that asks for it, and
never anything outside ``out/``: ``..`` (plain or percent-encoded), encoded slashes, hidden
files and symlinks that lead outside answer 404 or 403, and a folder answers with its
``index.html`` or 404, never a listing. It is a preview: publish ``out/`` with a real web server.

Library code: it prints nothing; ``banner`` returns the text the command line shows.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import http.server
import mimetypes
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote

from syllabus_export.errors import Pos, Problem, SyllabusError, quoted

TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
}
# Compressed on request. Not PDFs (their streams are compressed already) and not feeds: one
# report has Outlook's subscription break on a gzipped feed (shared/notes/subscribe-links.md).
GZIP_TYPES = (".html", ".htm", ".json", ".txt", ".css", ".js", ".svg")
GZIP_MIN_BYTES = 256
LOOPBACK = ("127.0.0.1", "localhost", "::1")
ANY = ("0.0.0.0", "::", "")


class PreviewServer(http.server.ThreadingHTTPServer):
    """A ThreadingHTTPServer that knows its root folder (resolved) and caches content hashes."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, log: Callable[[str], None] | None = None):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.root = root
        self.log = log
        self._hashes: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()
        super().__init__(address, _Handler)

    def etag(self, path: Path, stat: os.stat_result, data: bytes) -> str:
        """A strong validator from the bytes; cached per (path, mtime, size) so a hash is computed once."""
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            tag = self._hashes.get(key)
            if tag is None:
                tag = hashlib.sha256(data).hexdigest()[:32]
                if len(self._hashes) > 4096:
                    self._hashes.clear()
                self._hashes[key] = tag
        return tag


def make_server(
    out_dir: Path | str, host: str = "127.0.0.1", port: int = 8000, *, log: Callable[[str], None] | None = None
) -> PreviewServer:
    """A server bound to (``host``, ``port``) for ``out_dir``, not yet serving (port 0: any free port).

    ``log`` receives one line per request; None: silent. Call ``serve_forever()`` on the result
    (in a thread for tests) and ``shutdown()`` / ``server_close()`` to stop it.

    Raises:
        SyllabusError: ``out_dir`` is not a folder (nothing built yet).
        OSError: the address cannot be bound (port in use, unknown host).
    """
    root = Path(out_dir)
    if not root.is_dir():
        raise SyllabusError([Problem(pos=Pos(path=str(out_dir)),
                                     message="no such folder (run `syllabus-export build` first, or give --out)")])
    return PreviewServer((host, port), root.resolve(), log)


def banner(host: str, port: int, out_dir: Path | str) -> str:
    """What to open and subscribe to: each page, each feed as ``webcal://``, and who can reach them."""
    root = Path(out_dir)
    shown = _shown_host(host)
    base = f"http://{shown}:{port}"
    lines = [f"Serving {_printable(root)} at {base}/ (a preview server: publish {_printable(root)} with a real "
             "web server)"]
    if (root / "index.html").is_file():
        lines.append(f"  all courses:  {base}/")
    served = root.resolve()
    pages = [p for p in sorted(root.glob("*/*/index.html")) if _inside(p.parent, served)]
    for page in pages:  # a folder that leads out of out/ (a symlink) is not served: not listed either
        course, term = page.parent.parent.name, page.parent.name
        if course.startswith(".") or term.startswith("."):
            continue
        folder = f"{_quoted(course)}/{_quoted(term)}"
        lines.append(f"  {_printable(course)} {_printable(term)}")
        lines.append(f"    page:       {base}/{folder}/")
        for feed in sorted(page.parent.glob("calendar*.ics")):
            lines.append(f"    subscribe:  webcal://{shown}:{port}/{folder}/{_quoted(feed.name)}")
        if (page.parent / "syllabus.pdf").is_file():
            lines.append(f"    PDF:        {base}/{folder}/syllabus.pdf")
    if not pages and not any(root.glob("*/*/calendar*.ics")):
        lines.append("  nothing built here yet: run `syllabus-export build` first")
    if host in LOOPBACK:
        lines.append(f"{host} is reachable from this machine only; to open the page or subscribe from a phone "
                     "on the same network, use --host 0.0.0.0 and the address this machine has there.")
    elif host in ANY:
        lines.append("Listening on every network interface: anyone on this network can read these files. "
                     "Stop the server (Ctrl+C) when you are done.")
    lines.append("Calendar apps on the internet (Google, Outlook.com) cannot reach this server; "
                 "they need the published feed.")
    return "\n".join(lines) + "\n"


def _quoted(name: str) -> str:
    """A file name in a URL: its bytes percent-encoded, also those that are not UTF-8 (a name the build
    never writes, but a folder someone put in out/ may have)."""
    return quote(name, errors="surrogateescape")


def _printable(name: object) -> str:
    """A path for the terminal: bytes that are not UTF-8 and control characters escaped."""
    return quoted(str(name).encode("utf-8", "surrogateescape").decode("utf-8", "replace"), limit=400)


def _shown_host(host: str) -> str:
    """The address to print: for "every interface", this machine's address on its network, if known."""
    if host in ANY:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
                return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


class _Handler(http.server.BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "syllabus-export-preview"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
        self._respond(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        if self.server.log is not None:
            # The request line is the client's: never a raw control character on the terminal.
            self.server.log(f"{self.address_string()} {quoted(format % args, limit=2000)}")

    # -- the request --

    def _respond(self, *, body: bool) -> None:
        raw = self.path.split("#", 1)[0]
        raw_path, _, query = raw.partition("?")
        target = self._resolve(raw_path)
        if isinstance(target, int):
            self._error(target, body=body)
            return
        if target.is_dir():
            if not raw_path.endswith("/"):  # relative links in index.html need the slash
                self._redirect(raw_path + "/" + (f"?{query}" if query else ""), body=body)
                return
            target = target / "index.html"
            if target.is_symlink() and not _inside(target, self.server.root):
                self._error(403, body=body)
                return
        if not target.is_file():
            self._error(404, body=body)
            return
        try:
            with open(target, "rb") as handle:
                stat = os.fstat(handle.fileno())
                data = handle.read()
        except OSError:
            self._error(404, body=body)
            return
        self._send_file(target, stat, data, body=body)

    def _resolve(self, raw_path: str) -> Path | int:
        """The file a request path names inside the root, or an HTTP status that refuses it."""
        if not raw_path.startswith("/"):
            return 400  # absolute-form ("http://host/x") and other request targets a file server does not take
        lowered = raw_path.lower()
        if "%2f" in lowered or "%5c" in lowered or "\\" in raw_path or "%00" in lowered:
            return 404  # an encoded slash or backslash names no file in a folder tree
        try:
            decoded = unquote(raw_path, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            return 400
        segments = [s for s in decoded.split("/") if s]
        if any(s in (".", "..") or s.startswith(".") or "\x00" in s for s in segments):
            return 404  # no way up, and hidden files (a build's temporary files, its stamp) stay hidden
        candidate = self.server.root.joinpath(*segments)
        if not _inside(candidate, self.server.root):
            return 403  # a symlink that leads out of the folder
        return candidate

    # -- the response --

    def _send_file(self, path: Path, stat: os.stat_result, data: bytes, *, body: bool) -> None:
        suffix = path.suffix.lower()
        kind = TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        tag = self.server.etag(path, stat, data)
        compressible = suffix in GZIP_TYPES and len(data) >= GZIP_MIN_BYTES
        zipped = compressible and _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        etag = f'"{tag}-gz"' if zipped else f'"{tag}"'  # each encoding is its own representation
        modified = int(stat.st_mtime)
        headers = {
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(modified, usegmt=True),
            "Cache-Control": "no-cache",  # a preview: always ask, so a rebuild shows at once
            "X-Content-Type-Options": "nosniff",
        }
        if compressible:
            headers["Vary"] = "Accept-Encoding"
        if _not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified):
            self.send_response(304)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            return
        payload = gzip.compress(data, compresslevel=6, mtime=0) if zipped else data
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def _redirect(self, location: str, *, body: bool) -> None:
        text = b"Moved: add a slash at the end.\n"
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body:
            self.wfile.write(text)

    def _error(self, status: int, *, body: bool) -> None:
        text = {400: b"Bad request.\n", 403: b"Forbidden.\n", 404: b"Not found.\n"}.get(status, b"Error.\n")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(text)


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink followed, is ``root`` or below it. A missing path is inside."""
    try:
        resolved = path.resolve(strict=False)
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return resolved == root or root in resolved.parents


def _accepts_gzip(header: str) -> bool:
    """``Accept-Encoding`` lists gzip (or ``*``) with a q-value above zero."""
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() not in ("gzip", "x-gzip", "*"):
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            return True
    return False


def _not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str, modified: int) -> bool:
    """RFC 9110 §13.1.2–13.2.2: If-None-Match (weak comparison) decides; without it, If-Modified-Since."""
    if if_none_match is not None:
        if if_none_match.strip() == "*":
            return True
        opaque = etag.removeprefix("W/")
        return any(tag.strip().removeprefix("W/") == opaque for tag in if_none_match.split(","))
    if if_modified_since:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError):
            return False
        if since is None or since.tzinfo is None:
            return False
        return modified <= int(since.timestamp())
    return False
