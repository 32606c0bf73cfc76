"""Demo directory: organisations, places and offers for Schaerbeek and Tournai.

Organisations and offers follow the 2016 World Refugee Day listing
(shared/data/organisations-2016.yaml) and the domain brief (shared/DOMAIN.md), plus local
services any coordination lists (commune, maison médicale, AIS, promotion sociale, library,
food aid, interpreting). Street numbers, phones, e-mail addresses and websites are invented;
enterprise numbers are invented but pass the BCE/KBO check digits. Loading twice changes
nothing: an offer is skipped when its organisation already has one with the same title, and
an organisation's details are only filled in where they are still empty.
"""

from dataclasses import dataclass, fields, replace
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from directory.models import Access, CapacityStatus, Cost, Offer, Organisation
from directory.services import (
    OfferInput,
    OrganisationInput,
    PlaceInput,
    Slot,
    create_offer,
    create_organisation,
    update_organisation,
)
from maillage.actor import Actor

# Shorthands for the data below.
OPEN, WAITING, FULL, PAUSED = (
    CapacityStatus.OPEN,
    CapacityStatus.WAITING_LIST,
    CapacityStatus.FULL,
    CapacityStatus.PAUSED,
)
DROP_IN, APPOINTMENT, REFERRAL = Access.DROP_IN, Access.APPOINTMENT, Access.REFERRAL_ONLY
FREE, CONTRIBUTION = Cost.FREE, Cost.CONTRIBUTION
PROTECTED = ("refugee", "subsidiary_protection")
NEWCOMERS = ("refugee", "subsidiary_protection", "family_reunification", "regularised", "other")
# A funded project that has ended: hidden from search, kept for the record.
AMIF_2015_2021 = (date(2015, 7, 1), date(2021, 12, 31))
ENDED_2025 = (date(2023, 1, 1), date(2025, 6, 30))
ENDED_2026 = (date(2024, 9, 1), date(2026, 6, 30))


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    street: str
    description: str = ""
    is_member: bool = False
    enterprise_number: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    staff_languages: tuple[str, ...] = ("fr",)


@dataclass(frozen=True)
class DemoOffer:
    """One offer. `hours` reads "1-5 9:00-12:30; 4 17:00-19:00" (1 = Monday); `places`
    are (name, street) pairs in the coordination's commune, by default the organisation's
    address, and () for an offer given only online or by phone."""

    organisation: str
    title: str
    domain: str
    description: str
    also: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("fr",)
    interpreting: bool = False
    hours: str = ""
    schedule_notes: str = ""
    places: tuple[tuple[str, str], ...] | None = None
    online_url: str = ""
    access: str = APPOINTMENT
    capacity: str = OPEN
    waiting_weeks: int | None = None
    cost: str = FREE
    cost_note: str = ""
    ages: tuple[int | None, int | None] = (None, None)
    eligibility: str = ""
    validity: tuple[date | None, date | None] = (None, None)
    verified_days_ago: int = 0


@dataclass(frozen=True)
class DemoSite:
    postcode: str
    city: str
    organisations: list[DemoOrganisation]
    offers: list[DemoOffer]


# --- Schaerbeek (Brussels, 1030) ----------------------------------------------------------

VIA = "VIA — BAPA Schaerbeek"
CPAS_S = "CPAS de Schaerbeek"
SESO = "Service Social de Solidarité Socialiste (SESO)"
EXIL = "Exil"
DUO = "DUO for a JOB"
PFC = "Plate-forme citoyenne de soutien aux réfugiés"
CARITAS = "Caritas International — Housing-cafés"
COMMUNE_S = "Commune de Schaerbeek — Service Population-Étrangers"
MM_S = "Maison médicale des Palais"
AIS_S = "AIS Logement Pour Tous"
EPS_S = "Institut de promotion sociale Schaerbeek-Evere"
HVN = "Huis van het Nederlands Brussel"
BON = "BON — Brussels Onthaalbureau Nieuwkomers"
BIB_S = "Bibliothèque communale de Schaerbeek — Espace public numérique"
EPI_S = "Épicerie sociale Le Panier de Josaphat"
SETIS_S = "Sétis Bruxelles — interprétariat social"
FEMMES_S = "Maison des femmes de Schaerbeek"
EDD_S = "École des devoirs Les Petits Palais"
CIRE = "CIRÉ (Coordination et initiatives pour réfugiés et étrangers)"
CSP = "Centre Social Protestant"
SAFE = "Safe Space"
SINGA = "SINGA"
POPUP = "Pop-Up Factory"
CSR = "Community Support for Refugees"
UPT = "Up Together (JRS Belgium)"

