"""Printed consent documents: the form to sign and the receipt, in the person's language."""

import html
import importlib
import re
import shutil
from types import SimpleNamespace
from urllib.parse import urlencode

import polib
import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from consent import documents
from maillage import printed
from referrals import slip_texts
from tests.factories import ConsentFactory, PersonFactory

REQUIRED = ["fr", "nl", "en", "ar", "prs", "ps", "ti", "uk", "ru", "es", "tr"]
RIGHT_TO_LEFT = {"ar", "prs", "ps"}
BASE = "/c/schaerbeek"


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def file(tenant_db):
    """A person followed by the BAPA, who agreed (orally, in Arabic) to share with the CPAS."""
    person = PersonFactory(given_name="Amina", family_name="حداد", languages=["ar"], preferred_language="ar")
    consent = ConsentFactory(
        person=person,
        purpose="Trouver un logement avec le CPAS",
        witness_name="Nadia Témoin",
        interpreter_used=True,
        interpreter_name="Sétis",
    )
    return person, consent


def _form_url(person, world, **params):
    query = {
        "recipient": str(world["cpas_referent"].organisation_public_id),
        "domain": "housing",
        "category": ["identity", "situation"],
        "purpose": "Trouver un logement avec le CPAS",
        **params,
    }
    return f"{BASE}/persons/{person.public_id}/consent-form/?{urlencode(query, doseq=True)}"


# The texts themselves (each catalogue's completeness is checked in tests/test_i18n.py)


def test_the_papers_catalogues_are_where_django_looks(settings):
    assert printed.LOCALE_DIR in settings.LOCALE_PATHS


def test_the_consent_papers_are_offered_in_the_eleven_languages_in_order():
    offered = printed.languages(documents.CONTEXT, documents.MESSAGES)
    assert [code for code, _ in offered] == REQUIRED
    assert dict(offered)["prs"] == "دری"
    assert dict(offered)["ar"] == "العربية"


@pytest.mark.parametrize("lang", REQUIRED)
def test_arabic_dari_and_pashto_read_right_to_left(lang):
    assert printed.direction(lang) == ("rtl" if lang in RIGHT_TO_LEFT else "ltr")


def test_need_domain_messages_are_the_seeded_french_labels():
    seed = importlib.import_module("directory.migrations.0003_seed_need_domains")
    assert {code: french for code, french, *_ in seed.DOMAINS} == printed.NEED_DOMAINS


@pytest.mark.parametrize("lang", [code for code in REQUIRED if code not in printed.SITE_LANGUAGES])
def test_seeded_need_domains_are_translated_beyond_the_site_languages(lang):
    for code, french in printed.NEED_DOMAINS.items():
        label, label_lang = printed.domain_label(SimpleNamespace(code=code, label_fr=french), lang)
        assert label_lang == lang, code
        assert label and label != french, code


def test_a_local_need_domain_prints_its_french_label():
    local = SimpleNamespace(code="permanence_juridique", label_fr="Permanence juridique")
    assert printed.domain_label(local, "ar") == ("Permanence juridique", "fr")


@pytest.mark.parametrize("asked", ["so", "am", "fa", "pt", "xx", "<b>", "../fr"])
def test_a_language_without_text_falls_back_to_french_and_says_so(asked):
    texts, used, missing = documents.document_texts(asked)
    assert (used, missing) == ("fr", True)
    assert texts == documents.document_texts("fr")[0]
    assert texts["form_title"] == "Accord pour partager des informations"


@pytest.mark.parametrize(
    ("asked", "used"), [("ar", "ar"), ("AR", "ar"), ("ar-SY", "ar"), ("prs", "prs"), ("uk_UA", "uk"), ("ti-ER", "ti")]
)
def test_a_variant_of_a_language_uses_that_language(asked, used):
    assert documents.document_texts(asked)[1:] == (used, False)


def test_no_language_asked_means_french_without_a_notice():
    assert documents.document_texts("")[1:] == ("fr", False)


@pytest.fixture
def arabic_catalogue(tmp_path, monkeypatch):
    """The papers read a copy of the catalogues; the test may then damage the Arabic one."""
    for lang in REQUIRED:
        shutil.copytree(printed.LOCALE_DIR / lang, tmp_path / lang)
    monkeypatch.setattr(printed, "LOCALE_DIR", tmp_path)
    printed._catalogue.cache_clear()
    yield tmp_path / "ar" / "LC_MESSAGES"
    printed._catalogue.cache_clear()


def test_a_partly_translated_paper_prints_in_french_and_says_so(arabic_catalogue):
    po = polib.pofile(str(arabic_catalogue / "django.po"))
    po.remove(po.find("Vos droits", msgctxt=documents.CONTEXT))
    po.save_as_mofile(str(arabic_catalogue / "django.mo"))
    texts, used, missing = documents.document_texts("ar")
    assert (used, missing) == ("fr", True)
    assert texts["rights_title"] == "Vos droits"
    assert texts["form_title"] == "Accord pour partager des informations"
    assert "ar" not in dict(printed.languages(documents.CONTEXT, documents.MESSAGES))
    # Every sentence of the slip is there: the slip still prints in Arabic.
    assert slip_texts.slip_texts("ar")[1:] == ("ar", False)


