"""A header row that holds a time range → the meeting pattern of one kind: day, times, place.

``| Bài giảng | Thứ hai 16:55 – 18:35, [GCASL C95](url) |``: the label says which meetings
(:func:`syllabus_export.importer.kinds.closest_kind`), the value a weekday in the page's
language, a time range in any digits and a room, named or linked (:mod:`~syllabus_export.importer.tokens`
reads the words and numbers). Each kind in the schedule needs its row; a second row for one kind
is refused.
"""

from __future__ import annotations

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer import tokens
from syllabus_export.importer.kinds import closest_kind, schedule_labels, usual_label
from syllabus_export.importer.links import LinkResolver
from syllabus_export.importer.markdown import markdown_links, only_link, plain_label
from syllabus_export.importer.schedule import RawEntry
from syllabus_export.importer.source import PageSource
from syllabus_export.messages import messages


class PatternReader:
    """Reads the header table's time rows; remembers which kinds they gave times for."""

    def __init__(self, source: PageSource, links: LinkResolver, language: str, entries: list[RawEntry]):
        self.source = source
        self.links = links
        self.language = language
        self.entries = entries
        self.timed_kinds: set[str] = set()
        self.any_unmatched = False  # a time row of unknown kind: a kind without times is no second problem

    def pattern(self, line: int, label_col: int, label: str, value_col: int, value: str) -> m.Pattern | None:
        """The pattern a time row gives (None, with the problem noted, when it cannot be read)."""
        fail = self.source.fail
        kind = self.kind_of_row(line, label_col, label)
        if kind is None:
            return None
        self.timed_kinds.add(kind)  # given, even when the rest of the row has a problem
        try:
            times = tokens.time_range(value)
        except tokens.Unreadable as exc:
            fail(line, value_col + exc.offset, exc.message)
            return None
        assert times is not None  # the row was chosen for its time range
        day_text = value[: times.begin].strip()
        weekday = tokens.weekday(day_text, self.language)
        if weekday is None:
            expected = tokens.weekday_choices(self.language)
            fail(line, value_col, f"cannot read the weekday '{quoted(day_text)}' (expected one of: {expected})")
            return None
        after = value[times.finish :]
        place = after.lstrip(" ,;،，、")
        place_col = value_col + times.finish + len(after) - len(place)
        place = place.strip()
        if (link := only_link(place)) is not None:
            location = m.Location(
                name=tokens.clean(link[2]),
                url=self.links.absolute(link[3], line, place_col, "room"),
                pos=self.source.pos(line, place_col),
            )
        elif place and not markdown_links(place) and not tokens.has_time_range(place):
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

    def kind_of_row(self, line: int, column: int, label: str) -> str | None:
        """Which kind of meeting a header row gives the times of: the closest of the table's labels."""
        label = plain_label(label)
        best = closest_kind(label, self.entries, self.language)
        if best is None:
            self.any_unmatched = True
            self.source.fail(line, column, f"cannot tell which meetings '{quoted(label)}' gives the times of "
                             f"(the schedule's labels are {schedule_labels(self.entries)})")
            return None
        if best in self.timed_kinds:
            self.source.fail(line, column, f"a second day and time for the {best} meetings ('{quoted(label)}')")
            return None
        return best

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