SCHAERBEEK_ORGANISATIONS = [
    DemoOrganisation(
        VIA,
        "bapa",
        "Rue Gallait 82",
        "Bureau d'accueil pour primo-arrivants agréé par la COCOF : premier accueil, bilan social et linguistique, "
        "formation citoyenne et accompagnement individuel des personnes en séjour légal depuis moins de trois ans.",
        is_member=True,
        enterprise_number="0452187373",
        website="https://via.example.be",
        email="accueil@via.example.be",
        phone="02 217 40 10",
        staff_languages=("fr", "nl", "en", "ar", "es", "prs", "ps", "tr"),
    ),
    DemoOrganisation(
        CPAS_S,
        "cpas",
        "Avenue Rogier 231",
        "Centre public d'action sociale : enquête sociale, revenu d'intégration, PIIS, aides sociales et "
        "médiation de dettes. Une référente est désignée pour les familles réfugiées.",
        is_member=True,
        website="https://cpas-schaerbeek.example.be",
        email="accueil@cpas-schaerbeek.example.be",
        phone="02 240 68 00",
        staff_languages=("fr", "nl", "ar", "tr"),
    ),
    DemoOrganisation(
        SESO,
        "association",
        "Rue de Jérusalem 46",
        "Service social pour toute personne en situation sociale critique, spécialisé dans l'accompagnement "
        "social et juridique (droit des étrangers) et la gestion de logements pour personnes vulnérables.",
        is_member=True,
        enterprise_number="0817364560",
        website="https://seso.example.be",
        email="info@seso.example.be",
        phone="02 216 55 30",
        staff_languages=("fr", "nl", "en", "ar", "es"),
    ),
    DemoOrganisation(
        EXIL,
        "association",
        "Avenue Louis Bertrand 88",
        "Centre de santé mentale pour personnes réfugiées victimes de torture ou de violence organisée : équipe "
        "pluridisciplinaire et multiculturelle (médecins, psychiatres, psychologues, assistants sociaux).",
        is_member=True,
        website="https://exil.example.be",
        email="secretariat@exil.example.be",
        phone="02 534 21 90",
        staff_languages=("fr", "en", "ar", "es", "prs"),
    ),
    DemoOrganisation(
        DUO,
        "association",
        "Rue Josaphat 19",
        "Association qui forme des duos entre jeunes chercheurs d'emploi issus de l'immigration et mentors "
        "(pré)retraités expérimentés, et accompagne chaque duo pendant six mois.",
        is_member=True,
        enterprise_number="0430691282",
        website="https://duoforajob.example.be",
        email="bruxelles@duoforajob.example.be",
        phone="02 203 17 45",
        staff_languages=("fr", "nl", "en", "ar"),
    ),
    DemoOrganisation(
        PFC,
        "citizen_initiative",
        "Rue Thiéfry 75",
        "Plate-forme citoyenne née en 2015 au parc Maximilien : distribution de repas et de vêtements, cours de "
        "langue, espace femmes, hébergement citoyen et activités culturelles, avec des centaines de bénévoles.",
        is_member=True,
        website="https://plateforme-citoyenne.example.be",
        email="contact@plateforme-citoyenne.example.be",
        phone="02 318 44 02",
        staff_languages=("fr", "nl", "en", "ar", "ti", "ps"),
    ),
    DemoOrganisation(
        CARITAS,
        "ngo",
        "Chaussée de Haecht 310",
        "La cellule intégration de Caritas International anime des housing-cafés où coachs et bénévoles aident les "
        "réfugiés fraîchement reconnus à trouver un logement et à s'y installer ; elle accompagne aussi le "
        "regroupement familial.",
        is_member=True,
        website="https://caritas-housing.example.org",
        email="housing@caritas-housing.example.org",
        phone="02 229 36 11",
        staff_languages=("fr", "nl", "en", "ar", "ti"),
    ),
    DemoOrganisation(
        COMMUNE_S,
        "commune",
        "Rue Royale Sainte-Marie 171",
        "Inscription au registre des étrangers, délivrance et renouvellement des titres de séjour, changements "
        "d'adresse. Le service oriente les primo-arrivants vers le BAPA.",
        website="https://schaerbeek.example.be/population",
        email="etrangers@schaerbeek.example.be",
        phone="02 244 71 00",
        staff_languages=("fr", "nl"),
    ),
    DemoOrganisation(
        MM_S,
        "association",
        "Rue des Palais 128",
        "Maison médicale au forfait : médecine générale, soins infirmiers, kinésithérapie et service social, "
        "sans paiement à l'acte pour les patients inscrits.",
        website="https://mm-palais.example.be",
        email="accueil@mm-palais.example.be",
        phone="02 215 60 48",
        staff_languages=("fr", "nl", "ar", "tr", "es"),
    ),
    DemoOrganisation(
        AIS_S,
        "association",
        "Boulevard Lambermont 56",
        "Agence immobilière sociale : prend en gestion des logements de propriétaires privés et les loue à "
        "des ménages à revenus modestes, avec un loyer adapté.",
        enterprise_number="0896203190",
        website="https://ais-lpt.example.be",
        email="candidatures@ais-lpt.example.be",
        phone="02 242 19 87",
        staff_languages=("fr", "nl"),
    ),
    DemoOrganisation(
        EPS_S,
        "public_service",
        "Avenue Huart Hamoir 48",
        "Établissement d'enseignement de promotion sociale : français langue étrangère, alphabétisation, "
        "néerlandais et formations qualifiantes, en journée et en soirée.",
        website="https://eps-schaerbeek.example.be",
        email="inscriptions@eps-schaerbeek.example.be",
        phone="02 240 33 70",
        staff_languages=("fr", "nl"),
    ),
    DemoOrganisation(
        HVN,
        "public_service",
        "Place Liedts 27",
        "Informatie en advies over Nederlandse lessen in Brussel: niveautest, doorverwijzing naar een cursus "
        "die past bij niveau, uurrooster en buurt.",
        website="https://huisnederlands.example.be",
        email="info@huisnederlands.example.be",
        phone="02 501 66 60",
        staff_languages=("nl", "fr", "en", "ar"),
    ),
    DemoOrganisation(
        BON,
        "bapa",
        "Rue Verte 143",
        "Nederlandstalig onthaalbureau voor nieuwkomers in Brussel: inburgeringstraject met maatschappelijke "
        "oriëntatie, Nederlandse les en loopbaanbegeleiding.",
        website="https://bon.example.be",
        email="onthaal@bon.example.be",
        phone="02 501 66 00",
        staff_languages=("nl", "fr", "en", "ar", "ru", "prs"),
    ),
    DemoOrganisation(
        BIB_S,
        "public_service",
        "Rue Geefs 9",
        "Bibliothèque communale avec un espace public numérique : ordinateurs en libre accès et aide "
        "individuelle aux démarches en ligne.",
        website="https://bibliotheque-schaerbeek.example.be",
        email="epn@bibliotheque-schaerbeek.example.be",
        phone="02 240 43 70",
        staff_languages=("fr", "nl", "en"),
    ),
    DemoOrganisation(
        EPI_S,
        "association",
        "Rue Josaphat 212",
        "Épicerie sociale : produits alimentaires et d'hygiène à prix réduit, sur orientation d'un service social.",
        website="",
        email="panier.josaphat@example.org",
        phone="02 215 08 19",
        staff_languages=("fr", "ar"),
    ),
    DemoOrganisation(
        SETIS_S,
        "association",
        "Rue Stephenson 80",
        "Service de traduction et d'interprétariat en milieu social : interprètes formés pour les services "
        "sociaux, médicaux et scolaires, sur place, par téléphone ou en visioconférence.",
        website="https://setis-bxl.example.be",
        email="demandes@setis-bxl.example.be",
        phone="02 609 51 80",
        staff_languages=("fr", "ar", "prs", "ps", "ti", "so", "uk", "ru", "tr", "es", "am", "ku", "sq"),
    ),
    DemoOrganisation(
        FEMMES_S,
        "public_service",
        "Rue Navez 37",
        "Lieu d'accueil, d'information et d'activités pour les femmes, avec une permanence sur les violences "
        "conjugales et intrafamiliales.",
        email="maisondesfemmes@schaerbeek.example.be",
        phone="02 216 22 39",
        staff_languages=("fr", "ar", "tr", "es"),
    ),
    DemoOrganisation(
        EDD_S,
        "association",
        "Rue Van Oost 14",
        "École des devoirs reconnue par l'ONE : soutien scolaire, jeux et sorties pour les enfants du quartier.",
        email="edd.petitspalais@example.org",
        phone="02 242 70 51",
        staff_languages=("fr", "ar"),
    ),
    DemoOrganisation(
        CIRE,
        "association",
        "Rue Seutin 12",
        "Coordination de 24 associations qui défend les droits des étrangers, avec ou sans titre de séjour. "
        "Services directs : école de français, information logement, travail et équivalences de diplômes.",
        enterprise_number="0471825420",
        website="https://cire.example.be",
        email="info@cire.example.be",
        phone="02 629 77 10",
        staff_languages=("fr", "en", "es", "ar"),
    ),
    DemoOrganisation(
        CSP,
        "association",
        "Rue Vifquin 23",
        "Centre d'action sociale globale ouvert à tous sans distinction, en français ou en néerlandais ; "
        "accueil à petite échelle de familles demandeuses d'asile.",
        website="https://csp.example.be",
        email="accueil@csp.example.be",
        phone="02 512 80 80",
        staff_languages=("fr", "nl"),
    ),
    DemoOrganisation(
        SAFE,
        "citizen_initiative",
        "Rue Portaels 61",
        "Réseau d'hébergeurs bénévoles qui accueillent des personnes migrantes chez eux pour une durée "
        "convenue d'avance ; les invités sont orientés par des associations partenaires.",
        email="coordination@safespace.example.org",
        staff_languages=("fr", "en", "nl"),
    ),
    DemoOrganisation(
        SINGA,
        "association",
        "Rue Philomène 41",
        "Communauté qui favorise l'innovation sociale, l'échange culturel et la création d'activités avec des "
        "personnes réfugiées et des habitants.",
        website="https://singa.example.org",
        email="bruxelles@singa.example.org",
        staff_languages=("fr", "en", "ar"),
    ),
    DemoOrganisation(
        POPUP,
        "association",
        "Rue Rubens 95",
        "Ateliers où des personnes réfugiées travaillent avec des artisans et designers locaux, clôturés par "
        "une exposition-vente.",
        email="hello@popupfactory.example.org",
        staff_languages=("fr", "en"),
    ),
    DemoOrganisation(
        CSR,
        "citizen_initiative",
        "Avenue Voltaire 102",
        "Groupe citoyen (expats, Belges, nouveaux arrivants) qui tient un site d'information pas à pas pour les "
        "réfugiés et les bénévoles.",
        website="https://csr.example.org",
        email="info@csr.example.org",
        staff_languages=("en", "fr", "nl", "ar"),
    ),
    DemoOrganisation(
        UPT,
        "ngo",
        "Rue Goossens 18",
        "Réseau d'hébergement solidaire pour des personnes libérées d'un centre fermé, sans statut et dont "
        "l'éloignement ne peut être exécuté.",
        email="uptogether@jrs.example.be",
        phone="02 738 08 18",
        staff_languages=("fr", "en", "nl"),
    ),
]