def test_a_language_whose_catalogue_is_gone_prints_in_french_and_says_so(arabic_catalogue):
    (arabic_catalogue / "django.mo").unlink()
    assert documents.document_texts("ar")[1:] == ("fr", True)
    assert slip_texts.slip_texts("ar")[1:] == ("fr", True)
    assert "ar" not in dict(slip_texts.languages())


def test_names_are_escaped_and_isolated():
    sentence = printed.fill("Avec {organisation}.", organisation="<VIA & co>")
    assert str(sentence) == "Avec <bdi>&lt;VIA &amp; co&gt;</bdi>."


def test_dari_is_named_in_dari_and_not_as_persian():
    assert printed.language_name_in("prs", "prs") == "دری"
    assert printed.language_name_in("ar", "prs") == "عربی"


# The form to sign


@pytest.mark.parametrize(
    ("lang", "direction", "sentence", "category"),
    [
        ("fr", "ltr", "Rien n'est partagé avant votre accord.", "Qui vous êtes et comment vous contacter"),
        ("nl", "ltr", "Er wordt niets gedeeld voordat u akkoord gaat.", "Wie u bent en hoe we u kunnen bereiken"),
        ("ar", "rtl", "لا تتم مشاركة أي شيء قبل موافقتك.", "من أنت وكيف يمكن الاتصال بك"),
        ("uk", "ltr", "Нічого не передається, поки ви не дасте згоду.", "Хто ви і як з вами зв'язатися"),
    ],
)
def test_form_prints_in_the_asked_language(file, tenant_db, login, client, lang, direction, sentence, category):
    person, _ = file
    login(tenant_db["bapa_worker"])
    response = client.get(_form_url(person, tenant_db, lang=lang))
    page = _page(response)
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert sentence in page
    assert category in page
    assert documents.document_texts(lang)[0]["category_situation"] in page
    assert "<bdi>CPAS de Schaerbeek</bdi>" in page
    assert "<bdi>VIA — BAPA Schaerbeek</bdi>" in page
    assert "<bdi>Amina حداد</bdi>" in page
    assert "Autorité de protection des données / Gegevensbeschermingsautoriteit" in page
    assert "n'existe pas encore" not in page


def test_form_prints_in_every_language_of_the_documents(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["bapa_worker"])
    for lang in REQUIRED:
        page = _page(client.get(_form_url(person, tenant_db, lang=lang)))
        texts = documents.document_texts(lang)[0]
        assert f'<html lang="{lang}" dir="{"rtl" if lang in RIGHT_TO_LEFT else "ltr"}">' in page, lang
        assert texts["form_title"] in page, lang


def test_form_defaults_to_the_persons_preferred_language(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_form_url(person, tenant_db)))
    assert '<html lang="ar" dir="rtl">' in page
    assert "السكن" in page  # the need domain, translated


def test_form_in_a_language_without_text_is_french_with_a_notice(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_form_url(person, tenant_db, lang="so")))
    assert '<html lang="fr" dir="ltr">' in page
    notice = re.search(r'<p class="notice"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "n'existe pas encore en <bdi>somali (Soomaali)</bdi>" in notice
    assert "imprimé en français" in notice
    assert "Rien n'est partagé avant votre accord." in page


def test_form_says_how_long_in_months(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_form_url(person, tenant_db, lang="en", months="6")))
    assert "Number of months: <bdi>6</bdi>" in page


def test_form_with_an_unknown_recipient_is_refused_naming_the_field(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["bapa_worker"])
    url = _form_url(person, tenant_db, recipient="00000000-0000-0000-0000-000000000000")
    response = client.get(url)
    assert response.status_code == 400
    assert "<code>recipient</code>" in response.content.decode()


@pytest.mark.parametrize(("param", "value"), [("domain", "astrology"), ("category", "dreams"), ("months", "99")])
def test_form_with_an_unknown_value_is_refused_naming_the_field(file, tenant_db, login, client, param, value):
    person, _ = file
    login(tenant_db["bapa_worker"])
    response = client.get(_form_url(person, tenant_db) + f"&{param}={value}")
    assert response.status_code == 400
    assert f"<code>{param}</code>" in response.content.decode()


def test_form_is_for_the_persons_own_organisation(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["outsider"])
    assert client.get(_form_url(person, tenant_db)).status_code == 404
    login(tenant_db["cpas_referent"])  # sees the file through the consent, does not follow the person
    assert client.get(_form_url(person, tenant_db)).status_code == 403


