"""The only stage that touches ``out/``: reads what is published, writes what a build made.

Every output of a course is rendered in memory first; only then are files written, each into a
temporary file beside its target and renamed over it, so a reader never sees half a file and a
failed build leaves what was published as it was. A file whose bytes did not change is not
rewritten, so its modification time (and a web server's ETag) stays.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
import urllib.request
from pathlib import Path

from syllabus_export.errors import Pos, Problem, SyllabusError

MAX_PREVIOUS_BYTES = 5_000_000


def build_time(inputs: list[str | Path], environ: dict[str, str] | None = None) -> dt.datetime:
    """When the inputs were last changed: ``SOURCE_DATE_EPOCH``, else git, else file times. Never the clock."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise SyllabusError([Problem(pos=Pos(path="SOURCE_DATE_EPOCH"),
                                         message=f"'{epoch[:40]}' is not a Unix time in seconds")]) from None
    return dt.datetime.fromtimestamp(max(_changed(Path(p)) for p in inputs), dt.UTC)


def _changed(path: Path) -> int:
    """A file's last commit time when it is committed and unmodified, else its modification time."""
    mtime = int(path.stat().st_mtime)
    try:
        folder = str(path.resolve().parent)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", path.name], cwd=folder,
                               capture_output=True, text=True, timeout=10, check=False)
        if dirty.returncode != 0 or dirty.stdout.strip():
            return mtime
        last = subprocess.run(["git", "log", "-1", "--format=%ct", "--", path.name], cwd=folder,
                              capture_output=True, text=True, timeout=10, check=False)
        return int(last.stdout.strip()) if last.returncode == 0 and last.stdout.strip() else mtime
    except (OSError, ValueError, subprocess.SubprocessError):
        return mtime


def read_previous(source: str | None, default: Path) -> bytes | None:
    """The feed a build is about to replace: ``--previous FILE_OR_URL``, else the one in ``out/``."""
    if source and source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                return response.read(MAX_PREVIOUS_BYTES)
        except OSError as exc:
            raise SyllabusError([Problem(pos=Pos(path=source), message=f"cannot fetch the previous feed ({exc})")])
    path = Path(source) if source else default
    try:
        return path.read_bytes()[:MAX_PREVIOUS_BYTES]
    except FileNotFoundError:
        if source:
            raise SyllabusError([Problem(pos=Pos(path=source), message="no such file (the previous feed)")])
        return None
    except OSError as exc:
        raise SyllabusError([Problem(pos=Pos(path=str(path)), message=f"cannot read ({exc.strerror})")])


def publish(folder: Path, files: dict[str, bytes]) -> list[str]:
    """Write ``files`` into ``folder`` atomically, each only if its bytes changed; return the names written."""
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in sorted(files.items()):
            target = folder / name
            if target.is_file() and target.read_bytes() == data:
                continue
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            staged.append((Path(tmp), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [target.name for _, target in staged]