SCHAERBEEK_OFFERS = [
    # VIA — BAPA
    DemoOffer(
        VIA,
        "Parcours d'accueil — premier accueil, bilan social et bilan linguistique",
        "integration_programme",
        "Premier rendez-vous pour entrer dans le parcours d'accueil : bilan social (séjour, droits sociaux, "
        "logement, regroupement familial, emploi) et bilan linguistique, puis orientation vers les cours de "
        "français. Inscription dans les six mois après l'inscription à la commune.",
        also=("social_rights", "residence_status"),
        statuses=NEWCOMERS,
        languages=("fr", "ar", "en", "es", "prs", "ps"),
        interpreting=True,
        hours="1-5 9:00-12:30; 4 17:00-19:30",
        schedule_notes="Permanence du soir le jeudi pour les personnes qui travaillent.",
        access=DROP_IN,
        ages=(18, None),
        eligibility="Séjour légal de plus de trois mois et de moins de trois ans ; domicile dans une commune "
        "bruxelloise.",
    ),
    DemoOffer(
        VIA,
        "Formation citoyenne (50 h) en français ou en arabe",
        "integration_programme",
        "Vingt modules : histoire et institutions, sécurité sociale, CPAS, logement, santé, mobilité, école, "
        "emploi, nationalité. Attestation utile pour la nationalité et le renouvellement du séjour.",
        statuses=NEWCOMERS,
        languages=("fr", "ar"),
        hours="2 9:30-12:30; 3 9:30-12:30; 4 13:30-16:30",
        capacity=WAITING,
        waiting_weeks=6,
        ages=(18, None),
    ),
    DemoOffer(
        VIA,
        "Séances « Droits et devoirs » (10 h)",
        "integration_programme",
        "Séance collective de 10 heures sur les droits et devoirs des résidents en Belgique, en français et en "
        "arabe, avec interprètes externes pour les langues plus rares.",
        statuses=NEWCOMERS,
        languages=("fr", "ar", "es", "pt", "rw", "prs", "ps"),
        interpreting=True,
        hours="5 9:00-14:00",
    ),
    DemoOffer(
        VIA,
        "Coach digital : Itsme, MyActiris et rendez-vous en ligne",
        "administrative",
        "Aide individuelle pour installer Itsme, payer en ligne, créer un compte MyActiris, passer un test ou "
        "une candidature en ligne, rejoindre une réunion Zoom.",
        languages=("fr", "ar", "en"),
        hours="2 13:30-16:30; 4 13:30-16:30",
        access=DROP_IN,
        verified_days_ago=120,
    ),
    # CPAS de Schaerbeek
    DemoOffer(
        CPAS_S,
        "Revenu d'intégration sociale et enquête sociale",
        "social_rights",
        "Demande de revenu d'intégration, enquête sociale à domicile et projet individualisé d'intégration "
        "sociale (PIIS). Une adresse à Schaerbeek est nécessaire.",
        also=("budget_debt",),
        statuses=("refugee", "subsidiary_protection", "family_reunification", "regularised"),
        languages=("fr", "nl"),
        interpreting=True,
        hours="1-5 8:30-11:30",
        ages=(18, None),
    ),
    DemoOffer(
        CPAS_S,
        "Prime d'installation et avance pour la garantie locative",
        "housing",
        "Prime d'installation pour les personnes qui quittent une structure d'accueil ou la rue, et avance sur "
        "la garantie locative quand le bail est signé.",
        also=("social_rights", "material_aid"),
        statuses=PROTECTED,
        languages=("fr", "nl"),
        hours="1-5 8:30-11:30",
    ),
    DemoOffer(
        CPAS_S,
        "Médiation de dettes — Schuldbemiddeling",
        "budget_debt",
        "Analyse du budget, négociation de plans de paiement avec les créanciers, préparation d'un règlement "
        "collectif de dettes. Begeleiding ook in het Nederlands.",
        languages=("fr", "nl"),
        hours="2 9:00-12:00; 4 13:00-16:00",
        capacity=WAITING,
        waiting_weeks=8,
    ),
    DemoOffer(
        CPAS_S,
        "Move Up! — activation sociale des bénéficiaires du revenu d'intégration",
        "employment_training",
        "Projet FAMI : 21 heures par semaine en groupe de 15, gestion du quotidien, santé, budget, banque, "
        "énergie et télécoms, avant une mise à l'emploi article 60.",
        also=("social_link",),
        statuses=PROTECTED,
        languages=("fr",),
        hours="1-5 9:00-13:00",
        access=REFERRAL,
        validity=AMIF_2015_2021,
        ages=(18, None),
    ),
    # SESO
    DemoOffer(
        SESO,
        "Permanence juridique : droit des étrangers et droits sociaux",
        "legal_aid",
        "Première ligne juridique pour toute question de séjour, de regroupement familial, d'accès au CPAS ou "
        "aux allocations familiales. Orientation vers un avocat pro deo si nécessaire.",
        also=("residence_status", "family_reunification"),
        languages=("fr", "ar", "en", "es"),
        hours="2 9:00-12:00; 4 14:00-17:00",
        access=DROP_IN,
    ),
    DemoOffer(
        SESO,
        "Logement et accompagnement de demandeurs d'asile",
        "housing",
        "Logements gérés par SESO pour des demandeurs d'asile, en convention avec Fedasil, le CIRÉ et "
        "Vluchtelingenwerk Vlaanderen, avec suivi social.",
        also=("asylum_procedure",),
        statuses=("applicant",),
        languages=("fr", "en", "ar"),
        access=REFERRAL,
        capacity=FULL,
    ),
    DemoOffer(
        SESO,
        "Tutelle des mineurs étrangers non accompagnés",
        "legal_aid",
        "Tuteurs et tutrices pour des mineurs non accompagnés : procédure, scolarité, santé et hébergement.",
        also=("childcare_schooling",),
        languages=("fr", "en"),
        access=REFERRAL,
        capacity=WAITING,
        waiting_weeks=4,
        ages=(0, 17),
    ),
    DemoOffer(
        SESO,
        "Aide au retour volontaire",
        "other",
        "Information et préparation d'un retour volontaire avec l'OIM, y compris l'aide à la réintégration.",
        statuses=("applicant", "other"),
        languages=("fr", "en", "ar", "ru"),
        hours="3 9:00-12:00",
        verified_days_ago=200,
    ),
    # Exil
    DemoOffer(
        EXIL,
        "Consultations psycho-médico-sociales pour adultes victimes de torture",
        "mental_health",
        "Consultations médicales, psychiatriques et psychologiques, individuelles, familiales ou en groupe, "
        "avec un suivi social, pour les personnes victimes de torture ou de violence organisée.",
        also=("health",),
        statuses=("refugee", "subsidiary_protection", "applicant"),
        languages=("fr", "en", "es", "ar", "prs"),
        interpreting=True,
        hours="1-5 9:00-17:00",
        capacity=WAITING,
        waiting_weeks=12,
        ages=(18, None),
        eligibility="Victimes de torture ou de violence organisée dans le pays d'origine.",
    ),
    DemoOffer(
        EXIL,
        "Équipe Enfants-Adolescents : soins psychologiques",
        "mental_health",
        "Consultations pour enfants et adolescents exilés et leurs familles, avec interprètes.",
        also=("childcare_schooling",),
        languages=("fr", "en", "ar", "ti"),
        interpreting=True,
        hours="3 13:00-18:00; 6 9:00-12:00",
        capacity=FULL,
        ages=(3, 18),
    ),
    DemoOffer(
        EXIL,
        "Parrainage d'adolescents par des adultes bénévoles",
        "mentoring",
        "Un adulte de la société civile accompagne un ou une adolescente exilée dans sa vie quotidienne.",
        also=("social_link",),
        languages=("fr", "en"),
        capacity=PAUSED,
        ages=(12, 18),
        verified_days_ago=100,
    ),
    # DUO for a JOB
    DemoOffer(
        DUO,
        "Mentorat intergénérationnel vers l'emploi",
        "employment_training",
        "Six mois d'accompagnement par un mentor de plus de 50 ans, idéalement du même secteur : CV, réseau, "
        "préparation aux entretiens.",
        also=("mentoring",),
        languages=("fr", "en", "ar"),
        hours="1-5 9:30-17:00",
        capacity=WAITING,
        waiting_weeks=5,
        ages=(18, 30),
    ),
    DemoOffer(
        DUO,
        "Intergenerationele mentoring naar werk",
        "employment_training",
        "Jonge werkzoekenden met een migratieachtergrond krijgen zes maanden een ervaren mentor (50+) die "
        "helpt met cv, netwerk en sollicitaties.",
        also=("mentoring",),
        languages=("nl", "en"),
        hours="2 10:00-16:00; 4 10:00-16:00",
        ages=(18, 30),
    ),
    # Plate-forme citoyenne
    DemoOffer(
        PFC,
        "Repas chauds et vestiaire",
        "material_aid",
        "Distribution de repas chauds, de vêtements et de produits d'hygiène, sans condition.",
        statuses=("applicant", "other"),
        languages=("fr", "en", "ar", "ti", "ps"),
        hours="1-7 18:00-20:30",
        access=DROP_IN,
    ),
    DemoOffer(
        PFC,
        "École du monde — cours de langue pour adultes",
        "language",
        "Cours de français et d'anglais donnés par des bénévoles, tous niveaux, en petits groupes.",
        languages=("fr", "en"),
        hours="1 18:00-20:00; 3 18:00-20:00",
        access=DROP_IN,
        ages=(16, None),
    ),
    DemoOffer(
        PFC,
        "Espace femmes",
        "social_link",
        "Moments entre femmes : discussion, ateliers, garde d'enfants sur place, orientation vers les services.",
        also=("domestic_violence",),
        languages=("fr", "ar", "ti", "en"),
        hours="3 14:00-17:00",
        access=DROP_IN,
        eligibility="Femmes, avec ou sans enfants.",
    ),
    DemoOffer(
        PFC,
        "Hébergement citoyen",
        "housing",
        "Hébergement de nuit chez des citoyens hébergeurs, coordonné par la plate-forme.",
        statuses=("applicant", "other"),
        languages=("fr", "en", "ar"),
        access=REFERRAL,
        capacity=FULL,
        verified_days_ago=95,
    ),
    # Caritas
    DemoOffer(
        CARITAS,
        "Housing-café : chercher un logement après la reconnaissance",
        "housing",
        "Coachs et bénévoles aident à chercher un logement, à contacter les propriétaires, à lire le bail et à "
        "emménager. Les personnes reconnues n'ont que deux mois pour quitter leur structure d'accueil.",
        statuses=PROTECTED,
        languages=("fr", "en", "ar", "ti", "prs"),
        hours="2 13:30-16:30; 4 13:30-16:30",
        access=DROP_IN,
        eligibility="Réfugiés et protection subsidiaire reconnus récemment.",
    ),
    DemoOffer(
        CARITAS,
        "Premières inscriptions après l'emménagement (commune, CPAS, école)",
        "administrative",
        "Accompagnement pour l'inscription à la commune, au CPAS, à la mutualité et à l'école des enfants.",
        also=("childcare_schooling",),
        statuses=PROTECTED,
        languages=("fr", "en", "ar"),
        hours="2 13:30-16:30; 4 13:30-16:30",
        access=DROP_IN,
    ),
    DemoOffer(
        CARITAS,
        "Accompagnement au regroupement familial",
        "family_reunification",
        "Préparation du dossier (documents, légalisations, tests ADN), réservation des billets d'avion et "
        "préparation de l'arrivée de la famille.",
        also=("residence_status",),
        statuses=("refugee", "subsidiary_protection"),
        languages=("fr", "en", "ar", "ti", "prs", "ps"),
        interpreting=True,
        capacity=WAITING,
        waiting_weeks=10,
    ),
    # Commune
    DemoOffer(
        COMMUNE_S,
        "Inscription au registre des étrangers et titres de séjour",
        "residence_status",
        "Inscription, carte de séjour, renouvellement et changement d'adresse. Sur rendez-vous en ligne ou par "
        "téléphone ; apporter passeport, décision de séjour et contrat de bail.",
        also=("administrative",),
        languages=("fr", "nl"),
        hours="1-5 8:30-12:30; 4 16:00-19:00",
        online_url="https://schaerbeek.example.be/rendez-vous",
    ),
    # Maison médicale
    DemoOffer(
        MM_S,
        "Médecine générale au forfait",
        "health",
        "Consultations de médecine générale, soins infirmiers et kinésithérapie sans paiement à l'acte pour les "
        "patients inscrits habitant le quartier.",
        languages=("fr", "nl", "ar", "tr", "es"),
        hours="1-5 8:00-19:00; 6 9:00-12:00",
        capacity=WAITING,
        waiting_weeks=3,
        eligibility="Habiter le quartier (rues desservies) et être en ordre de mutuelle ou d'aide médicale urgente.",
    ),
    # AIS
    DemoOffer(
        AIS_S,
        "Louer un logement via l'agence immobilière sociale",
        "housing",
        "Candidature pour un logement géré par l'AIS, loyer proportionné aux revenus. Accompagnement social "
        "pendant la location.",
        languages=("fr", "nl"),
        hours="2 9:00-12:00",
        capacity=WAITING,
        waiting_weeks=104,
        cost=CONTRIBUTION,
        cost_note="Loyer modéré selon les revenus du ménage.",
        eligibility="Revenus sous les plafonds du logement social.",
    ),
    # Promotion sociale
    DemoOffer(
        EPS_S,
        "Cours de français langue étrangère (FLE), niveaux A1 à B1",
        "language",
        "Cours du soir par niveau, test de positionnement à l'inscription, attestation de réussite.",
        languages=("fr",),
        hours="1-4 18:00-21:00",
        capacity=FULL,
        cost=CONTRIBUTION,
        cost_note="Droit d'inscription réduit ; gratuit pour les bénéficiaires du CPAS et les chercheurs d'emploi.",
        ages=(16, None),
    ),
    DemoOffer(
        EPS_S,
        "Alphabétisation en français pour adultes",
        "language",
        "Apprendre à lire et à écrire en français, en journée, pour les personnes peu ou pas scolarisées.",
        languages=("fr",),
        hours="1-4 9:00-12:00",
        capacity=WAITING,
        waiting_weeks=8,
        cost=CONTRIBUTION,
        cost_note="Gratuit pour les bénéficiaires du CPAS.",
        ages=(18, None),
    ),
    # Huis van het Nederlands, BON
    DemoOffer(
        HVN,
        "Nederlands leren: niveautest en doorverwijzing naar een cursus",
        "language",
        "Gratis advies en niveautest; wij zoeken een cursus Nederlands die past bij je niveau, uurrooster en buurt.",
        languages=("nl", "fr", "en", "ar"),
        hours="1-5 9:00-12:30; 3 13:30-17:00",
        access=DROP_IN,
    ),
    DemoOffer(
        BON,
        "Inburgeringstraject voor nieuwkomers",
        "integration_programme",
        "Maatschappelijke oriëntatie in de eigen taal, Nederlandse les en loopbaanbegeleiding.",
        also=("language", "employment_training"),
        statuses=NEWCOMERS,
        languages=("nl", "en", "ar", "fr", "ru", "prs", "ti"),
        interpreting=True,
        hours="1-5 9:00-16:00",
        ages=(18, None),
    ),
    # Library
    DemoOffer(
        BIB_S,
        "Espace public numérique : aide aux démarches en ligne",
        "administrative",
        "Ordinateurs en libre accès, impression, et aide d'un animateur pour les formulaires en ligne, "
        "l'e-mail et l'Itsme.",
        languages=("fr", "nl", "en"),
        hours="3 13:00-18:00; 6 10:00-13:00",
        access=DROP_IN,
        verified_days_ago=190,
    ),
    # Food aid
    DemoOffer(
        EPI_S,
        "Épicerie sociale",
        "material_aid",
        "Produits alimentaires et d'hygiène à environ 30 % du prix du commerce, pour une période renouvelable.",
        languages=("fr", "ar"),
        hours="2 14:00-18:00; 5 9:30-12:30",
        access=REFERRAL,
        cost=CONTRIBUTION,
        cost_note="Environ 30 % du prix du commerce.",
        eligibility="Sur orientation du CPAS ou d'un service social.",
    ),
    # Interpreting
    DemoOffer(
        SETIS_S,
        "Interprétariat social sur place, par téléphone ou en visioconférence",
        "translation",
        "Pour les services sociaux, médicaux et scolaires : réservation d'un interprète au moins 48 heures à l'avance.",
        languages=("ar", "prs", "ps", "ti", "so", "uk", "ru", "tr", "es", "am", "ku", "sq"),
        hours="1-5 8:30-17:00",
        places=(),
        online_url="https://setis-bxl.example.be/reservation",
        cost_note="Gratuit pour les services sociaux conventionnés.",
        eligibility="Demande faite par un service, pas par la personne elle-même.",
    ),
    # Women
    DemoOffer(
        FEMMES_S,
        "Permanence violences conjugales et intrafamiliales",
        "domestic_violence",
        "Écoute, information sur les droits (y compris le séjour en cas de séparation), orientation vers "
        "l'hébergement d'urgence et l'aide juridique.",
        also=("legal_aid", "residence_status"),
        languages=("fr", "ar", "tr"),
        interpreting=True,
        hours="1 9:00-12:00; 4 13:00-16:00",
        access=DROP_IN,
    ),
    # Homework school
    DemoOffer(
        EDD_S,
        "École des devoirs pour enfants primo-arrivants",
        "childcare_schooling",
        "Aide aux devoirs, français par le jeu et contacts avec l'école, pour les enfants de 6 à 12 ans.",
        also=("language",),
        languages=("fr", "ar"),
        hours="1-2 15:30-17:30; 3 13:00-16:00; 4 15:30-17:30",
        capacity=WAITING,
        waiting_weeks=6,
        cost=CONTRIBUTION,
        cost_note="5 € par trimestre.",
        ages=(6, 12),
    ),
    # CIRÉ
    DemoOffer(
        CIRE,
        "Travail, équivalences et formations",
        "employment_training",
        "Information et accompagnement pour faire reconnaître un diplôme étranger, trouver une formation ou un "
        "premier emploi.",
        statuses=NEWCOMERS,
        languages=("fr", "en", "es"),
        hours="2 9:30-12:30",
        places=(("Permanence à Schaerbeek", "Rue des Palais 44"),),
    ),
    DemoOffer(
        CIRE,
        "Service logement : information sur la recherche et les droits des locataires",
        "housing",
        "Séances d'information et permanences : bail, garantie locative, insalubrité, recherche de logement.",
        languages=("fr", "en", "ar"),
        hours="4 9:30-12:30",
        places=(("Permanence à Schaerbeek", "Rue des Palais 44"),),
        access=DROP_IN,
        verified_days_ago=150,
    ),
    # Other listed organisations
    DemoOffer(
        CSP,
        "Aide sociale générale — Algemene sociale hulp",
        "social_rights",
        "Premier accueil, analyse de la demande, suivi et orientation, en français ou en néerlandais au choix. "
        "Onthaal, vraagverheldering en doorverwijzing, in het Frans of het Nederlands.",
        languages=("fr", "nl"),
        hours="1 9:00-12:00; 3 9:00-12:00; 5 13:30-16:00",
        access=DROP_IN,
    ),
    DemoOffer(
        SAFE,
        "Hébergement temporaire chez des bénévoles",
        "housing",
        "Accueil chez un hébergeur bénévole pour une durée convenue d'avance. Les coordinateurs rencontrent "
        "chaque invité orienté par une association partenaire.",
        statuses=("applicant", "other"),
        languages=("fr", "en"),
        places=(),
        online_url="https://safespace.example.org",
        access=REFERRAL,
        capacity=PAUSED,
        verified_days_ago=240,
    ),
    DemoOffer(
        SINGA,
        "Duos linguistiques Langue & Culture",
        "language",
        "Binômes entre un nouvel arrivant et un habitant, formés sur des passions communes, pour pratiquer le "
        "français ou l'anglais.",
        also=("social_link",),
        statuses=("refugee", "subsidiary_protection", "other"),
        languages=("fr", "en", "ar"),
        access=APPOINTMENT,
        online_url="https://singa.example.org/duos",
    ),
    DemoOffer(
        POPUP,
        "Ateliers d'artisanat avec des artisans locaux et exposition-vente",
        "social_link",
        "Ateliers de création avec des artisans et designers bruxellois, clôturés par une exposition-vente.",
        also=("employment_training",),
        statuses=("refugee",),
        languages=("fr", "en"),
        hours="6 10:00-17:00",
        validity=ENDED_2025,
    ),
    DemoOffer(
        CSR,
        "Step-by-step information website for refugees",
        "other",
        "Practical guide from the first day on: procedure, housing, work, schools for children. In English, "
        "French, Dutch and Arabic.",
        also=("administrative",),
        statuses=("refugee", "subsidiary_protection", "applicant"),
        languages=("en", "fr", "nl", "ar"),
        places=(),
        online_url="https://csr.example.org/guide",
        access=DROP_IN,
    ),
    DemoOffer(
        UPT,
        "Parcours d'hébergement d'un an pour personnes sans statut",
        "housing",
        "Hébergement gratuit de foyer en foyer (au plus huit semaines par foyer) pendant un an, avec un "
        "accompagnateur.",
        statuses=("other",),
        languages=("fr", "en"),
        places=(),
        online_url="https://jrs.example.be/uptogether",
        access=REFERRAL,
        capacity=WAITING,
        waiting_weeks=16,
        eligibility="Personnes libérées d'un centre fermé dont l'éloignement ne peut être exécuté.",
    ),
    DemoOffer(
        PFC,
        "Point info Ukraine — protection temporaire",
        "residence_status",
        "Aide à l'enregistrement pour la protection temporaire, informations sur le CPAS et l'école. "
        "Допомога з реєстрацією тимчасового захисту.",
        also=("administrative",),
        statuses=("temporary_protection",),
        languages=("uk", "ru", "fr", "en"),
        hours="2 10:00-13:00; 5 10:00-13:00",
        access=DROP_IN,
        validity=ENDED_2026,
    ),
]


