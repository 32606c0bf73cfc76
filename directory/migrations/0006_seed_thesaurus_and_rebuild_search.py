"""The search thesaurus every coordination starts with, and the offers' search documents
rebuilt in the new form (directory.search).

The sector's abbreviations and words in French and Dutch, the English words newcomers and
workers use, each entry pointing to the need domains it belongs to. Coordinators extend it
from the directory's thesaurus page. The fold and the SQL below are frozen copies of
directory.search as this migration was written: later changes there must not change what
this migration does.
"""

import re
import unicodedata

from django.db import migrations

ENTRIES = [
    # Social rights and income
    (["RIS", "revenu d'intégration", "revenu d'intégration sociale", "leefloon", "minimex", "integration income",
      "living wage", "welfare benefit", "social welfare income"], ["social_rights"]),
    (["CPAS", "OCMW", "centre public d'action sociale", "openbaar centrum voor maatschappelijk welzijn",
      "public social welfare centre", "welfare office"], ["social_rights"]),
    (["PIIS", "GPMI", "projet individualisé d'intégration sociale", "contrat PIIS", "individualised integration project"],
     ["social_rights"]),
    (["allocations familiales", "groeipakket", "kindergeld", "child benefit", "family allowance", "Famiris", "Famiwal"],
     ["social_rights"]),
    (["chômage", "werkloosheid", "unemployment", "allocations de chômage", "werkloosheidsuitkering",
      "unemployment benefit", "demandeur d'emploi", "werkzoekende", "jobseeker"], ["social_rights", "employment_training"]),
    (["assistant social", "assistante sociale", "maatschappelijk werker", "social worker", "aide sociale",
      "service social", "sociale dienst", "social assistance", "welfare"], ["social_rights"]),
    # Language
    (["FLE", "NT2", "français langue étrangère", "Nederlands als tweede taal", "français langue seconde", "FLS",
      "second language"], ["language"]),
    (["cours de français", "apprendre le français", "french classes", "french class", "french lessons",
      "french course", "learn french", "Franse les", "Frans leren", "cursus Frans"], ["language"]),
    (["cours de néerlandais", "apprendre le néerlandais", "Nederlandse les", "Nederlandse lessen", "Nederlands leren",
      "cursus Nederlands", "les Nederlands", "dutch classes", "dutch class", "dutch lessons", "dutch course",
      "learn dutch"], ["language"]),
    (["cours de langue", "cours de langues", "taalcursus", "taalles", "taallessen", "language course",
      "language classes", "language lessons", "cours", "lessen", "cursus", "leçon", "leçons", "class", "classes",
      "lesson", "lessons", "course"], ["language"]),
    (["table de conversation", "conversation", "taalcafé", "parler", "spreken", "speak", "pratiquer", "oefenen",
      "practise"], ["language", "social_link"]),
    (["alpha", "alfa", "alphabétisation", "alfabetisering", "lire et écrire", "lezen en schrijven", "literacy",
      "analphabète", "analfabeet", "illiterate", "reading and writing"], ["language"]),
    # Integration programme
    (["BAPA", "bureau d'accueil", "bureau d'accueil pour primo-arrivants", "onthaalbureau", "BON",
      "reception office", "reception office for newcomers"], ["integration_programme"]),
    (["parcours d'accueil", "parcours d'intégration", "inburgering", "inburgeringstraject", "integration programme",
      "integration course", "civic integration", "parcours"], ["integration_programme"]),
    (["formation citoyenne", "formation à la citoyenneté", "citoyenneté", "maatschappelijke oriëntatie",
      "burgerschap", "citizenship", "citizenship course", "droits et devoirs"], ["integration_programme"]),
    (["ILI", "initiative locale d'intégration", "initiatives locales d'intégration", "local integration initiative"],
     ["integration_programme", "language"]),
    (["CRI", "centre régional d'intégration", "regional integration centre", "Agentschap Integratie en Inburgering"],
     ["integration_programme"]),
    (["primo-arrivant", "primo-arrivants", "nieuwkomer", "nieuwkomers", "newcomer", "newcomers", "nouvel arrivant",
      "nouveaux arrivants"], ["integration_programme"]),
    # Employment and training
    (["ISP", "insertion socioprofessionnelle", "orientation socioprofessionnelle", "loopbaanbegeleiding",
      "trajectbegeleiding", "job coaching", "career guidance"], ["employment_training"]),
    (["emploi", "travail", "boulot", "job", "werk", "werken", "work", "employment", "chercher du travail",
      "werk zoeken", "find a job", "Actiris", "VDAB", "Forem", "article 60", "artikel 60"], ["employment_training"]),
    (["équivalence", "équivalence de diplôme", "équivalences", "reconnaissance de diplôme", "diplomagelijkschakeling",
      "gelijkwaardigheid", "NARIC", "diploma recognition", "recognition of diploma", "diplôme", "diploma"],
     ["employment_training"]),
    (["formation", "formation professionnelle", "opleiding", "beroepsopleiding", "training", "vocational training"],
     ["employment_training"]),
    # Housing
    (["logement", "huisvesting", "woning", "woonst", "housing", "apartment", "appartement", "flat", "rent", "loyer",
      "huur", "accommodation", "chercher un logement", "find a house", "find a flat", "kot"], ["housing"]),
    (["AIS", "agence immobilière sociale", "SVK", "sociaal verhuurkantoor", "social rental agency", "logement social",
      "sociale woning", "social housing"], ["housing"]),
    (["garantie locative", "huurwaarborg", "waarborg", "rental deposit", "deposit", "caution locative",
      "prime d'installation", "installatiepremie"], ["housing"]),
    (["hébergement", "hébergement d'urgence", "nachtopvang", "slaapplaats", "shelter", "place to sleep", "sans abri",
      "sans-abri", "dakloos", "homeless", "ILA", "initiative locale d'accueil", "lokaal opvanginitiatief", "LOI"],
     ["housing"]),
    # Residence, family reunification, asylum
    (["séjour", "titre de séjour", "carte de séjour", "verblijf", "verblijfskaart", "verblijfsvergunning",
      "residence permit", "residence card", "papiers", "papieren", "papers", "permis de séjour"], ["residence_status"]),
    (["regroupement familial", "gezinshereniging", "family reunification", "family reunion", "faire venir sa famille",
      "regroupement"], ["family_reunification"]),
    (["asile", "demande d'asile", "demandeur d'asile", "asiel", "asielaanvraag", "asielzoeker", "asylum",
      "asylum seeker", "CGRA", "CGVS", "audition", "protection internationale", "internationale bescherming"],
     ["asylum_procedure"]),
    (["nationalité", "nationaliteit", "nationality", "naturalisation", "devenir belge", "Belg worden",
      "become belgian"], ["residence_status", "integration_programme"]),
    (["Ukraine", "Oekraïne", "ukrainien", "ukrainiens", "ukrainian", "Oekraïens", "protection temporaire",
      "tijdelijke bescherming", "temporary protection"], ["residence_status"]),
    # Legal aid
    (["avocat", "advocaat", "lawyer", "pro deo", "aide juridique", "juridische hulp", "legal aid", "legal advice",
      "juriste", "jurist", "conseil juridique", "droit des étrangers", "vreemdelingenrecht", "immigration law", "BAJ",
      "bureau d'aide juridique"], ["legal_aid"]),
    (["MENA", "NBMV", "mineur non accompagné", "mineurs non accompagnés", "niet-begeleide minderjarige",
      "unaccompanied minor", "unaccompanied minors", "tuteur", "tutelle", "voogd", "voogdij", "guardian"],
     ["legal_aid", "childcare_schooling"]),
    # Translation
    (["interprète", "interprètes", "interprétariat", "tolk", "tolken", "interpreter", "interpreting", "traduction",
      "traduire", "vertaling", "vertalen", "translation", "translate", "traducteur", "vertaler", "translator"],
     ["translation"]),
    # Administrative and digital
    (["itsme", "ordinateur", "computer", "internet", "EPN", "espace public numérique", "numérique", "digitaal",
      "digital", "fracture numérique", "en ligne", "online", "email", "e-mail"], ["administrative"]),
    (["démarches", "démarches administratives", "paperasse", "formulaire", "formulaires", "formulier", "paperwork",
      "forms", "administratie", "administration", "papier administratif", "papiers administratifs", "courrier",
      "brief", "letter", "commune", "gemeente", "municipality", "town hall", "domiciliation"],
     ["administrative"]),
    # Health and mental health
    (["médecin", "docteur", "dokter", "huisarts", "doctor", "GP", "general practitioner", "médecin généraliste",
      "maison médicale", "wijkgezondheidscentrum", "medical", "consultation médicale", "soins", "santé", "gezondheid",
      "health"], ["health"]),
    (["AMU", "aide médicale urgente", "dringende medische hulp", "urgent medical aid", "emergency medical aid",
      "mutuelle", "mutualité", "ziekenfonds", "health insurance"], ["health"]),
    (["SSM", "service de santé mentale", "centre de santé mentale", "CGG", "centrum voor geestelijke gezondheidszorg",
      "santé mentale", "geestelijke gezondheid", "mental health", "mental health centre"], ["mental_health"]),
    (["psy", "psychologue", "psychologues", "psycholoog", "psychologist", "psychiatre", "psychiater",
      "psychiatrist", "thérapie", "therapie", "therapy", "therapist", "counselling", "trauma", "traumatisme",
      "dépression", "depressie", "depression", "angoisse", "anxiety", "torture", "foltering"], ["mental_health"]),
    # Children and school
    (["école", "school", "inscription scolaire", "schoolinschrijving", "devoirs", "école des devoirs", "huiswerk",
      "huiswerkklas", "homework", "homework club", "scolarité", "schooling"], ["childcare_schooling"]),
    (["crèche", "garderie", "kinderopvang", "daycare", "childcare", "ONE", "Kind en Gezin", "bébé", "baby",
      "nourrisson"], ["childcare_schooling"]),
    (["AMO", "aide en milieu ouvert", "service d'aide en milieu ouvert", "jeugdhulp", "youth support", "jeunes",
      "jongeren", "youth"], ["childcare_schooling"]),
    # Material aid
    (["colis alimentaire", "colis alimentaires", "aide alimentaire", "voedselpakket", "voedselpakketten", "voedselhulp",
      "voedselbank", "banque alimentaire", "food parcel", "food bank", "food aid", "food", "nourriture", "eten",
      "manger", "repas", "maaltijd", "meal", "meals", "épicerie sociale", "sociale kruidenier", "social grocery"],
     ["material_aid"]),
    (["vêtements", "vestiaire", "kleding", "kledingbank", "clothes", "clothing", "habits"], ["material_aid"]),
    # Social link, mentoring
    (["isolement", "solitude", "eenzaamheid", "isolation", "loneliness", "lien social", "sociaal contact",
      "rencontre", "rencontres", "rencontrer", "rencontrer des gens", "ontmoeting", "ontmoeten", "meet people",
      "activités", "activiteiten", "activities"],
     ["social_link"]),
    (["parrainage", "marrainage", "buddy", "buddywerking", "mentor", "mentorat", "mentoring", "bénévole", "bénévoles",
      "vrijwilliger", "vrijwilligers", "volunteer", "volunteers", "binôme", "duo", "duos"], ["mentoring"]),
    # Domestic violence
    (["violence conjugale", "violences conjugales", "violence", "violences", "partnergeweld", "huiselijk geweld",
      "intrafamiliaal geweld", "geweld", "domestic violence", "abuse", "femme battue", "femmes battues"],
     ["domestic_violence"]),
    # Budget and debt
    (["dettes", "dette", "schulden", "schuld", "debt", "debts", "médiation de dettes", "schuldbemiddeling",
      "guidance budgétaire", "budgetbegeleiding", "budget", "factures", "facture", "rekeningen", "bills", "huissier",
      "deurwaarder", "bailiff", "surendettement"], ["budget_debt"]),
    # Other
    (["retour volontaire", "vrijwillige terugkeer", "voluntary return", "rentrer au pays", "retour", "terugkeer",
      "OIM", "IOM", "go back home"], ["other"]),
]

