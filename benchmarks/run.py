"""Benchmarks of syllabus-export: one command, a table on stdout, JSON in benchmarks/results.json.

    python benchmarks/run.py [--quick] [--runs N] [--sizes 100,300,1000]

Each timing is the median of several runs of the whole process (interpreter start included),
with its spread (min–max), after one run that is not counted (it writes the bytecode cache, as
installing the package does). Peak memory is the largest summed RSS of the build's process tree,
sampled every 20 ms from /proc. Speed is measured here, never asserted by a timed test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
# The checkout's code, with its bytecode cached as an installed package's is (an environment that
# sets PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on every run).
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "SOURCE_DATE_EPOCH": "1600214400", "PYTHONPATH": str(ROOT / "src")}
CLI = [PY, "-m", "syllabus_export"]
BUNDLED = ["--course", str(ROOT / "data" / "courses" / "dlsp20.yaml")]  # the bundled course (data/ has others too)

WORDS = ("Học sâu", "mạng nơ-ron", "tối ưu hóa", "biểu diễn", "tích chập", "Нейронные сети", "обучение",
         "Apprentissage", "régularisation", "Größenordnung", "niño", "Ελληνικά", "giải thuật", "dữ liệu",
         "transformer", "attention", "Kiểm soát dự đoán", "đồ thị", "xác suất", "ngôn ngữ tự nhiên")


def tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of ``pid`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run(command: list[str], cwd: Path = ROOT, memory: bool = False) -> tuple[float, int]:
    """Wall time of one run (seconds) and, if asked, its peak process-tree memory (bytes)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    if memory:
        def sample() -> None:
            nonlocal peak
            while process.poll() is None:
                peak = max(peak, tree_rss(process.pid))
                time.sleep(0.02)
        sampler = threading.Thread(target=sample)
        sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    if memory:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode()[-2000:]}")
    return elapsed, peak


def timed(command: list[str], runs: int, cwd: Path = ROOT, before=None) -> dict:
    if before:
        before()
    run(command, cwd)  # not counted: bytecode written, files in the page cache
    times = []
    for _ in range(runs):
        if before:
            before()
        times.append(run(command, cwd)[0])
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "runs": runs}


def title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()