# --- Tournai (Wallonia, 7500) -------------------------------------------------------------

PLATEFORME = "Plateforme associative tournaisienne d'accueil"
CPAS_T = "CPAS de Tournai"
CRI_T = "Centre régional d'intégration (antenne du Hainaut occidental)"
APD = "Aide aux Personnes Déplacées"
MDM = "Médecins du Monde Belgique"
COMMUNE_T = "Ville de Tournai — Service Population-Étrangers"
MM_T = "Maison médicale Saint-Piat"
AIS_T = "Agence immobilière sociale du Tournaisis"
EPS_T = "École de promotion sociale de Tournai"
LEE_T = "Lire et Écrire Wallonie picarde"
BIB_T = "Bibliothèque de Tournai — Espace public numérique"
BANQUE_T = "Épicerie solidaire du Tournaisis"
SETIS_T = "Sétis wallon — antenne du Hainaut"
SSM_T = "Service de santé mentale du Tournaisis"
FOREM_T = "Forem — Maison de l'emploi de Tournai"
EDD_T = "École des devoirs La Passerelle"
BAJ_T = "Bureau d'aide juridique de Tournai"
CPF_T = "Centre de planning familial Le Cerf-Volant"
ONE_T = "ONE — consultations pour enfants de Tournai"
UKR_T = "Tournai Solidarité Ukraine"

