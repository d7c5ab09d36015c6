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
        "pdf_times_places": "Times and places",
        "pdf_site": "Course site",
        "pdf_translated_by": "Translated by {translator}",
        "pdf_from": "From {date}",
        "pdf_name": "Name",
        "pdf_syllabus": "Syllabus",
        "pdf_term_dates": "Classes from {first} to {last}",
        "pdf_time_zone": "Time zone",
        "pdf_label": "{label}: {value}",
        "scan_to_subscribe": "Scan to subscribe to the course calendar",
        "subscribe": "Subscribe",
        "role": "Role",
        "contact": "Contact",
        "about": "About",
        "meetings": "Meetings",
        "page_skip": "Skip to the schedule",
        "page_subscribe_h": "Subscribe to the course calendar",
        "page_subscribe_intro": (
            "Subscribe once: the calendar on your phone or computer then updates by itself when the schedule"
            " changes."
        ),
        "page_webcal": "Subscribe (Apple Calendar, Outlook, Thunderbird)",
        "page_google": "Add to Google Calendar",
        "page_google_note": "on a computer; if Google refuses it, follow the steps below",
        "page_outlook_live": "Outlook.com (personal account)",
        "page_office365": "Microsoft 365 (work or school account)",
        "page_feed_url": "Calendar address, to paste into any calendar app:",
        "page_copy": "Copy the address",
        "page_copied": "Copied",
        "page_copy_hint": "(or copy the link's address)",
        "page_howto_h": "How to subscribe",
        "page_howto_apple_h": "iPhone, iPad, Mac:",
        "page_howto_apple": (
            "tap “Subscribe”, then confirm. Or paste the address in Settings › Calendar › Accounts › Add "
            "Account › Other › Add Subscribed Calendar; on a Mac, File › New Calendar Subscription."
        ),
        "page_howto_google_h": "Android, Google Calendar:",
        "page_howto_google": (
            "on a computer, use “Add to Google Calendar”, or paste the address in Google Calendar › Other "
            "calendars › From URL › Add calendar. The calendar then appears on every Android phone signed in"
            " to the same account. Without Google: install ICSx⁵ and tap “Subscribe”."
        ),
        "page_google_addbyurl": "Google Calendar: add from URL",
        "page_howto_outlook_h": "Outlook:",
        "page_howto_outlook": (
            "Outlook.com and Microsoft 365: use their buttons above, or Calendar › Add calendar › Subscribe "
            "from web, paste the address, Import. Classic Outlook for Windows: “Subscribe”."
        ),
        "page_howto_thunderbird_h": "Thunderbird:",
        "page_howto_thunderbird": (
            "New Calendar › On the Network › paste the address (format iCalendar (ICS)) › choose a name and "
            "a colour."
        ),
        "page_refresh": (
            "Calendar apps fetch changes on their own schedule: Google within 12 to 24 hours, Outlook on the"
            " web within hours (sometimes more than a day), Apple and Thunderbird as often as you set. "
            "Reminders in a subscribed calendar are not reliable: set your own."
        ),
        "page_downloads_h": "Downloads",
        "page_ics": "Calendar (.ics)",
        "page_ics_note": "imported once, never updates",
        "page_pdf": "Syllabus (PDF)",
        "page_pdf_note": "for printing",
        "page_other_feeds_h": "One kind of meeting only",
        "page_only_kind": "{kind} only",
        "page_download": "download",
        "timezone": "Time zone",
        "page_times_in": "All times: {zone}.",
        "changes_h": "Latest changes",
        "change_added": "added",
        "change_cancelled": "cancelled",
        "change_reinstated": "reinstated",
        "change_moved": "moved",
        "change_retitled": "new title",
        "change_relocated": "new place",
        "page_no_meeting": "No class meeting",
        "page_qr_alt": "QR code of the calendar address {url}",
        "page_email": "Email",
        "page_index_h": "Courses",
        "page_generator": "Made with syllabus-export.",
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
        "pdf_times_places": "Thời gian và địa điểm",
        "pdf_site": "Trang khóa học",
        "pdf_translated_by": "Người dịch: {translator}",
        "pdf_from": "Từ {date}",
        "pdf_name": "Họ tên",
        "pdf_syllabus": "Đề cương môn học",
        "pdf_term_dates": "Học từ {first} đến {last}",
        "pdf_time_zone": "Múi giờ",
        "pdf_label": "{label}: {value}",
        "scan_to_subscribe": "Quét mã để đăng ký lịch của khóa học",
        "subscribe": "Đăng ký lịch",
        "role": "Vai trò",
        "contact": "Liên lạc",
        "about": "Giới thiệu",
        "meetings": "Buổi học",
        "page_skip": "Bỏ qua, đến lịch học",
        "page_subscribe_h": "Đăng ký lịch học",
        "page_subscribe_intro": (
            "Đăng ký một lần: lịch trên điện thoại hoặc máy tính sẽ tự cập nhật khi lịch học thay đổi."
        ),
        "page_webcal": "Đăng ký lịch (Apple Calendar, Outlook, Thunderbird)",
        "page_google": "Thêm vào Google Calendar",
        "page_google_note": "trên máy tính; nếu Google từ chối, hãy làm theo hướng dẫn bên dưới",
        "page_outlook_live": "Outlook.com (tài khoản cá nhân)",
        "page_office365": "Microsoft 365 (tài khoản trường hoặc công ty)",
        "page_feed_url": "Địa chỉ lịch, để dán vào ứng dụng lịch bất kỳ:",
        "page_copy": "Sao chép địa chỉ",
        "page_copied": "Đã sao chép",
        "page_copy_hint": "(hoặc sao chép địa chỉ của liên kết)",
        "page_howto_h": "Hướng dẫn đăng ký",
        "page_howto_apple_h": "iPhone, iPad, Mac:",
        "page_howto_apple": (
            "nhấn “Đăng ký lịch” rồi xác nhận. Hoặc dán địa chỉ vào Cài đặt › Lịch › Tài khoản › Thêm tài "
            "khoản › Khác › Thêm lịch đã đăng ký; trên Mac: Tệp › Đăng ký lịch mới."
        ),
        "page_howto_google_h": "Android, Google Calendar:",
        "page_howto_google": (
            "trên máy tính, nhấn “Thêm vào Google Calendar”, hoặc dán địa chỉ vào Google Calendar › Lịch "
            "khác › Từ URL › Thêm lịch. Lịch sẽ hiện trên mọi điện thoại Android đăng nhập cùng tài khoản. "
            "Không dùng Google: cài ICSx⁵ rồi nhấn “Đăng ký lịch”."
        ),
        "page_google_addbyurl": "Google Calendar: thêm từ URL",
        "page_howto_outlook_h": "Outlook:",
        "page_howto_outlook": (
            "Outlook.com và Microsoft 365: dùng các nút ở trên, hoặc Lịch › Thêm lịch › Đăng ký từ web, dán "
            "địa chỉ rồi nhấn Nhập. Outlook cổ điển trên Windows: nhấn “Đăng ký lịch”."
        ),
        "page_howto_thunderbird_h": "Thunderbird:",
        "page_howto_thunderbird": "Lịch mới › Trên mạng › dán địa chỉ (định dạng iCalendar (ICS)) › đặt tên và màu.",
        "page_refresh": (
            "Mỗi ứng dụng lịch tự lấy thay đổi theo nhịp riêng: Google trong vòng 12 đến 24 giờ, Outlook "
            "trên web trong vài giờ (đôi khi hơn một ngày), Apple và Thunderbird theo tần suất bạn chọn. Lời"
            " nhắc trong lịch đăng ký không đáng tin cậy: hãy tự đặt lời nhắc."
        ),
        "page_downloads_h": "Tải về",
        "page_ics": "Lịch (.ics)",
        "page_ics_note": "nhập một lần, không tự cập nhật",
        "page_pdf": "Đề cương (PDF)",
        "page_pdf_note": "bản để in",
        "page_other_feeds_h": "Chỉ một loại buổi học",
        "page_only_kind": "Chỉ {kind}",
        "page_download": "tải về",
        "timezone": "Múi giờ",
        "page_times_in": "Múi giờ của mọi buổi học: {zone}.",
        "changes_h": "Thay đổi gần đây",
        "change_added": "thêm mới",
        "change_cancelled": "đã hủy",
        "change_reinstated": "khôi phục",
        "change_moved": "dời lịch",
        "change_retitled": "đổi tên",
        "change_relocated": "đổi địa điểm",
        "page_no_meeting": "Không có buổi học",
        "page_qr_alt": "Mã QR của địa chỉ lịch {url}",
        "page_email": "Email",
        "page_index_h": "Các khóa học",
        "page_generator": "Tạo bằng syllabus-export.",
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
        "pdf_times_places": "Horaires et lieux",
        "pdf_site": "Site du cours",
        "pdf_translated_by": "Traduit par {translator}",
        "pdf_from": "À partir du {date}",
        "pdf_name": "Nom",
        "pdf_syllabus": "Plan de cours",
        "pdf_term_dates": "Cours du {first} au {last}",
        "pdf_time_zone": "Fuseau horaire",
        "pdf_label": "{label} : {value}",
        "scan_to_subscribe": "Scannez pour vous abonner au calendrier du cours",
        "subscribe": "S'abonner",
        "role": "Rôle",
        "contact": "Contact",
        "about": "Présentation",
        "meetings": "Séances",
        "page_skip": "Aller au calendrier",
        "page_subscribe_h": "S'abonner au calendrier du cours",
        "page_subscribe_intro": (
            "Abonnez-vous une fois : l'agenda de votre téléphone ou de votre ordinateur se met ensuite à "
            "jour tout seul quand le calendrier change."
        ),
        "page_webcal": "S'abonner (Calendrier Apple, Outlook, Thunderbird)",
        "page_google": "Ajouter à Google Agenda",
        "page_google_note": "sur un ordinateur ; si Google refuse, suivez les étapes ci-dessous",
        "page_outlook_live": "Outlook.com (compte personnel)",
        "page_office365": "Microsoft 365 (compte professionnel ou scolaire)",
        "page_feed_url": "Adresse du calendrier, à coller dans n'importe quelle application d'agenda :",
        "page_copy": "Copier l'adresse",
        "page_copied": "Copiée",
        "page_copy_hint": "(ou copiez l'adresse du lien)",
        "page_howto_h": "Comment s'abonner",
        "page_howto_apple_h": "iPhone, iPad, Mac :",
        "page_howto_apple": (
            "touchez « S'abonner », puis confirmez. Ou collez l'adresse dans Réglages › Calendrier › Comptes"
            " › Ajouter un compte › Autre › Ajouter un calendrier avec abonnement ; sur Mac, Fichier › "
            "Nouvel abonnement à un calendrier."
        ),
        "page_howto_google_h": "Android, Google Agenda :",
        "page_howto_google": (
            "sur un ordinateur, utilisez « Ajouter à Google Agenda », ou collez l'adresse dans Google Agenda"
            " › Autres agendas › À partir de l'URL › Ajouter un agenda. L'agenda apparaît ensuite sur chaque"
            " téléphone Android connecté au même compte. Sans Google : installez ICSx⁵ et touchez « "
            "S'abonner »."
        ),
        "page_google_addbyurl": "Google Agenda : ajouter à partir de l'URL",
        "page_howto_outlook_h": "Outlook :",
        "page_howto_outlook": (
            "Outlook.com et Microsoft 365 : utilisez leurs boutons ci-dessus, ou Calendrier › Ajouter un "
            "calendrier › S'abonner à partir du web, collez l'adresse, Importer. Outlook classique pour "
            "Windows : « S'abonner »."
        ),
        "page_howto_thunderbird_h": "Thunderbird :",
        "page_howto_thunderbird": (
            "Nouvel agenda › Sur le réseau › collez l'adresse (format iCalendar (ICS)) › choisissez un nom "
            "et une couleur."
        ),
        "page_refresh": (
            "Les applications d'agenda vont chercher les changements à leur rythme : Google en 12 à 24 "
            "heures, Outlook sur le web en quelques heures (parfois plus d'un jour), Apple et Thunderbird "
            "aussi souvent que vous le réglez. Les rappels d'un agenda abonné ne sont pas fiables : réglez "
            "les vôtres."
        ),
        "page_downloads_h": "Téléchargements",
        "page_ics": "Calendrier (.ics)",
        "page_ics_note": "importé une fois, jamais mis à jour",
        "page_pdf": "Programme (PDF)",
        "page_pdf_note": "pour l'impression",
        "page_other_feeds_h": "Un seul type de séance",
        "page_only_kind": "{kind} uniquement",
        "page_download": "télécharger",
        "timezone": "Fuseau horaire",
        "page_times_in": "Fuseau horaire des séances : {zone}.",
        "changes_h": "Derniers changements",
        "change_added": "ajoutée",
        "change_cancelled": "annulée",
        "change_reinstated": "rétablie",
        "change_moved": "déplacée",
        "change_retitled": "nouveau titre",
        "change_relocated": "nouveau lieu",
        "page_no_meeting": "Sans séance",
        "page_qr_alt": "Code QR de l'adresse du calendrier {url}",
        "page_email": "E-mail",
        "page_index_h": "Cours",
        "page_generator": "Produit avec syllabus-export.",
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
