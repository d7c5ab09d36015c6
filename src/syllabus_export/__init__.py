"""syllabus-export: one course and term description in, calendar feed and syllabus out."""

__version__ = "0.1.0"
