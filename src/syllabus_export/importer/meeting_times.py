"""The header rows that hold a time range → the meeting patterns: kind, day, times, place.

``| Bài giảng | Thứ hai 16:55 – 18:35, [GCASL C95](url) |``: a row is a time row by its value (a
time range, in any digits), not by its label. Which kind each row times is decided over all
time rows at once, by their order first and their labels second
(:func:`syllabus_export.importer.kinds.week_order`, :func:`~syllabus_export.importer.kinds.closest_kind`).
The value holds a weekday in the page's language (:func:`syllabus_export.importer.tokens.weekday`),
the time range and a room, named or linked. Each kind in the schedule needs its row; a second row
for one kind is refused.
"""

from __future__ import annotations

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer import tokens
from syllabus_export.importer.kinds import closest_kind, schedule_labels, usual_label, week_order
from syllabus_export.importer.links import LinkResolver
from syllabus_export.importer.markdown import markdown_links, only_link, plain_label
from syllabus_export.importer.schedule import RawEntry
from syllabus_export.importer.source import PageSource
from syllabus_export.messages import messages

TimeRow = tuple[int, int, str, int, str]  # line, label's column, label, value's column, value


class PatternReader:
    """Reads the header table's time rows; remembers which kinds they gave times for."""

    def __init__(self, source: PageSource, links: LinkResolver, language: str, entries: list[RawEntry]):
        self.source = source
        self.links = links
        self.language = language
        self.entries = entries
        self.timed_kinds: set[str] = set()
        self.day_texts: list[str] = []  # each time row's weekday as written (the page's script shows in them)
        self.any_unmatched = False  # a time row of unknown kind: a kind without times is no second problem

    def patterns(self, rows: list[TimeRow]) -> list[m.Pattern]:
        """The patterns the time rows give (a row that cannot be read is a problem noted, no pattern)."""
        found = []
        for row, kind in zip(rows, self.kinds_of_rows(rows)):
            if kind is not None and (pattern := self.pattern(row, kind)) is not None:
                found.append(pattern)
        return found

    def kinds_of_rows(self, rows: list[TimeRow]) -> list[str | None]:
        """Each time row's kind: by order when there is one row per kind, else by its label."""
        order = week_order(self.entries)
        labels = [plain_label(label) for _, _, label, _, _ in rows]
        said = [closest_kind(label, self.entries, self.language) for label in labels]
        if len(rows) == len(order):
            for n, ((line, column, *_), label, word, kind) in enumerate(zip(rows, labels, said, order), 1):
                if word is not None and word != kind:
                    self.source.warn(line, column, f"'{quoted(label)}' reads as the {word} meetings' label, but it is "
                                     f"time row {n} of {len(order)}, and the schedule's weeks list the {kind} meetings "
                                     f"in place {n}: read as the {kind} times")
            self.timed_kinds.update(order)
            return list(order)
        kinds: list[str | None] = []
        for (line, column, *_), label, kind in zip(rows, labels, said):
            if kind is None:
                self.any_unmatched = True
                self.source.fail(line, column, f"cannot tell which meetings '{quoted(label)}' gives the times of "
                                 f"(the schedule's labels are {schedule_labels(self.entries)})")
            elif kind in self.timed_kinds:
                self.source.fail(line, column, f"a second day and time for the {kind} meetings ('{quoted(label)}')")
                kind = None
            else:
                self.timed_kinds.add(kind)
            kinds.append(kind)
        return kinds

    def pattern(self, row: TimeRow, kind: str) -> m.Pattern | None:
        """The pattern of one time row (None, with the problem noted, when it cannot be read)."""
        line, label_col, _, value_col, value = row
        fail = self.source.fail
        try:
            times = tokens.time_range(value)
        except tokens.Unreadable as exc:
            fail(line, value_col + exc.offset, exc.message)
            return None
        assert times is not None  # the row was chosen for its time range
        for begin, end in times.one_digit:
            written = value[begin:end]
            self.source.warn(line, value_col + begin, f"'{quoted(written)}' has one digit for the minutes: read as "
                             f"{times.start if begin == times.begin else times.end:%H:%M}")
        day_text = value[: times.begin].strip()
        self.day_texts.append(day_text)
        weekday = tokens.weekday(day_text, self.language)
        if weekday is None:
            expected = tokens.weekday_choices(self.language)
            fail(line, value_col, f"cannot read the weekday '{quoted(day_text)}' (expected one of: {expected})")
            return None
        after = value[times.finish :]
        place = after.lstrip(" ,;،，、")
        place_col = value_col + times.finish + len(after) - len(place)
        place = place.strip()
        refs = self.source.refs
        if (link := only_link(place, refs)) is not None:
            location = m.Location(
                name=tokens.clean(link[2]),
                url=self.links.absolute(link[3], line, place_col, "room"),
                pos=self.source.pos(line, place_col),
            )
        elif place and not markdown_links(place, refs) and not tokens.has_time_range(place):
            location = m.Location(name=tokens.clean(place), pos=self.source.pos(line, place_col))
        else:
            fail(line, place_col, "cannot read the place after the times (expected a room name or one link)")
            return None
        shown = usual_label(self.entries, kind)
        return m.Pattern(
            kind=kind,
            weekday=weekday,
            start=times.start,
            end=times.end,
            location=location,
            label=shown if shown and shown != messages(self.language).get(kind) else None,
            prefix=m.default_prefix(kind),
            pos=self.source.pos(line, label_col),
        )

    def check_every_kind_timed(self) -> None:
        """Each kind of meeting in the schedule has its day and time in the header table."""
        if self.any_unmatched:
            return
        for kind in dict.fromkeys(e.kind for e in self.entries):
            if kind not in self.timed_kinds:
                first = next(e for e in self.entries if e.kind == kind)
                self.source.fail(
                    *first.label_at,
                    f"the schedule has {kind} meetings ('{quoted(first.label)}') but the header table gives no day "
                    "and time for them",
                )
