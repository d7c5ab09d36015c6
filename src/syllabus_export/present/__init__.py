"""The presentation layer: a dated schedule as every output shows it, decided once.

Feed, PDF and page lay out what this package gives them; none of them decides again how a date
or a time is written in the course's language (the locale's clock included), which rows the
schedule has and in which order, which week a no-class day belongs to, when a meeting counts as
moved, how the build date reads, or how a change is worded. A rule here is a rule everywhere.

Babel is imported when a ``Formats`` is made: ``list`` and ``check`` never make one.

Its modules: ``formats`` (dates, times, zones, the clock, the build day), ``rows`` (the schedule's
rows, times and places, sections and feed names), ``changes`` (the wording of a change), ``items``
(exams, deadlines, office hours, the term grid). Callers use ``present.X`` for any of them.
"""

from syllabus_export.present.changes import (  # noqa: F401
    ChangeLine,
    ChangePart,
    change_details,
    change_lines,
)
from syllabus_export.present.formats import (  # noqa: F401
    Formats,
    build_day,
    formats,
    twelve_hour,
)
from syllabus_export.present.items import (  # noqa: F401
    DEADLINE_MARK,
    EXAM_MARK,
    GridDay,
    ItemRow,
    MonthGrid,
    OfficeHoursLine,
    TermGrid,
    first_week_day,
    item_rows,
    office_hours,
    term_grid,
)
from syllabus_export.present.rows import (  # noqa: F401
    ExtraRow,
    MeetingRow,
    NoClassRow,
    ResourceLink,
    Row,
    SectionFeed,
    SessionLine,
    SubstitutionRow,
    TimeAndPlace,
    calendar_name,
    feed_name,
    main_feed_name,
    meeting_weekdays,
    moved_brief,
    moved_line,
    rows,
    section_feeds,
    section_label,
    times_and_places,
)