TOURNAI_ORGANISATIONS = [
    DemoOrganisation(
        PLATEFORME,
        "association",
        "Rue de la Tête d'Or 18",
        "Plateforme d'associations et de bénévoles qui coordonne l'accueil à Tournai, le CRI étant à une "
        "quarantaine de kilomètres : accompagnement des familles après l'accueil (logement, démarches, "
        "traduction de documents).",
        is_member=True,
        enterprise_number="0864039772",
        website="https://accueil-tournai.example.be",
        email="contact@accueil-tournai.example.be",
        phone="069 22 41 18",
        staff_languages=("fr", "en", "ar", "nl"),
    ),
    DemoOrganisation(
        CPAS_T,
        "cpas",
        "Boulevard Léopold 52",
        "Centre public d'action sociale : revenu d'intégration et PIIS, initiative locale d'accueil (ILA) pour "
        "demandeurs d'asile, médiation de dettes, mises à l'emploi article 60.",
        is_member=True,
        website="https://cpas-tournai.example.be",
        email="accueil@cpas-tournai.example.be",
        phone="069 88 47 00",
        staff_languages=("fr",),
    ),
    DemoOrganisation(
        CRI_T,
        "cri",
        "Rue Saint-Martin 63",
        "Antenne du centre régional d'intégration : parcours d'intégration des primo-arrivants, formation à la "
        "citoyenneté, orientation socioprofessionnelle et coordination des initiatives locales d'intégration.",
        is_member=True,
        website="https://cri-hainaut.example.be",
        email="tournai@cri-hainaut.example.be",
        phone="069 45 12 90",
        staff_languages=("fr", "en", "ar", "es", "tr"),
    ),
    DemoOrganisation(
        APD,
        "association",
        "Rue des Jésuites 27",
        "Association fondée en 1949 par Dominique Pire (prix Nobel de la paix 1958) : service social spécialisé "
        "en droit des étrangers, cours de langue, visites en centre fermé et hébergement de demandeurs d'asile.",
        is_member=True,
        website="https://apd.example.be",
        email="tournai@apd.example.be",
        phone="069 21 50 37",
        staff_languages=("fr", "en", "ar", "ru"),
    ),
    DemoOrganisation(
        MDM,
        "ngo",
        "Rue de Cordes 9",
        "Association médicale internationale qui travaille à l'accès aux soins des personnes exclues ; "
        "consultations médicales et sociales pour les personnes sans accès aux soins.",
        is_member=True,
        website="https://medecinsdumonde.example.be",
        email="tournai@medecinsdumonde.example.be",
        phone="069 84 20 15",
        staff_languages=("fr", "en", "ar", "prs", "ps"),
    ),
    DemoOrganisation(
        CARITAS,
        "ngo",
        "Quai Taille-Pierres 7",
        "La cellule intégration de Caritas International anime des housing-cafés où coachs et bénévoles aident les "
        "réfugiés fraîchement reconnus à trouver un logement et à s'y installer ; elle accompagne aussi le "
        "regroupement familial.",
        is_member=True,
        website="https://caritas-housing.example.org",
        email="tournai@caritas-housing.example.org",
        phone="069 23 61 40",
        staff_languages=("fr", "en", "ar", "ti"),
    ),
    DemoOrganisation(
        COMMUNE_T,
        "commune",
        "Rue Saint-Jacques 14",
        "Inscription au registre des étrangers, titres de séjour, changements d'adresse ; orientation vers le CRI.",
        website="https://tournai.example.be/population",
        email="etrangers@tournai.example.be",
        phone="069 33 22 10",
    ),
    DemoOrganisation(
        MM_T,
        "association",
        "Rue Saint-Piat 31",
        "Maison médicale au forfait : médecine générale, soins infirmiers, kinésithérapie, accueil social.",
        website="https://mm-saintpiat.example.be",
        email="accueil@mm-saintpiat.example.be",
        phone="069 22 87 54",
        staff_languages=("fr", "en", "ar"),
    ),
    DemoOrganisation(
        AIS_T,
        "association",
        "Rue du Rempart 112",
        "Agence immobilière sociale : logements de propriétaires privés loués à des ménages à revenus modestes.",
        website="https://ais-tournaisis.example.be",
        email="candidats@ais-tournaisis.example.be",
        phone="069 84 31 62",
    ),
    DemoOrganisation(
        EPS_T,
        "public_service",
        "Rue de l'Athénée 21",
        "Enseignement de promotion sociale : français langue étrangère, alphabétisation, formations qualifiantes.",
        website="https://eps-tournai.example.be",
        email="secretariat@eps-tournai.example.be",
        phone="069 22 05 93",
    ),
    DemoOrganisation(
        LEE_T,
        "association",
        "Rue Perdue 5",
        "Mouvement d'éducation permanente pour l'alphabétisation des adultes : cours, ateliers et orientation.",
        website="https://lire-ecrire-wapi.example.be",
        email="tournai@lire-ecrire-wapi.example.be",
        phone="069 22 30 44",
    ),
    DemoOrganisation(
        BIB_T,
        "public_service",
        "Boulevard des Nerviens 8",
        "Bibliothèque communale avec un espace public numérique et des ateliers d'initiation.",
        website="https://bibliotheque-tournai.example.be",
        email="epn@bibliotheque-tournai.example.be",
        phone="069 33 20 80",
    ),
    DemoOrganisation(
        BANQUE_T,
        "association",
        "Chaussée de Lille 140",
        "Épicerie solidaire et distribution de colis alimentaires en lien avec la Banque alimentaire.",
        email="epicerie.tournaisis@example.org",
        phone="069 21 44 70",
    ),
    DemoOrganisation(
        SETIS_T,
        "association",
        "Rue de Marvis 12",
        "Service de traduction et d'interprétariat en milieu social pour les services publics et associatifs "
        "de Wallonie.",
        website="https://setis-wallon.example.be",
        email="hainaut@setis-wallon.example.be",
        phone="069 78 10 20",
        staff_languages=("ar", "prs", "ps", "ti", "so", "uk", "ru", "tr", "sq", "am", "fa", "ku"),
    ),
    DemoOrganisation(
        SSM_T,
        "public_service",
        "Rue Dorez 26",
        "Service de santé mentale agréé : consultations psychologiques et psychiatriques, équipe formée à "
        "l'accueil des personnes exilées.",
        phone="069 22 13 58",
        email="ssm@tournaisis.example.be",
    ),
    DemoOrganisation(
        FOREM_T,
        "public_service",
        "Rue Childéric 45",
        "Service public wallon de l'emploi et de la formation : inscription, conseil, formations.",
        website="https://forem.example.be",
        phone="069 88 23 00",
    ),
    DemoOrganisation(
        EDD_T,
        "association",
        "Rue Saint-Brice 58",
        "École des devoirs du quartier Saint-Brice, reconnue par l'ONE.",
        email="lapasserelle@example.org",
        phone="069 21 76 92",
    ),
    DemoOrganisation(
        BAJ_T,
        "public_service",
        "Rue du Château 50",
        "Bureau d'aide juridique de l'Ordre des avocats : aide juridique de première ligne gratuite et "
        "désignation d'un avocat pro deo.",
        phone="069 22 16 40",
    ),
    DemoOrganisation(
        CPF_T,
        "association",
        "Rue des Campeaux 11",
        "Centre de planning familial : consultations médicales, psychologiques, sociales et juridiques, accueil "
        "des victimes de violences.",
        email="accueil@cerfvolant.example.be",
        phone="069 21 03 65",
        staff_languages=("fr", "en"),
    ),
    DemoOrganisation(
        ONE_T,
        "public_service",
        "Rue Beyaert 22",
        "Consultations préventives gratuites pour les enfants de 0 à 6 ans : vaccinations, suivi de croissance.",
        phone="069 22 55 81",
    ),
    DemoOrganisation(
        UKR_T,
        "citizen_initiative",
        "Rue Blandinoise 4",
        "Collectif d'habitants qui a accueilli des familles ukrainiennes arrivées en 2022.",
        email="tournai.ukraine@example.org",
        staff_languages=("fr", "uk", "ru", "en"),
    ),
]

