"""The words of the printed list of offers (the "useful addresses" a worker hands to a
person), as data.

The list is read by the person, so it is printed in the person's language even when the
site is not offered in it. It follows consent/documents.py and reuses its helpers:
- every language holds exactly the keys of French (a test checks it);
- a language with no text prints in French with documents.MISSING_NOTICE_FR, naming the
  language asked for; never silently in another language (Persian is not Dari);
- organisation names, offer titles, addresses and phone numbers are data: never
  translated, isolated with <bdi> in the template;
- need-domain labels come from documents.domain_label, language names from
  maillage.languages.language_name, weekday names from CLDR (babel), all in the list's
  language.

Labels are short and plain: an interpreter often reads them aloud.

The ar, prs, ps and ti texts should be checked by a community interpreter before wide use;
corrections go here, keeping the keys.
"""

from __future__ import annotations

from babel.lists import format_list

from consent import documents

FALLBACK = documents.FALLBACK

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "language_name": "français",
        "dir": "ltr",
        "title": "Adresses utiles",
        "address": "Adresse",
        "phone": "Téléphone",
        "online": "En ligne",
        "hours": "Heures d'ouverture",
        "ask_appointment": "Demandez un rendez-vous",
        "access": "Comment y aller",
        "access_drop_in": "Sans rendez-vous",
        "access_appointment": "Sur rendez-vous",
        "access_referral_only": "Seulement si une autre organisation vous y envoie",
        "cost": "Prix",
        "cost_free": "Gratuit",
        "cost_contribution": "Participation aux frais",
        "languages": "Langues parlées",
        "interpretation": "interprète disponible",
        "no_offer": "Aucune offre n'a été choisie.",
    },
    "nl": {
        "language_name": "Nederlands",
        "dir": "ltr",
        "title": "Nuttige adressen",
        "address": "Adres",
        "phone": "Telefoon",
        "online": "Online",
        "hours": "Openingsuren",
        "ask_appointment": "Vraag een afspraak aan",
        "access": "Hoe kunt u er terecht",
        "access_drop_in": "Zonder afspraak",
        "access_appointment": "Op afspraak",
        "access_referral_only": "Alleen als een andere organisatie u doorstuurt",
        "cost": "Prijs",
        "cost_free": "Gratis",
        "cost_contribution": "Bijdrage in de kosten",
        "languages": "Gesproken talen",
        "interpretation": "tolk beschikbaar",
        "no_offer": "Er werd geen aanbod gekozen.",
    },
    "en": {
        "language_name": "English",
        "dir": "ltr",
        "title": "Useful addresses",
        "address": "Address",
        "phone": "Phone",
        "online": "Online",
        "hours": "Opening hours",
        "ask_appointment": "Ask for an appointment",
        "access": "How to go",
        "access_drop_in": "No appointment needed",
        "access_appointment": "By appointment",
        "access_referral_only": "Only if another organisation sends you",
        "cost": "Cost",
        "cost_free": "Free",
        "cost_contribution": "You pay part of the cost",
        "languages": "Languages spoken",
        "interpretation": "interpreter available",
        "no_offer": "No offer was chosen.",
    },
    "ar": {
        "language_name": "العربية",
        "dir": "rtl",
        "title": "عناوين مفيدة",
        "address": "العنوان",
        "phone": "الهاتف",
        "online": "عبر الإنترنت",
        "hours": "ساعات العمل",
        "ask_appointment": "اطلب موعدًا",
        "access": "كيف تذهب",
        "access_drop_in": "بدون موعد",
        "access_appointment": "بموعد مسبق",
        "access_referral_only": "فقط إذا أرسلتك منظمة أخرى",
        "cost": "التكلفة",
        "cost_free": "مجاني",
        "cost_contribution": "تدفع جزءًا من التكلفة",
        "languages": "اللغات المستعملة",
        "interpretation": "يوجد مترجم",
        "no_offer": "لم يتم اختيار أي خدمة.",
    },
    "prs": {
        "language_name": "دری",
        "dir": "rtl",
        "title": "آدرس‌های مفید",
        "address": "آدرس",
        "phone": "تیلفون",
        "online": "آنلاین",
        "hours": "ساعات کاری",
        "ask_appointment": "وقت ملاقات بخواهید",
        "access": "چطور بروید",
        "access_drop_in": "بدون وقت ملاقات",
        "access_appointment": "با وقت ملاقات",
        "access_referral_only": "فقط اگر یک مؤسسهٔ دیگر شما را بفرستد",
        "cost": "هزینه",
        "cost_free": "رایگان",
        "cost_contribution": "شما بخشی از هزینه را می‌پردازید",
        "languages": "زبان‌ها",
        "interpretation": "ترجمان موجود است",
        "no_offer": "هیچ خدمتی انتخاب نشده است.",
    },
    "ps": {
        "language_name": "پښتو",
        "dir": "rtl",
        "title": "ګټورې پتې",
        "address": "پته",
        "phone": "ټیلیفون",
        "online": "آنلاین",
        "hours": "د کار ساعتونه",
        "ask_appointment": "د لیدنې وخت وغواړئ",
        "access": "څنګه ورشئ",
        "access_drop_in": "د لیدنې وخت ته اړتیا نشته",
        "access_appointment": "د ټاکل شوي وخت سره",
        "access_referral_only": "یوازې که بله موسسه تاسو ولېږي",
        "cost": "لګښت",
        "cost_free": "وړیا",
        "cost_contribution": "تاسو د لګښت یوه برخه ورکوئ",
        "languages": "ژبې",
        "interpretation": "ژباړونکی شته",
        "no_offer": "هېڅ خدمت نه دی ټاکل شوی.",
    },
    "ti": {
        "language_name": "ትግርኛ",
        "dir": "ltr",
        "title": "ጠቐምቲ ኣድራሻታት",
        "address": "ኣድራሻ",
        "phone": "ቴሌፎን",
        "online": "ብኢንተርነት",
        "hours": "ሰዓታት ስራሕ",
        "ask_appointment": "ቆጸራ ሕተቱ",
        "access": "ከመይ ትኸዱ",
        "access_drop_in": "ብዘይ ቆጸራ",
        "access_appointment": "ብቆጸራ",
        "access_referral_only": "ካልእ ትካል እንተ ሰደደኩም ጥራይ",
        "cost": "ዋጋ",
        "cost_free": "ብነጻ",
        "cost_contribution": "ሓደ ክፋል ናይቲ ዋጋ ትኸፍሉ",
        "languages": "ዝዝረቡ ቋንቋታት",
        "interpretation": "ተርጓሚ ኣሎ",
        "no_offer": "ዝተመርጸ ኣገልግሎት የለን።",
    },
    "uk": {
        "language_name": "українська",
        "dir": "ltr",
        "title": "Корисні адреси",
        "address": "Адреса",
        "phone": "Телефон",
        "online": "Онлайн",
        "hours": "Години роботи",
        "ask_appointment": "Запишіться на прийом",
        "access": "Як потрапити",
        "access_drop_in": "Без запису",
        "access_appointment": "За записом",
        "access_referral_only": "Лише якщо вас направить інша організація",
        "cost": "Вартість",
        "cost_free": "Безкоштовно",
        "cost_contribution": "Ви оплачуєте частину вартості",
        "languages": "Мови спілкування",
        "interpretation": "є перекладач",
        "no_offer": "Жодної послуги не вибрано.",
    },
    "ru": {
        "language_name": "русский",
        "dir": "ltr",
        "title": "Полезные адреса",
        "address": "Адрес",
        "phone": "Телефон",
        "online": "Онлайн",
        "hours": "Часы работы",
        "ask_appointment": "Запишитесь на приём",
        "access": "Как попасть",
        "access_drop_in": "Без записи",
        "access_appointment": "По записи",
        "access_referral_only": "Только если вас направит другая организация",
        "cost": "Стоимость",
        "cost_free": "Бесплатно",
        "cost_contribution": "Вы оплачиваете часть стоимости",
        "languages": "Языки общения",
        "interpretation": "есть переводчик",
        "no_offer": "Ни одна услуга не выбрана.",
    },
    "es": {
        "language_name": "español",
        "dir": "ltr",
        "title": "Direcciones útiles",
        "address": "Dirección",
        "phone": "Teléfono",
        "online": "En línea",
        "hours": "Horario de atención",
        "ask_appointment": "Pida una cita",
        "access": "Cómo ir",
        "access_drop_in": "Sin cita previa",
        "access_appointment": "Con cita previa",
        "access_referral_only": "Solo si otra organización le envía",
        "cost": "Precio",
        "cost_free": "Gratis",
        "cost_contribution": "Usted paga una parte del coste",
        "languages": "Idiomas que se hablan",
        "interpretation": "hay intérprete",
        "no_offer": "No se eligió ningún servicio.",
    },
    "tr": {
        "language_name": "Türkçe",
        "dir": "ltr",
        "title": "Faydalı adresler",
        "address": "Adres",
        "phone": "Telefon",
        "online": "İnternet üzerinden",
        "hours": "Çalışma saatleri",
        "ask_appointment": "Randevu isteyin",
        "access": "Nasıl gidilir",
        "access_drop_in": "Randevusuz",
        "access_appointment": "Randevuyla",
        "access_referral_only": "Sadece başka bir kurum sizi yönlendirirse",
        "cost": "Ücret",
        "cost_free": "Ücretsiz",
        "cost_contribution": "Ücretin bir kısmını siz ödersiniz",
        "languages": "Konuşulan diller",
        "interpretation": "tercüman var",
        "no_offer": "Hiçbir hizmet seçilmedi.",
    },
}


def print_texts(lang: str | None) -> tuple[dict[str, str], str, bool]:
    return documents.pick(TEXTS, lang)


def languages() -> list[tuple[str, str]]:
    """(code, the language's name in itself), for the form that asks which language to print."""
    return [(code, texts["language_name"]) for code, texts in TEXTS.items()]


def join(items: list[str], lang: str) -> str:
    """ "A, B and C" as the language writes it (CLDR list patterns)."""
    if not items:
        return ""
    return format_list(list(items), locale=documents.cldr_locale(lang))