def test_printing_the_form_is_audited(file, tenant_db, login, client):
    person, _ = file
    login(tenant_db["bapa_worker"])
    client.get(_form_url(person, tenant_db, lang="nl"))
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="consent.form_printed", person_public_id=person.public_id)
    assert event.detail["language"] == "nl"
    assert event.detail["domains"] == ["housing"]
    assert event.organisation_public_id == tenant_db["bapa_worker"].organisation_public_id


# The receipt


def _receipt_url(consent, **params):
    return f"{BASE}/consents/{consent.public_id}/receipt/" + (f"?{urlencode(params)}" if params else "")


@pytest.mark.parametrize(
    ("lang", "direction", "sentence", "explained"),
    [
        ("fr", "ltr", "Gardez ce papier. C'est votre preuve.", "expliqué en <bdi>arabe</bdi>"),
        ("nl", "ltr", "Bewaar dit papier. Het is uw bewijs.", "uitgelegd in het <bdi>Arabisch</bdi>"),
        ("ar", "rtl", "احتفظ بهذه الورقة. إنها دليلك.", "باللغة <bdi>العربية</bdi>"),
        ("uk", "ltr", "Збережіть цей папір. Це ваш доказ.", "такою мовою: <bdi>арабська</bdi>"),
    ],
)
def test_receipt_prints_in_the_asked_language(file, tenant_db, login, client, lang, direction, sentence, explained):
    _, consent = file
    login(tenant_db["bapa_worker"])
    response = client.get(_receipt_url(consent, lang=lang))
    page = _page(response)
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert sentence in page
    assert explained in page
    assert "<bdi>Sétis</bdi>" in page
    assert "<bdi>CPAS de Schaerbeek</bdi>" in page
    texts = documents.document_texts(lang)[0]
    assert texts["category_identity"] in page
    assert texts["category_situation"] in page
    assert texts["category_case_notes"] not in page
    assert texts["state_given"] in page
    assert str(consent.public_id) in page


def test_receipt_defaults_to_the_persons_preferred_language(file, tenant_db, login, client):
    _, consent = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_receipt_url(consent)))
    assert '<html lang="ar" dir="rtl">' in page


def test_receipt_dates_are_digits_outside_the_site_languages(file, tenant_db, login, client):
    _, consent = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_receipt_url(consent, lang="ar")))
    assert consent.expires_at.astimezone().strftime("%Y") in page
    assert re.search(r"<bdi>\d\d/\d\d/\d{4}</bdi>", page)


def test_receipt_in_a_language_without_text_is_french_with_a_notice(file, tenant_db, login, client):
    _, consent = file
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_receipt_url(consent, lang="am")))
    assert '<html lang="fr" dir="ltr">' in page
    assert "n'existe pas encore en <bdi>amharique (አማርኛ)</bdi>" in page


def test_receipt_is_hidden_from_another_organisation(file, tenant_db, login, client):
    _, consent = file
    login(tenant_db["outsider"])
    assert client.get(_receipt_url(consent)).status_code == 404


def test_receipt_is_hidden_from_another_coordination(file, tenant_db, login, client):
    _, consent = file
    login(tenant_db["foreigner"])
    assert client.get(_receipt_url(consent)).status_code == 404


def test_recipient_sees_the_consent_but_may_not_print_the_receipt(file, tenant_db, login, client):
    _, consent = file
    login(tenant_db["cpas_referent"])
    assert client.get(_receipt_url(consent)).status_code == 403
    with schema_context("schaerbeek"):
        assert not AuditEvent.objects.filter(action="consent.receipt_printed").exists()


def test_printing_the_receipt_is_audited(file, tenant_db, login, client):
    person, consent = file
    login(tenant_db["bapa_worker"])
    client.get(_receipt_url(consent, lang="uk"))
    with schema_context("schaerbeek"):
        event = AuditEvent.objects.get(action="consent.receipt_printed", object_public_id=consent.public_id)
    assert event.person_public_id == person.public_id
    assert event.detail == {"language": "uk", "fell_back": False, "version": 1}


def test_receipt_of_a_withdrawn_consent_says_it_was_stopped(file, tenant_db, login, client):
    from consent.services import withdraw_consent

    _, consent = file
    with schema_context("schaerbeek"):
        withdraw_consent(actor=tenant_db["bapa_worker"].actor(), consent=consent, reason="La personne le demande")
    login(tenant_db["bapa_worker"])
    page = _page(client.get(_receipt_url(consent, lang="en")))
    assert "This agreement was stopped on <bdi>" in page


def test_documents_use_no_inline_style_or_script(file, tenant_db, login, client):
    person, consent = file
    login(tenant_db["bapa_worker"])
    for url in (_form_url(person, tenant_db), _receipt_url(consent)):
        page = client.get(url).content.decode()
        assert "<style" not in page and "<script" not in page and "style=" not in page
        assert "maillage/consent-print.css" in page