TOURNAI_OFFERS = [
    # Plateforme associative
    DemoOffer(
        PLATEFORME,
        "Accompagnement bénévole des familles après l'accueil",
        "mentoring",
        "Des bénévoles accompagnent les familles qui quittent le centre d'accueil : recherche de logement, "
        "démarches, école, premiers contacts avec le CPAS.",
        also=("housing", "administrative"),
        statuses=("refugee", "subsidiary_protection", "family_reunification"),
        languages=("fr", "en", "ar"),
        hours="1 14:00-17:00; 4 14:00-17:00",
    ),
    DemoOffer(
        PLATEFORME,
        "Traduction de documents avec des outils numériques",
        "translation",
        "Aide pour comprendre et traduire un courrier, un formulaire ou une décision, avec des bénévoles et des "
        "outils de traduction.",
        also=("administrative",),
        languages=("fr", "ar", "prs", "ps", "ti", "en"),
        hours="3 14:00-17:00",
        access=DROP_IN,
    ),
    DemoOffer(
        PLATEFORME,
        "Table de conversation en français",
        "language",
        "Pratiquer le français oral autour d'un café, tous niveaux, sans inscription.",
        also=("social_link",),
        languages=("fr",),
        hours="4 14:00-16:00",
        access=DROP_IN,
    ),
    DemoOffer(
        PLATEFORME,
        "Vestiaire solidaire",
        "material_aid",
        "Vêtements, linge de maison et petit mobilier pour les familles qui s'installent.",
        languages=("fr", "en", "ar"),
        hours="6 9:30-12:00",
        access=DROP_IN,
        verified_days_ago=110,
    ),
    # CPAS de Tournai
    DemoOffer(
        CPAS_T,
        "Revenu d'intégration sociale et PIIS",
        "social_rights",
        "Demande de revenu d'intégration, enquête sociale et projet individualisé d'intégration sociale. "
        "Permanences dans les antennes de quartier.",
        statuses=("refugee", "subsidiary_protection", "family_reunification", "regularised"),
        languages=("fr",),
        interpreting=True,
        hours="1-5 8:30-11:30",
        places=(("Siège", "Boulevard Léopold 52"), ("Antenne Saint-Piat", "Rue Saint-Piat 70")),
        ages=(18, None),
    ),
    DemoOffer(
        CPAS_T,
        "Initiative locale d'accueil (ILA) pour familles demandeuses d'asile",
        "housing",
        "Logements individuels pour des familles pendant la procédure d'asile, avec un suivi social.",
        also=("asylum_procedure",),
        statuses=("applicant",),
        languages=("fr", "en", "ar", "sq", "tr", "prs"),
        interpreting=True,
        access=REFERRAL,
        capacity=FULL,
        eligibility="Désignation par Fedasil.",
    ),
    DemoOffer(
        CPAS_T,
        "Prime d'installation",
        "social_rights",
        "Prime unique pour équiper un premier logement après la sortie d'une structure d'accueil.",
        also=("housing", "material_aid"),
        statuses=PROTECTED,
        languages=("fr",),
        hours="1-5 8:30-11:30",
    ),
    DemoOffer(
        CPAS_T,
        "Médiation de dettes et guidance budgétaire",
        "budget_debt",
        "Analyse du budget, plans de paiement, règlement collectif de dettes, ateliers énergie.",
        languages=("fr",),
        hours="2 9:00-12:00; 4 9:00-12:00",
        capacity=WAITING,
        waiting_weeks=10,
    ),
    DemoOffer(
        CPAS_T,
        "Parrainage citoyen des familles en ILA",
        "mentoring",
        "Des habitants parrainent une famille en ILA : visites, repas partagés, balades, aide à la recherche "
        "de logement. Charte signée et séance d'information sur la procédure d'asile.",
        also=("social_link",),
        statuses=("applicant",),
        languages=("fr", "en"),
        capacity=PAUSED,
        verified_days_ago=210,
    ),
    DemoOffer(
        CPAS_T,
        "Mise à l'emploi article 60",
        "employment_training",
        "Contrat de travail au CPAS ou chez un partenaire pour ouvrir le droit au chômage et acquérir une expérience.",
        statuses=("refugee", "subsidiary_protection", "regularised"),
        languages=("fr",),
        access=REFERRAL,
        capacity=WAITING,
        waiting_weeks=20,
        ages=(18, 64),
    ),
    DemoOffer(
        CPAS_T,
        "Activ'Tournai — activation sociale (projet FAMI)",
        "employment_training",
        "Entretien d'orientation, accompagnement individuel et collectif, séances d'information deux matinées "
        "par semaine et une excursion par mois.",
        also=("social_link",),
        statuses=PROTECTED,
        languages=("fr",),
        hours="2 9:00-12:00; 4 9:00-12:00",
        access=REFERRAL,
        validity=AMIF_2015_2021,
    ),
    # CRI
    DemoOffer(
        CRI_T,
        "Parcours d'intégration : module d'accueil et bilan social",
        "integration_programme",
        "Information sur les droits et devoirs, bilan social et orientation. Inscription dans les trois mois "
        "après l'inscription à la commune. Permanence hebdomadaire à Tournai.",
        also=("social_rights",),
        statuses=NEWCOMERS,
        languages=("fr", "ar", "en", "es", "tr", "prs", "ps"),
        interpreting=True,
        hours="2 9:00-16:00",
        schedule_notes="Le reste de la semaine au siège du CRI, à une quarantaine de kilomètres.",
        ages=(18, None),
    ),
    DemoOffer(
        CRI_T,
        "Formation à la citoyenneté (60 h)",
        "integration_programme",
        "Institutions, droits sociaux, logement, santé, école, emploi. Attestation du parcours d'intégration.",
        statuses=NEWCOMERS,
        languages=("fr", "ar"),
        hours="1 9:00-12:30; 3 9:00-12:30",
        capacity=WAITING,
        waiting_weeks=8,
    ),
    DemoOffer(
        CRI_T,
        "Orientation socioprofessionnelle et équivalence de diplômes",
        "employment_training",
        "Bilan des compétences, dossier d'équivalence auprès de la Fédération Wallonie-Bruxelles, orientation "
        "vers le Forem et les formations.",
        statuses=NEWCOMERS,
        languages=("fr", "en", "es"),
        hours="4 9:00-12:00",
    ),
    DemoOffer(
        CRI_T,
        "Permanence juridique en droit des étrangers",
        "legal_aid",
        "Questions de séjour, regroupement familial, nationalité ; orientation vers un avocat.",
        also=("residence_status", "family_reunification"),
        languages=("fr", "en", "ar"),
        hours="2 13:30-16:00",
        access=DROP_IN,
        verified_days_ago=130,
    ),
    # APD
    DemoOffer(
        APD,
        "Accompagnement dans la procédure d'asile",
        "asylum_procedure",
        "Préparation de l'audition au CGRA, recours, contacts avec l'avocat, par un service social spécialisé "
        "en droit des étrangers.",
        also=("legal_aid",),
        statuses=("applicant",),
        languages=("fr", "en", "ar", "ru"),
        interpreting=True,
        hours="1 9:00-12:00; 3 13:30-16:30",
        access=DROP_IN,
    ),
    DemoOffer(
        APD,
        "Aide aux démarches administratives",
        "administrative",
        "Courriers, formulaires, rendez-vous avec les administrations, mutualité, allocations familiales.",
        languages=("fr", "en", "ar"),
        hours="1 9:00-12:00; 3 13:30-16:30",
        access=DROP_IN,
    ),
    DemoOffer(
        APD,
        "Préparation du dossier de regroupement familial",
        "family_reunification",
        "Liste des documents, légalisations, contacts avec l'ambassade et l'Office des étrangers.",
        also=("residence_status",),
        statuses=("refugee", "subsidiary_protection", "regularised"),
        languages=("fr", "en", "ar"),
        capacity=WAITING,
        waiting_weeks=6,
    ),
    # Médecins du Monde
    DemoOffer(
        MDM,
        "Consultations médicales et sociales pour personnes sans accès aux soins",
        "health",
        "Médecine générale, soins infirmiers et accompagnement social vers l'aide médicale urgente ou la mutualité.",
        also=("social_rights",),
        statuses=("applicant", "other"),
        languages=("fr", "en", "ar", "prs", "ps"),
        interpreting=True,
        hours="2 9:00-12:30; 4 13:30-17:00",
        access=DROP_IN,
    ),
    DemoOffer(
        MDM,
        "Soutien psychologique avec interprète",
        "mental_health",
        "Entretiens psychologiques individuels avec un interprète, pour les personnes suivies en consultation.",
        languages=("fr", "en", "ar", "prs"),
        interpreting=True,
        hours="4 13:30-17:00",
        access=REFERRAL,
        capacity=WAITING,
        waiting_weeks=6,
    ),
    DemoOffer(
        MDM,
        "Consultations mobiles de l'hiver",
        "health",
        "Consultations mobiles auprès des personnes sans abri pendant le plan hiver.",
        languages=("fr", "en", "ar"),
        hours="1-5 19:00-22:00",
        access=DROP_IN,
        validity=ENDED_2025,
    ),
    # Caritas
    DemoOffer(
        CARITAS,
        "Housing-café Tournai",
        "housing",
        "Coachs et bénévoles aident les personnes fraîchement reconnues à trouver un logement et à s'y "
        "installer : annonces, visites, bail, état des lieux.",
        statuses=PROTECTED,
        languages=("fr", "en", "ar", "ti"),
        hours="2 13:30-16:30",
        access=DROP_IN,
    ),
    DemoOffer(
        CARITAS,
        "Regroupement familial : billets d'avion et arrivée de la famille",
        "family_reunification",
        "Aide à la réservation des billets, accueil à l'aéroport et préparation du logement pour la famille réunie.",
        also=("housing",),
        statuses=PROTECTED,
        languages=("fr", "en", "ar", "ti"),
        capacity=WAITING,
        waiting_weeks=12,
        verified_days_ago=185,
    ),
    # Commune
    DemoOffer(
        COMMUNE_T,
        "Inscription des étrangers et titres de séjour",
        "residence_status",
        "Inscription au registre des étrangers, cartes de séjour et renouvellements, sur rendez-vous.",
        also=("administrative",),
        languages=("fr",),
        hours="1-5 8:30-12:00; 3 13:30-16:00",
        online_url="https://tournai.example.be/rendez-vous",
    ),
    # Health
    DemoOffer(
        MM_T,
        "Médecine générale au forfait",
        "health",
        "Consultations sans paiement à l'acte pour les patients inscrits du quartier.",
        languages=("fr", "en", "ar"),
        hours="1-5 8:00-18:30",
        capacity=FULL,
        eligibility="Habiter la zone desservie par la maison médicale.",
    ),
    DemoOffer(
        SSM_T,
        "Consultations psychologiques pour personnes exilées",
        "mental_health",
        "Psychologues et psychiatre formés au trauma, consultations avec interprète Sétis.",
        languages=("fr", "en"),
        interpreting=True,
        hours="1-5 9:00-17:00; 2 17:00-19:00",
        capacity=WAITING,
        waiting_weeks=16,
        cost=CONTRIBUTION,
        cost_note="Tarif selon les revenus ; gratuit sur demande du CPAS.",
    ),
    DemoOffer(
        ONE_T,
        "Consultations pour nourrissons et jeunes enfants",
        "childcare_schooling",
        "Suivi préventif gratuit des enfants de 0 à 6 ans : vaccinations, croissance, conseils aux parents.",
        also=("health",),
        languages=("fr",),
        hours="2 13:00-16:00; 5 9:00-12:00",
        ages=(0, 6),
    ),
    # Housing
    DemoOffer(
        AIS_T,
        "Louer un logement via l'AIS",
        "housing",
        "Candidature pour un logement géré par l'AIS ; loyer adapté aux revenus, accompagnement du locataire.",
        languages=("fr",),
        hours="3 9:00-12:00",
        capacity=WAITING,
        waiting_weeks=40,
        cost=CONTRIBUTION,
        cost_note="Loyer modéré selon les revenus.",
    ),
    # Language
    DemoOffer(
        EPS_T,
        "Français langue étrangère — cours du jour et du soir",
        "language",
        "Quatre niveaux, test de positionnement, cours en journée ou en soirée.",
        languages=("fr",),
        hours="1-4 9:00-12:00; 2,4 18:00-21:00",
        capacity=WAITING,
        waiting_weeks=4,
        cost=CONTRIBUTION,
        cost_note="Droit d'inscription réduit ; exonération pour les bénéficiaires du CPAS.",
        ages=(16, None),
    ),
    DemoOffer(
        LEE_T,
        "Alphabétisation et français oral pour adultes",
        "language",
        "Apprendre à lire, écrire et parler le français, en petits groupes, pour les personnes peu scolarisées.",
        languages=("fr",),
        hours="1-4 13:30-16:00",
        capacity=WAITING,
        waiting_weeks=12,
        ages=(18, None),
    ),
    # Digital, food, interpreting
    DemoOffer(
        BIB_T,
        "Espace public numérique : aide aux démarches en ligne",
        "administrative",
        "Ordinateurs en libre accès et aide pour les formulaires en ligne, Itsme et l'e-mail.",
        languages=("fr", "en"),
        hours="3 13:00-17:30; 6 9:30-12:30",
        access=DROP_IN,
    ),
    DemoOffer(
        BANQUE_T,
        "Colis alimentaires et épicerie solidaire",
        "material_aid",
        "Colis alimentaires toutes les deux semaines et épicerie à prix réduit.",
        languages=("fr",),
        hours="2 13:30-16:30; 5 9:00-12:00",
        access=REFERRAL,
        cost=CONTRIBUTION,
        cost_note="Colis gratuits ; épicerie à prix réduit.",
        eligibility="Sur orientation du CPAS ou d'une association membre.",
    ),
    DemoOffer(
        SETIS_T,
        "Interprétariat en milieu social (sur place, téléphone, visioconférence)",
        "translation",
        "Interprètes pour les services sociaux, médicaux et scolaires ; demande par le service au moins 48 h "
        "à l'avance.",
        languages=("ar", "prs", "ps", "ti", "so", "uk", "ru", "tr", "sq", "am", "fa", "ku"),
        hours="1-5 8:30-17:00",
        places=(),
        online_url="https://setis-wallon.example.be/demande",
        cost_note="Gratuit pour les services agréés par la Région wallonne.",
    ),
    # Employment, schooling, legal, violence
    DemoOffer(
        FOREM_T,
        "Inscription comme demandeur d'emploi et conseil",
        "employment_training",
        "Inscription, rendez-vous avec un conseiller, accès aux formations du Forem.",
        languages=("fr",),
        hours="1-5 8:30-12:30",
        online_url="https://forem.example.be/inscription",
        verified_days_ago=95,
    ),
    DemoOffer(
        EDD_T,
        "École des devoirs et soutien scolaire",
        "childcare_schooling",
        "Aide aux devoirs, lecture et jeux, pour les enfants de 6 à 14 ans du quartier Saint-Brice.",
        languages=("fr",),
        hours="1-2 15:30-17:30; 3 13:30-16:30; 4 15:30-17:30",
        capacity=WAITING,
        waiting_weeks=3,
        ages=(6, 14),
    ),
    DemoOffer(
        BAJ_T,
        "Aide juridique de première ligne",
        "legal_aid",
        "Premier conseil juridique gratuit par un avocat et désignation d'un avocat pro deo selon les revenus.",
        languages=("fr",),
        hours="3 9:00-11:00",
        access=DROP_IN,
    ),
    DemoOffer(
        CPF_T,
        "Accueil des victimes de violences conjugales et intrafamiliales",
        "domestic_violence",
        "Écoute, accompagnement psychologique et juridique, orientation vers un hébergement sécurisé.",
        also=("mental_health", "legal_aid"),
        languages=("fr", "en"),
        interpreting=True,
        hours="1-5 9:00-17:00",
    ),
    DemoOffer(
        UKR_T,
        "Accueil des familles ukrainiennes — protection temporaire",
        "residence_status",
        "Enregistrement, logement chez l'habitant, inscription scolaire. Допомога українським родинам.",
        also=("housing", "childcare_schooling"),
        statuses=("temporary_protection",),
        languages=("uk", "ru", "fr"),
        hours="6 10:00-12:00",
        access=DROP_IN,
        validity=ENDED_2025,
    ),
]