_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text):
    text = unicodedata.normalize("NFKD", (text or "").lower().translate(_LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(word for word in _SEPARATORS.split(text) if word)


TAXONOMY_WORDS_SQL = """
INSERT INTO directory_searchword (word)
SELECT DISTINCT word
FROM (
    SELECT concat_ws(' ', label_fr, label_nl, label_en) AS text FROM directory_needdomain
    UNION ALL SELECT text FROM directory_thesaurusterm
) AS source, unnest(tsvector_to_array(to_tsvector('public.maillage_simple', source.text))) AS word
WHERE length(word) BETWEEN 2 AND 60
ON CONFLICT DO NOTHING
"""

DOCUMENT_SQL = """
WITH doc AS (
    SELECT
        o.id,
        setweight(
            to_tsvector('public.maillage_fr', o.title)
            || to_tsvector('public.maillage_nl', o.title)
            || to_tsvector('public.maillage_simple', o.title)
            -- The Dutch and English versions, each with its own language's stems.
            || to_tsvector('public.maillage_nl', o.title_nl)
            || to_tsvector('public.maillage_en', o.title_en)
            || to_tsvector('public.maillage_simple', concat_ws(' ', o.title_nl, o.title_en)),
            'A'
        )
        || setweight(
            to_tsvector('public.maillage_fr', d.label_fr)
            || to_tsvector('public.maillage_nl', d.label_nl)
            || to_tsvector('public.maillage_en', d.label_en)
            || array_to_tsvector(ARRAY['=' || d.code])
            || to_tsvector('public.maillage_fr', o.description)
            || to_tsvector('public.maillage_nl', o.description)
            || to_tsvector('public.maillage_simple', o.description)
            || to_tsvector('public.maillage_nl', o.description_nl)
            || to_tsvector('public.maillage_en', o.description_en)
            || to_tsvector('public.maillage_simple', concat_ws(' ', o.description_nl, o.description_en)),
            'B'
        )
        || setweight(
            to_tsvector('public.maillage_fr', coalesce(other.labels_fr, ''))
            || to_tsvector('public.maillage_nl', coalesce(other.labels_nl, ''))
            || to_tsvector('public.maillage_en', coalesce(other.labels_en, ''))
            || array_to_tsvector(coalesce(other.codes, '{}'))
            || to_tsvector('public.maillage_fr', org.name)
            || to_tsvector('public.maillage_nl', org.name)
            || to_tsvector('public.maillage_simple', org.name)
            || to_tsvector('public.maillage_nl', org.name_nl)
            || to_tsvector('public.maillage_simple', org.name_nl),
            'C'
        ) AS vector,
        tsvector_to_array(to_tsvector(
            'public.maillage_simple',
            concat_ws(' ', o.title, o.description, org.name, d.label_fr, d.label_nl, d.label_en,
                      other.labels_fr, other.labels_nl, other.labels_en,
                      o.title_nl, o.title_en, o.description_nl, o.description_en, org.name_nl)
        )) AS words
    FROM directory_offer AS o
    JOIN directory_organisation AS org ON org.id = o.organisation_id
    JOIN directory_needdomain AS d ON d.id = o.primary_domain_id
    LEFT JOIN LATERAL (
        SELECT string_agg(sd.label_fr, ' ') AS labels_fr, string_agg(sd.label_nl, ' ') AS labels_nl,
               string_agg(sd.label_en, ' ') AS labels_en, array_agg('=' || sd.code) AS codes
        FROM directory_offer_secondary_domains AS osd
        JOIN directory_needdomain AS sd ON sd.id = osd.needdomain_id
        WHERE osd.offer_id = o.id
    ) AS other ON true
),
updated AS (
    UPDATE directory_offer AS o SET search_vector = doc.vector FROM doc WHERE o.id = doc.id
)
INSERT INTO directory_searchword (word)
SELECT DISTINCT word FROM doc, unnest(doc.words) AS word WHERE length(word) BETWEEN 2 AND 60
ON CONFLICT DO NOTHING
"""


def seed(apps, schema_editor):
    NeedDomain = apps.get_model("directory", "NeedDomain")
    ThesaurusEntry = apps.get_model("directory", "ThesaurusEntry")
    ThesaurusTerm = apps.get_model("directory", "ThesaurusTerm")
    domains = {d.code: d for d in NeedDomain.objects.all()}
    taken = set(ThesaurusTerm.objects.values_list("key", flat=True))
    for terms, codes in ENTRIES:
        fresh = []
        for text in terms:
            key = fold(text)
            if key and key not in taken:
                taken.add(key)
                fresh.append((text, key))
        if not fresh:
            continue
        entry = ThesaurusEntry.objects.create(is_local=False)
        ThesaurusTerm.objects.bulk_create(ThesaurusTerm(entry=entry, text=text, key=key) for text, key in fresh)
        entry.domains.set([domains[code] for code in codes if code in domains])
    schema_editor.execute(TAXONOMY_WORDS_SQL)
    schema_editor.execute(DOCUMENT_SQL)
    # The foreign keys are checked at commit; checking them now leaves no pending trigger
    # event behind, which would stop the schema-script recording from dropping its schema
    # in the same transaction (tenants/schemas.py). Then back to Django's deferred checks.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_thesaurus_and_search_words")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