def write_catalogue(folder: Path, count: int, seed: int = 1) -> None:
    """``count`` realistic courses: 15 weeks, 2–4 meetings a week, long non-ASCII titles, links."""
    rng = random.Random(seed)
    (folder / "courses").mkdir(parents=True)
    (folder / "terms.yaml").write_text(
        "id: bench-2020-spring\nname: {en: Spring 2020, vi: Học kỳ mùa xuân 2020}\ntimezone: America/New_York\n"
        "first_day: 2020-01-27\nlast_day: 2020-05-15\n"
        "no_class: [{start: 2020-03-16, end: 2020-03-22, name: Spring break}]\n", encoding="utf-8")
    kinds = [("lecture", "Mon", "09:00", "10:40"), ("practicum", "Tue", "19:10", "20:00"),
             ("seminar", "Wed", "13:00", "14:30"), ("lab", "Thu", "15:00", "16:40")]
    for n in range(count):
        used = kinds[: rng.randint(2, 4)]
        lines = [f"id: course-{n:04d}", "language: vi", "term: bench-2020-spring", f"code: CS-{1000 + n}",
                 f'title: "{title(rng)}"', 'institution: {label: "Trường Đại học", url: "https://example.edu/"}',
                 "instructors: [Nguyễn Văn A, Trần Thị B]", "patterns:"]
        for kind, day, start, end in used:
            prefix = ", prefix: B" if kind == "lab" else ""
            lines.append(f"  {kind}: {{weekday: {day}, start: {start}, end: {end}{prefix}, "
                         f"location: {{name: Phòng {rng.randint(100, 999)}, url: 'https://example.edu/room'}}}}")
        lines.append("weeks:")
        for week in range(1, 16):
            lines += [f"  - week: {week}", "    meetings:"]
            for k, (kind, *_rest) in enumerate(used):
                lines += [f"      - kind: {kind}", "        sessions:"]
                for s in range(2 if kind == "lecture" else 1):
                    lines.append(f'          - {{id: "{week:02d}-{k}{s}", title: "{title(rng)}", '
                                 f'url: "https://example.edu/c{n}/w{week}/{k}{s}"}}')
                lines += ["        resources:", f'          - {{kind: slides, url: "https://example.edu/{n}/{week}.pdf"}}',
                          f'          - {{kind: video, url: "https://youtu.be/v{n}x{week}x{k}"}}']
        (folder / "courses" / f"course-{n:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--quick", action="store_true", help="3 runs, catalogues of 20 and 60")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    sizes = [20, 60] if args.quick else [int(s) for s in args.sizes.split(",")]
    results: dict = {"python": sys.version.split()[0], "cores": os.cpu_count()}
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))

    def clean() -> None:
        shutil.rmtree(out, ignore_errors=True)

    rows = []
    floor = timed([PY, "-c", "import yaml, icalendar, reportlab.platypus"], runs)
    build = timed(CLI + ["build", *BUNDLED, "--out", str(out)], runs, before=clean)
    # target: build ≤ 1.5 × its floor; list and check ≤ 1.5 × theirs + 50 ms
    rows.append(("build (bundled course)", build, floor, "import yaml, icalendar, reportlab.platypus",
                 1.5 * floor["median"]))
    yaml_floor = timed([PY, "-c", "import yaml"], runs)
    for command in ("list", "check"):
        rows.append((command, timed(CLI + [command, *BUNDLED], runs), yaml_floor, "import yaml",
                     1.5 * yaml_floor["median"] + 0.05))
    results["commands"] = {name: {"time": t, "floor": f, "floor_command": fc, "target": target}
                           for name, t, f, fc, target in rows}

    clean()
    run(CLI + ["build", *BUNDLED, "--out", str(out)])
    folder = out / "dlsp20" / "nyu-2020-spring"
    results["sizes"] = {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if not p.name.startswith(".")}

    catalogue = []
    with tempfile.TemporaryDirectory(prefix="bench-cat-") as tmp:
        for size in sizes:
            data = Path(tmp) / f"cat{size}"
            write_catalogue(data, size)
            target = Path(tmp) / f"out{size}"
            command = CLI + ["build", "--course", str(data / "courses"), "--term", str(data / "terms.yaml"),
                             "--out", str(target)]
            full, peak = run(command, memory=True)
            again, _ = run(command)
            catalogue.append({"courses": size, "seconds": full, "courses_per_second": size / full,
                              "peak_mb": peak / 2**20, "unchanged_rebuild_seconds": again,
                              "unchanged_rebuild_share": again / full})
    results["catalogue"] = catalogue
    clean()

    print("| what | median s | spread s | floor | floor s | ratio | target s |\n|---|---|---|---|---|---|---|")
    for name, t, f, fc, target in rows:
        print(f"| {name} | {t['median']:.3f} | {t['min']:.3f}–{t['max']:.3f} | `{fc}` | {f['median']:.3f} "
              f"| {t['median'] / f['median']:.2f}× | ≤ {target:.3f} |")
    print("\n| courses | build s | courses/s | peak MB | unchanged rebuild s | unchanged / full |\n"
          "|---|---|---|---|---|---|")
    for c in catalogue:
        print(f"| {c['courses']} | {c['seconds']:.1f} | {c['courses_per_second']:.1f} | {c['peak_mb']:.0f} "
              f"| {c['unchanged_rebuild_seconds']:.2f} | {100 * c['unchanged_rebuild_share']:.1f}% |")
    print("\n| bundled output | bytes |\n|---|---|")
    for name, size in results["sizes"].items():
        print(f"| {name} | {size:,} |")
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