SITES = {
    "schaerbeek": DemoSite("1030", "Schaerbeek", SCHAERBEEK_ORGANISATIONS, SCHAERBEEK_OFFERS),
    "tournai": DemoSite("7500", "Tournai", TOURNAI_ORGANISATIONS, TOURNAI_OFFERS),
}


# --- Loading --------------------------------------------------------------------------------


def _slots(spec: str) -> list[Slot]:
    """ "1-5 9:00-12:30; 2,4 18:00-21:00" → one Slot per day and range."""
    slots = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        days, hours = part.split()
        opens, closes = (time.fromisoformat(f"{t:0>5}") for t in hours.split("-"))
        for chunk in days.split(","):
            first, _, last = chunk.partition("-")
            for weekday in range(int(first), int(last or first) + 1):
                slots.append(Slot(weekday, opens, closes))
    return slots


def _organisation_input(spec: DemoOrganisation, site: DemoSite) -> OrganisationInput:
    return OrganisationInput(
        name=spec.name,
        kind=spec.kind,
        enterprise_number=spec.enterprise_number,
        is_member=spec.is_member,
        description=spec.description,
        street=spec.street,
        postcode=site.postcode,
        city=site.city,
        website=spec.website,
        email=spec.email,
        phone=spec.phone,
        staff_languages=list(spec.staff_languages),
    )


