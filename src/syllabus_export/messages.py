"""Words the outputs print, per course language; a language without them falls back to English."""

from __future__ import annotations

from syllabus_export import model as m

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "lecture": "Lecture",
        "practicum": "Practicum",
        "slides": "Slides",
        "notebook": "Notebook",
        "video": "Video",
        "other": "Link",
        "week": "Week",
        "cancelled": "Cancelled",
        "moved": "moved from",
        "no_class": "No class",
        "extra": "Extra material (no class meeting)",
        "access_code": "Access code",
        "instructors": "Instructors",
        "materials": "Materials",
        "description": "Description",
        "schedule": "Schedule",
        "staff": "Staff",
        "date": "Date",
        "format": "Format",
        "title": "Title",
        "resources": "Resources",
        "time": "Time",
        "location": "Location",
        "links": "Links",
        "page_x_of_y": "Page {page} of {pages}",
        "built_on": "Built on {date}",
        "scan_to_subscribe": "Scan to subscribe to the course calendar",
        "subscribe": "Subscribe",
        "role": "Role",
        "contact": "Contact",
        "about": "About",
        "meetings": "Meetings",
    },
    "vi": {
        "lecture": "Bài giảng",
        "practicum": "Thực hành",
        "slides": "Slides",
        "notebook": "Notebook",
        "video": "Video",
        "other": "Liên kết",
        "week": "Tuần",
        "cancelled": "Đã hủy",
        "moved": "dời từ",
        "no_class": "Không có lớp",
        "extra": "Tài liệu bổ sung (không có buổi học)",
        "access_code": "Mã truy cập",
        "instructors": "Người hướng dẫn",
        "materials": "Tài liệu",
        "description": "Mô tả khóa học",
        "schedule": "Lịch học",
        "staff": "Giảng viên",
        "date": "Ngày",
        "format": "Định dạng",
        "title": "Tiêu đề",
        "resources": "Tài liệu tham khảo",
        "time": "Thời gian",
        "location": "Địa điểm",
        "links": "Liên kết",
        "page_x_of_y": "Trang {page}/{pages}",
        "built_on": "Tạo ngày {date}",
        "scan_to_subscribe": "Quét mã để đăng ký lịch của khóa học",
        "subscribe": "Đăng ký lịch",
        "role": "Vai trò",
        "contact": "Liên lạc",
        "about": "Giới thiệu",
        "meetings": "Buổi học",
    },
    "fr": {
        "lecture": "Cours",
        "practicum": "Travaux pratiques",
        "slides": "Diapositives",
        "notebook": "Notebook",
        "video": "Vidéo",
        "other": "Lien",
        "week": "Semaine",
        "cancelled": "Annulé",
        "moved": "déplacé du",
        "no_class": "Pas de cours",
        "extra": "Matériel supplémentaire (sans séance)",
        "access_code": "Code d'accès",
        "instructors": "Enseignants",
        "materials": "Matériel",
        "description": "Description",
        "schedule": "Calendrier",
        "staff": "Équipe",
        "date": "Date",
        "format": "Format",
        "title": "Titre",
        "resources": "Ressources",
        "time": "Horaire",
        "location": "Lieu",
        "links": "Liens",
        "page_x_of_y": "Page {page} sur {pages}",
        "built_on": "Généré le {date}",
        "scan_to_subscribe": "Scannez pour vous abonner au calendrier du cours",
        "subscribe": "S'abonner",
        "role": "Rôle",
        "contact": "Contact",
        "about": "Présentation",
        "meetings": "Séances",
    },
}


def messages(language: str) -> dict[str, str]:
    """The words for ``language`` (or its base language), English where a word is missing."""
    chosen = MESSAGES.get(language) or MESSAGES.get(language.split("-")[0]) or {}
    return {**MESSAGES["en"], **chosen}


def kind_label(course: m.Course, kind: str) -> str:
    """A meeting kind in the course language: the catalog's word, else the pattern's own label."""
    words = messages(course.language)
    pattern = next((p for p in course.patterns if p.kind == kind), None)
    if pattern is not None and pattern.label:
        return pattern.label
    return words.get(kind, kind.replace("_", " ").capitalize())


def resource_labels(resources: tuple[m.Resource, ...], language: str) -> list[str]:
    """One label per resource: its own, or its kind's word, numbered when a kind repeats."""
    words = messages(language)
    counts: dict[str, int] = {}
    for r in resources:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    seen: dict[str, int] = {}
    labels = []
    for r in resources:
        seen[r.kind] = seen.get(r.kind, 0) + 1
        if r.label:
            labels.append(r.label)
        elif counts[r.kind] > 1:
            labels.append(f"{words[r.kind]} {seen[r.kind]}")
        else:
            labels.append(words[r.kind])
    return labels
