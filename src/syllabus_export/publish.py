"""The only stage that touches ``out/``: reads what is published, writes what a build made.

Every output of a course is rendered in memory first; only then are files written, each into a
temporary file beside its target and renamed over it, so a reader never sees half a file and a
failed build leaves what was published as it was. A file whose bytes did not change is not
rewritten, so its modification time (and a web server's ETag) stays.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from syllabus_export.caches import CACHES
from syllabus_export.errors import Pos, Problem, SyllabusError, quoted

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


# What git said in this process, so a catalogue asks once per folder and once per file, not twice
# per file per course (every course of a term shares its term file): file (path, size, mtime) → time,
# folder → its files with uncommitted changes (None: not in a git checkout). ``forget_git`` empties it.
GIT_TIMES, GIT_DIRTY = "git commit times", "git uncommitted files"


def forget_git() -> None:
    """Forget what git said (build and diff start with this: commits may have been made since)."""
    CACHES.table(GIT_TIMES).clear()
    CACHES.table(GIT_DIRTY).clear()


def _changed(path: Path) -> int:
    """A file's last commit time when it is committed and unmodified, else its modification time."""
    import subprocess  # only without SOURCE_DATE_EPOCH

    stat = path.stat()
    mtime = int(stat.st_mtime)
    try:
        resolved = path.resolve()
        key = (str(resolved), stat.st_size, stat.st_mtime_ns)
        times = CACHES.table(GIT_TIMES)
        if key not in times:
            times[key] = _commit_time(resolved, mtime)
        return times[key]
    except (OSError, ValueError, subprocess.SubprocessError):
        return mtime


def _commit_time(path: Path, mtime: int) -> int:
    import subprocess

    folder = str(path.parent)
    uncommitted = CACHES.table(GIT_DIRTY)
    if folder not in uncommitted:
        uncommitted[folder] = _uncommitted(folder)
    dirty = uncommitted[folder]
    if dirty is None or path.name in dirty:
        return mtime
    last = subprocess.run(["git", "log", "-1", "--format=%ct", "--", path.name], cwd=folder,
                          capture_output=True, text=True, timeout=10, check=False)
    return int(last.stdout.strip()) if last.returncode == 0 and last.stdout.strip() else mtime


def _uncommitted(folder: str) -> frozenset[str] | None:
    """Names of the files in ``folder`` that git reports changed, staged or untracked; None outside git."""
    import subprocess

    prefix = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=folder,
                            capture_output=True, text=True, timeout=10, check=False)
    status = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all", "--", "."],
                            cwd=folder, capture_output=True, text=True, timeout=10, check=False)
    if prefix.returncode != 0 or status.returncode != 0:
        return None
    here, names = prefix.stdout.strip(), set()
    fields = iter(status.stdout.split("\0"))
    for entry in fields:  # "XY path", and after a rename or copy its original path as a field of its own
        if len(entry) > 3:
            names.add(entry[3:])
            if entry[0] in "RC":
                names.add(next(fields, ""))
    return frozenset(n[len(here):] for n in names if n.startswith(here) and "/" not in n[len(here):])


def read_previous(source: str | None, default: Path) -> bytes | None:
    """The feed a build is about to replace: ``--previous FILE_OR_URL``, else the one in ``out/``."""
    if source and source.startswith(("http://", "https://")):
        import http.client
        import urllib.request  # http, email and ssl: only when there is something to fetch

        try:
            with urllib.request.urlopen(source, timeout=30) as response:
                data = response.read(MAX_PREVIOUS_BYTES)
                if response.length and len(data) < MAX_PREVIOUS_BYTES:  # the server meant to send more
                    raise http.client.IncompleteRead(data, response.length)
                return data
        except (OSError, http.client.HTTPException, ValueError) as exc:  # refused, cut short, not a URL
            message = f"cannot fetch the previous feed ({quoted(str(exc) or type(exc).__name__, 200)})"
            raise SyllabusError([Problem(pos=Pos(path=source), message=message)]) from None
    path = Path(source) if source else default
    try:
        with path.open("rb") as handle:  # a huge or endless file (a FIFO, /dev/zero) is cut, not read whole
            return handle.read(MAX_PREVIOUS_BYTES)
    except FileNotFoundError:
        if source:
            raise SyllabusError([Problem(pos=Pos(path=source), message="no such file (the previous feed)")])
        return None
    except OSError as exc:
        raise SyllabusError([Problem(pos=Pos(path=str(path)), message=f"cannot read ({exc.strerror})")])


def publish(folder: Path, files: dict[str, bytes], stale: tuple[str, ...] = (), *,
            root: Path | None = None) -> list[str]:
    """Write ``files`` into ``folder`` atomically, each only if its bytes changed; return the names written.

    ``stale`` names outputs this build no longer makes (a PDF the course's script cannot have): they
    are removed once everything else is in place, so nothing outdated stays published.

    ``root`` is the output folder (``--out``) that ``folder`` lies in: it may itself be a symbolic link
    (users link ``out/`` into a web root), but a link below it on the way to a file to write (a course
    or term folder, an output file) is refused before anything is written: a build writes under
    ``--out`` and nowhere else.

    Raises:
        SyllabusError: a symbolic link below ``root``, or a file that cannot be written.
    """
    if root is not None:
        refuse_links(root, folder, [*files, *stale])
    staged: list[tuple[Path, Path]] = []
    target = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
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
        for name in stale:
            target = folder / name
            if name not in files and target.is_file():
                target.unlink()
                staged.append((target, target))
    except OSError as exc:
        raise SyllabusError([Problem(pos=Pos(path=str(exc.filename or target)),
                                     message=f"cannot write ({exc.strerror or exc})")]) from None
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [target.name for _, target in staged]


def refuse_links(root: Path, folder: Path, names: list[str]) -> None:
    """Raise SyllabusError naming the first symbolic link below ``root`` on the way to ``folder``/``names``
    (``publish`` checks before it writes; a build checks before it reads the feed it would replace)."""
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        parts = ()  # not below root (a caller's mistake): only the files themselves are checked
    steps, at = [], root
    for part in parts:
        at = at / part
        steps.append(at)
    steps += [folder / name for name in names]
    for step in steps:
        if step.is_symlink():
            raise SyllabusError([Problem(pos=Pos(path=str(step)), message=(
                f"is a symbolic link: a build writes only into real folders and files under {root} ({root} itself "
                "may be a link), so nothing was written there; replace the link with a real folder or file, or "
                f"link {root} itself"))])