# Fields filled in on an existing organisation when still empty (never its name, kind or
# membership, which the coordination decides).
_DETAILS = [f.name for f in fields(OrganisationInput) if f.name not in {"name", "kind", "is_member"}]


def _ensure_organisation(system: Actor, coordination, spec: DemoOrganisation, site: DemoSite) -> Organisation:
    wanted = _organisation_input(spec, site)
    organisation = Organisation.objects.filter(name__iexact=spec.name).first()
    if organisation is None:
        return create_organisation(actor=system, data=wanted)
    current = OrganisationInput.of(organisation)
    filled = replace(current, **{name: getattr(wanted, name) for name in _DETAILS if not getattr(current, name)})
    if filled != current:
        organisation = update_organisation(actor=system, organisation=organisation, data=filled)
    return organisation


def _offer_input(spec: DemoOffer, organisation: Organisation, site: DemoSite) -> OfferInput:
    home = organisation.street or next(o.street for o in site.organisations if o.name == spec.organisation)
    places = (("", home),) if spec.places is None else spec.places
    valid_from, valid_until = spec.validity
    return OfferInput(
        title=spec.title,
        primary_domain=spec.domain,
        description=spec.description,
        secondary_domains=list(spec.also),
        target_statuses=list(spec.statuses),
        age_min=spec.ages[0],
        age_max=spec.ages[1],
        eligibility=spec.eligibility,
        languages=list(spec.languages),
        interpretation_available=spec.interpreting,
        places=[
            PlaceInput(street=street, postcode=site.postcode, city=site.city, name=name) for name, street in places
        ],
        is_online=bool(spec.online_url),
        online_url=spec.online_url,
        phone=organisation.phone,
        opening_hours=_slots(spec.hours),
        schedule_notes=spec.schedule_notes,
        capacity_status=spec.capacity,
        waiting_weeks=spec.waiting_weeks,
        cost=spec.cost,
        cost_note=spec.cost_note,
        access=spec.access,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@transaction.atomic
def load_directory_demo(coordination) -> int:
    """Creates the demo organisations and offers missing in this coordination; returns the
    number of offers created (0 on a second run, and for a coordination without demo data)."""
    site = SITES.get(coordination.slug)
    if site is None:
        return 0
    system = Actor.system(coordination)
    created = 0
    with schema_context(coordination.schema_name):
        organisations = {
            spec.name: _ensure_organisation(system, coordination, spec, site) for spec in site.organisations
        }
        for spec in site.offers:
            organisation = organisations[spec.organisation]
            if Offer.objects.filter(organisation=organisation, title=spec.title).exists():
                continue
            offer = create_offer(actor=system, organisation=organisation, data=_offer_input(spec, organisation, site))
            if spec.verified_days_ago:
                # Demo ageing: pretend this offer was last confirmed long ago, so the freshness
                # reminders (over 90 days) and the stale marker (over 180 days) have something to show.
                Offer.objects.filter(pk=offer.pk).update(
                    last_verified_at=timezone.now() - timedelta(days=spec.verified_days_ago)
                )
            created += 1
    return created
