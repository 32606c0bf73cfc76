# ruff: noqa: E501
# (Sentences are kept whole, one per line, as in consent/documents.py.)
"""The words of the appointment slip, as data: the paper a referred person takes to the
receiving organisation (where, when, whom to ask for, what to bring, opening hours).

The slip is read by the person, so it is printed in the person's language even when the
site is not offered in it. It follows consent/documents.py and reuses its helpers:
- every language holds exactly the keys of French (a test checks it);
- a language with no text prints in French with documents.MISSING_NOTICE_FR, naming the
  language asked for; never silently in another language (Persian is not Dari);
- names of organisations, people, places and offers are data, isolated with <bdi>
  (documents.fill);
- dates in the site's languages are written in words, elsewhere in digits; weekday names
  come from CLDR (babel), in the slip's language.

French puts a no-break space (\u00a0) before ":" and "?".

The ar, prs, ps and ti texts should be checked by a community interpreter before wide use;
corrections go here, keeping the keys.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

from consent import documents
from directory.languages import language_name

FALLBACK = documents.FALLBACK

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "language_name": "français",
        "dir": "ltr",
        "title": "Votre rendez-vous",
        "intro": "{sender} vous envoie chez {organisation}.",
        "person": "Nom",
        "about": "Pour quoi",
        "where": "Où aller",
        "when": "Quand",
        "when_value": "{day} {date} à {time}",
        "no_appointment": "Il n'y a pas encore d'heure fixée. Allez-y pendant les heures d'ouverture, ou téléphonez d'abord.",
        "whom": "Qui demander",
        "ask_reception": "Montrez ce papier à l'accueil de {organisation}.",
        "ask_person": "Demandez {name}.",
        "bring": "Quoi prendre avec vous",
        "bring_identity": "Votre carte d'identité ou votre carte de séjour.",
        "bring_slip": "Ce papier.",
        "bring_documents": "Les papiers sur votre demande (lettres, décisions, attestations).",
        "hours": "Heures d'ouverture",
        "no_hours": "Téléphonez pour connaître les heures d'ouverture.",
        "phone": "Téléphone",
        "interpreter": "Vous avez besoin d'un interprète ({language})\u00a0: dites-le à l'accueil.",
        "cannot_come": "Si vous ne pouvez pas venir, prévenez {organisation}.",
        "questions": "Une question\u00a0? Adressez-vous à {organisation}.",
        "reference": "Référence",
    },
    "nl": {
        "language_name": "Nederlands",
        "dir": "ltr",
        "title": "Uw afspraak",
        "intro": "{sender} stuurt u naar {organisation}.",
        "person": "Naam",
        "about": "Waarvoor",
        "where": "Waar",
        "when": "Wanneer",
        "when_value": "{day} {date} om {time}",
        "no_appointment": "Er is nog geen uur vastgelegd. Ga tijdens de openingsuren, of bel eerst.",
        "whom": "Naar wie vragen",
        "ask_reception": "Toon dit papier aan het onthaal van {organisation}.",
        "ask_person": "Vraag naar {name}.",
        "bring": "Wat meebrengen",
        "bring_identity": "Uw identiteitskaart of uw verblijfskaart.",
        "bring_slip": "Dit papier.",
        "bring_documents": "De papieren over uw vraag (brieven, beslissingen, attesten).",
        "hours": "Openingsuren",
        "no_hours": "Bel om de openingsuren te kennen.",
        "phone": "Telefoon",
        "interpreter": "U hebt een tolk nodig ({language}): zeg het aan het onthaal.",
        "cannot_come": "Kunt u niet komen? Verwittig {organisation}.",
        "questions": "Een vraag? Wend u tot {organisation}.",
        "reference": "Referentie",
    },
    "en": {
        "language_name": "English",
        "dir": "ltr",
        "title": "Your appointment",
        "intro": "{sender} sends you to {organisation}.",
        "person": "Name",
        "about": "What for",
        "where": "Where",
        "when": "When",
        "when_value": "{day} {date} at {time}",
        "no_appointment": "No time has been set yet. Go during the opening hours, or phone first.",
        "whom": "Whom to ask for",
        "ask_reception": "Show this paper at the reception of {organisation}.",
        "ask_person": "Ask for {name}.",
        "bring": "What to bring",
        "bring_identity": "Your identity card or residence card.",
        "bring_slip": "This paper.",
        "bring_documents": "Papers about your request (letters, decisions, certificates).",
        "hours": "Opening hours",
        "no_hours": "Phone to know the opening hours.",
        "phone": "Phone",
        "interpreter": "You need an interpreter ({language}): say so at the reception.",
        "cannot_come": "If you cannot come, tell {organisation}.",
        "questions": "A question? Ask {organisation}.",
        "reference": "Reference",
    },
    "ar": {
        "language_name": "العربية",
        "dir": "rtl",
        "title": "موعدك",
        "intro": "{sender} ترسلك إلى {organisation}.",
        "person": "الاسم",
        "about": "من أجل",
        "where": "أين",
        "when": "متى",
        "when_value": "{day} {date}، الساعة {time}",
        "no_appointment": "لم يُحدَّد موعد بعد. اذهب خلال ساعات العمل، أو اتصل أولاً.",
        "whom": "عمّن تسأل",
        "ask_reception": "أظهر هذه الورقة في استقبال {organisation}.",
        "ask_person": "اسأل عن {name}.",
        "bring": "ماذا تحضر معك",
        "bring_identity": "بطاقة هويتك أو بطاقة إقامتك.",
        "bring_slip": "هذه الورقة.",
        "bring_documents": "الأوراق المتعلقة بطلبك (رسائل، قرارات، شهادات).",
        "hours": "ساعات العمل",
        "no_hours": "اتصل لمعرفة ساعات العمل.",
        "phone": "الهاتف",
        "interpreter": "تحتاج إلى مترجم ({language}): قل ذلك في الاستقبال.",
        "cannot_come": "إذا لم تستطع الحضور، أخبر {organisation}.",
        "questions": "لديك سؤال؟ توجّه إلى {organisation}.",
        "reference": "الرقم المرجعي",
    },
    "prs": {
        "language_name": "دری",
        "dir": "rtl",
        "title": "وقت ملاقات شما",
        "intro": "{sender} شما را به {organisation} می‌فرستد.",
        "person": "نام",
        "about": "برای چه",
        "where": "کجا",
        "when": "چه وقت",
        "when_value": "{day} {date}، ساعت {time}",
        "no_appointment": "هنوز وقت ملاقات تعیین نشده است. در ساعات کاری بروید، یا اول تیلفون کنید.",
        "whom": "سراغ کی را بگیرید",
        "ask_reception": "این کاغذ را به پذیرش {organisation} نشان بدهید.",
        "ask_person": "سراغ {name} را بگیرید.",
        "bring": "چه چیزی با خود بیاورید",
        "bring_identity": "کارت هویت یا کارت اقامت شما.",
        "bring_slip": "همین کاغذ.",
        "bring_documents": "کاغذهای مربوط به درخواست شما (نامه‌ها، فیصله‌ها، تصدیق‌نامه‌ها).",
        "hours": "ساعات کاری",
        "no_hours": "برای دانستن ساعات کاری تیلفون کنید.",
        "phone": "تیلفون",
        "interpreter": "شما به ترجمان ضرورت دارید ({language}): این را در پذیرش بگویید.",
        "cannot_come": "اگر نمی‌توانید بیایید، به {organisation} خبر بدهید.",
        "questions": "سؤال دارید؟ به {organisation} مراجعه کنید.",
        "reference": "شمارهٔ مرجع",
    },
    "ps": {
        "language_name": "پښتو",
        "dir": "rtl",
        "title": "ستاسو د لیدنې وخت",
        "intro": "{sender} تاسو {organisation} ته لېږي.",
        "person": "نوم",
        "about": "د څه لپاره",
        "where": "چېرته",
        "when": "کله",
        "when_value": "{day} {date}، ساعت {time}",
        "no_appointment": "لا تر اوسه د لیدنې وخت نه دی ټاکل شوی. د کار په ساعتونو کې ورشئ، یا لومړی زنګ ووهئ.",
        "whom": "د چا پوښتنه وکړئ",
        "ask_reception": "دا پاڼه د {organisation} په استقبال کې وښایاست.",
        "ask_person": "د {name} پوښتنه وکړئ.",
        "bring": "له ځان سره څه راوړئ",
        "bring_identity": "ستاسو د هویت کارت یا د اوسېدو کارت.",
        "bring_slip": "همدا پاڼه.",
        "bring_documents": "ستاسو د غوښتنې په اړه پاڼې (لیکونه، پرېکړې، تصدیق پاڼې).",
        "hours": "د کار ساعتونه",
        "no_hours": "د کار د ساعتونو د پوهېدو لپاره زنګ ووهئ.",
        "phone": "ټیلیفون",
        "interpreter": "تاسو ژباړونکي ته اړتیا لرئ ({language}): دا په استقبال کې ووایاست.",
        "cannot_come": "که نشئ راتلای، {organisation} ته خبر ورکړئ.",
        "questions": "پوښتنه لرئ؟ {organisation} ته مراجعه وکړئ.",
        "reference": "د مرجع شمېره",
    },
    "ti": {
        "language_name": "ትግርኛ",
        "dir": "ltr",
        "title": "ቆጸራኹም",
        "intro": "{sender} ናብ {organisation} ይሰደኩም ኣሎ።",
        "person": "ስም",
        "about": "ንምንታይ",
        "where": "ኣበይ",
        "when": "መዓስ",
        "when_value": "{day} {date}፡ ሰዓት {time}",
        "no_appointment": "ገና ሰዓት ኣይተወሰነን። ኣብ ሰዓታት ስራሕ ኪዱ፡ ወይ ቅድም ደውሉ።",
        "whom": "ንመን ክትሓቱ",
        "ask_reception": "ነዛ ወረቐት ኣብ መቐበሊ ጋሻ ናይ {organisation} ኣርእዩዋ።",
        "ask_person": "ብዛዕባ {name} ሕተቱ።",
        "bring": "እንታይ ሒዝኩም ክትመጹ",
        "bring_identity": "መንነት ካርድኹም ወይ ናይ መንበሪ ካርድኹም።",
        "bring_slip": "እዛ ወረቐት።",
        "bring_documents": "ብዛዕባ ሕቶኹም ዘለዉ ወረቓቕቲ (ደብዳቤታት፡ ውሳነታት፡ ምስክር ወረቐት)።",
        "hours": "ሰዓታት ስራሕ",
        "no_hours": "ሰዓታት ስራሕ ንምፍላጥ ደውሉ።",
        "phone": "ቴሌፎን",
        "interpreter": "ተርጓሚ የድልየኩም እዩ ({language})፦ ኣብ መቐበሊ ጋሻ ንገሩ።",
        "cannot_come": "ክትመጹ እንተ ዘይክኢልኩም፡ ንትካል {organisation} ሓብሩ።",
        "questions": "ሕቶ ኣለኩም ድዩ? ናብ {organisation} ቅረቡ።",
        "reference": "መወከሲ ቑጽሪ",
    },
    "uk": {
        "language_name": "українська",
        "dir": "ltr",
        "title": "Ваша зустріч",
        "intro": "{sender} направляє вас до {organisation}.",
        "person": "Ім'я",
        "about": "З якого питання",
        "where": "Де",
        "when": "Коли",
        "when_value": "{day}, {date}, о {time}",
        "no_appointment": "Час ще не призначено. Ідіть у години роботи або спочатку зателефонуйте.",
        "whom": "Кого запитати",
        "ask_reception": "Покажіть цей папір на рецепції: {organisation}.",
        "ask_person": "Запитайте: {name}.",
        "bring": "Що взяти з собою",
        "bring_identity": "Посвідчення особи або посвідку на проживання.",
        "bring_slip": "Цей папір.",
        "bring_documents": "Папери щодо вашого питання (листи, рішення, довідки).",
        "hours": "Години роботи",
        "no_hours": "Зателефонуйте, щоб дізнатися години роботи.",
        "phone": "Телефон",
        "interpreter": "Вам потрібен перекладач ({language}): скажіть про це на рецепції.",
        "cannot_come": "Якщо ви не можете прийти, повідомте: {organisation}.",
        "questions": "Є питання? Зверніться сюди: {organisation}.",
        "reference": "Номер",
    },
    "ru": {
        "language_name": "русский",
        "dir": "ltr",
        "title": "Ваша встреча",
        "intro": "{sender} направляет вас сюда: {organisation}.",
        "person": "Имя",
        "about": "По какому вопросу",
        "where": "Где",
        "when": "Когда",
        "when_value": "{day}, {date}, в {time}",
        "no_appointment": "Время ещё не назначено. Идите в часы работы или сначала позвоните.",
        "whom": "Кого спросить",
        "ask_reception": "Покажите эту бумагу на приёме: {organisation}.",
        "ask_person": "Спросите: {name}.",
        "bring": "Что взять с собой",
        "bring_identity": "Удостоверение личности или вид на жительство.",
        "bring_slip": "Эту бумагу.",
        "bring_documents": "Бумаги по вашему вопросу (письма, решения, справки).",
        "hours": "Часы работы",
        "no_hours": "Позвоните, чтобы узнать часы работы.",
        "phone": "Телефон",
        "interpreter": "Вам нужен переводчик ({language}): скажите об этом на приёме.",
        "cannot_come": "Если вы не можете прийти, сообщите: {organisation}.",
        "questions": "Есть вопрос? Обратитесь сюда: {organisation}.",
        "reference": "Номер",
    },
    "es": {
        "language_name": "español",
        "dir": "ltr",
        "title": "Su cita",
        "intro": "{sender} le envía a {organisation}.",
        "person": "Nombre",
        "about": "Para qué",
        "where": "Dónde",
        "when": "Cuándo",
        "when_value": "{day} {date} a las {time}",
        "no_appointment": "Todavía no hay hora fijada. Vaya durante el horario de atención, o llame antes.",
        "whom": "Por quién preguntar",
        "ask_reception": "Muestre este papel en la recepción de {organisation}.",
        "ask_person": "Pregunte por {name}.",
        "bring": "Qué llevar",
        "bring_identity": "Su documento de identidad o su tarjeta de residencia.",
        "bring_slip": "Este papel.",
        "bring_documents": "Los papeles sobre su solicitud (cartas, decisiones, certificados).",
        "hours": "Horario de atención",
        "no_hours": "Llame para saber el horario de atención.",
        "phone": "Teléfono",
        "interpreter": "Necesita un intérprete ({language}): dígalo en la recepción.",
        "cannot_come": "Si no puede ir, avise a {organisation}.",
        "questions": "¿Una pregunta? Diríjase a {organisation}.",
        "reference": "Referencia",
    },
    "tr": {
        "language_name": "Türkçe",
        "dir": "ltr",
        "title": "Randevunuz",
        "intro": "{sender} sizi şu kuruma yönlendiriyor: {organisation}.",
        "person": "Ad",
        "about": "Ne için",
        "where": "Nereye",
        "when": "Ne zaman",
        "when_value": "{date} {day}, saat {time}",
        "no_appointment": "Henüz saat belirlenmedi. Çalışma saatlerinde gidin veya önce telefon edin.",
        "whom": "Kimi soracaksınız",
        "ask_reception": "Bu kâğıdı danışmada gösterin: {organisation}.",
        "ask_person": "Şu kişiyi sorun: {name}.",
        "bring": "Yanınızda ne getirmelisiniz",
        "bring_identity": "Kimlik kartınız veya oturma kartınız.",
        "bring_slip": "Bu kâğıt.",
        "bring_documents": "Talebinizle ilgili kâğıtlar (mektuplar, kararlar, yazılar).",
        "hours": "Çalışma saatleri",
        "no_hours": "Çalışma saatlerini öğrenmek için telefon edin.",
        "phone": "Telefon",
        "interpreter": "Tercümana ihtiyacınız var ({language}): bunu danışmada söyleyin.",
        "cannot_come": "Gelemezseniz şu kuruma haber verin: {organisation}.",
        "questions": "Bir sorunuz mu var? Şu kuruma başvurun: {organisation}.",
        "reference": "Referans",
    },
}

# The standard list of what to bring, in the order printed.
BRING = ("bring_identity", "bring_slip", "bring_documents")

# CLDR knows Dari as Persian of Afghanistan.
_CLDR_LOCALES = {"prs": "fa_AF"}


def slip_texts(lang: str | None) -> tuple[dict[str, str], str, bool]:
    """(texts, language used, missing), as documents.document_texts: no language asked is
    French without a notice; a language without text is French with missing=True."""
    wanted = documents.normalise(lang)
    if not wanted:
        return dict(TEXTS[FALLBACK]), FALLBACK, False
    if wanted in TEXTS:
        return dict(TEXTS[wanted]), wanted, False
    return dict(TEXTS[FALLBACK]), FALLBACK, True


def missing_notice(wanted: str):
    """The French notice naming the language asked for (and its own name, when known)."""
    code = documents.normalise(wanted)
    name = language_name(code, FALLBACK) if code else wanted
    own = documents.endonym(code) if code else ""
    if own and own != name:
        name = f"{name} ({own})"
    return documents.fill(documents.MISSING_NOTICE_FR, language=name)


@lru_cache(maxsize=32)
def _weekdays(lang: str) -> dict[int, str]:
    try:
        names = Locale.parse(_CLDR_LOCALES.get(lang, lang)).days["format"]["wide"]
    except (UnknownLocaleError, ValueError):
        names = Locale.parse(FALLBACK).days["format"]["wide"]
    return {index + 1: names[index] for index in range(7)}


def weekday_name(isoweekday: int, lang: str) -> str:
    """Monday is 1, as in directory.models.Weekday."""
    return _weekdays(lang)[isoweekday]
