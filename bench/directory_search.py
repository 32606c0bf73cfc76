#!/usr/bin/env python3
"""Time directory searches over 5,000 offers in one coordination.

    python3 platform/dev.py services start
    .venv/bin/python bench/directory_search.py [OFFERS]

Works in a throwaway database (maillage_bench_directory, or MAILLAGE_BENCH_DB) on the
local cluster, dropped at the end. Each search is `directory.selectors.directory_search`
evaluated as the first 50 results, with their prefetched relations walked as a results
page would; 20 timed runs per search after one warm-up run, which also counts the SQL
queries: the statements, plus in brackets the `SET search_path` django-tenants sends
before them. The searches: the filters one by one and together, every query of the search
quality set (bench/data/search_quality.yaml), and input that is not a query (10,000
characters, punctuation, common words only, SQL, tsquery and regex syntax, mixed scripts).

"SQL alone" is the statement that fetches the page, sent again as it was captured, straight
on the cursor (median of 20 runs); the ratio is the page's median over it: what reading the
query, the count that decides whether to take partial matches, the prefetches and Python
add. Targets: the page under 50 ms, within 3x the statement alone, the same number of
queries for every search.
"""

import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from _common import configure, provision_bench_coordination, throwaway_database  # noqa: E402  (bench/ is the script folder)

BENCH_DB = configure(os.environ.get("MAILLAGE_BENCH_DB", "maillage_bench_directory"))

RUNS = 20
PAGE = 50
ORGANISATIONS = 200
SEED = 20260623

# Title fragments per need domain, in French and in Dutch.
TITLES = {
    "housing": (
        ["Aide à la recherche de logement", "Permanence logement", "Housing-café", "Logement de transit"],
        ["Hulp bij het zoeken naar huisvesting", "Woonbegeleiding", "Huisvesting voor nieuwkomers", "Woonloket"],
    ),
    "residence_status": (
        ["Permanence séjour", "Renouvellement du titre de séjour", "Information sur le droit de séjour"],
        ["Verblijfsrecht: infopunt", "Hulp bij verlenging van de verblijfskaart"],
    ),
    "family_reunification": (
        ["Regroupement familial : préparation du dossier", "Accompagnement au regroupement familial"],
        ["Gezinshereniging: dossier voorbereiden", "Begeleiding bij gezinshereniging"],
    ),
    "legal_aid": (
        ["Permanence juridique", "Aide juridique de première ligne", "Conseil en droit des étrangers"],
        ["Juridisch spreekuur", "Eerstelijns juridische bijstand", "Vreemdelingenrecht: advies"],
    ),
    "asylum_procedure": (
        ["Préparation de l'audition au CGRA", "Accompagnement dans la procédure d'asile"],
        ["Voorbereiding van het gehoor bij het CGVS", "Begeleiding in de asielprocedure"],
    ),
    "social_rights": (
        ["Revenu d'intégration et droits sociaux", "Allocations familiales : aide aux démarches"],
        ["Leefloon en sociale rechten", "Groeipakket: hulp bij de aanvraag"],
    ),
    "integration_programme": (
        ["Parcours d'accueil des primo-arrivants", "Formation citoyenne", "Séance droits et devoirs"],
        ["Inburgeringstraject", "Maatschappelijke oriëntatie", "Onthaal van nieuwkomers"],
    ),
    "language": (
        ["Cours de français langue étrangère", "Alphabétisation", "Table de conversation en français"],
        ["Nederlandse les", "Cursus Nederlands tweede taal", "Taalcafé Nederlands"],
    ),
    "translation": (
        ["Interprétariat social", "Traduction de documents", "Interprètes en milieu médical"],
        ["Sociaal tolken", "Vertaling van documenten", "Tolken in de zorg"],
    ),
    "administrative": (
        ["Aide aux démarches administratives", "Espace public numérique", "Coach digital"],
        ["Hulp bij administratie", "Digitaal loket", "Digitale hulp: itsme en e-mail"],
    ),
    "employment_training": (
        ["Équivalence de diplômes", "Orientation socioprofessionnelle", "Mentorat vers l'emploi"],
        ["Diplomagelijkschakeling", "Loopbaanbegeleiding", "Mentoring naar werk"],
    ),
    "health": (
        ["Médecine générale au forfait", "Consultations médicales sans rendez-vous", "Aide médicale urgente"],
        ["Huisarts in het wijkgezondheidscentrum", "Medische consultatie", "Dringende medische hulp"],
    ),
    "mental_health": (
        ["Soutien psychologique", "Consultations pour personnes exilées", "Groupe de parole"],
        ["Psychologische ondersteuning", "Traumabegeleiding", "Praatgroep"],
    ),
    "childcare_schooling": (
        ["École des devoirs", "Inscription scolaire", "Accueil de la petite enfance"],
        ["Huiswerkklas", "Inschrijving op school", "Kinderopvang"],
    ),
    "material_aid": (
        ["Colis alimentaires", "Épicerie sociale", "Vestiaire solidaire"],
        ["Voedselpakketten", "Sociale kruidenier", "Kledingbank"],
    ),
    "social_link": (
        ["Table d'hôtes du quartier", "Rencontres entre voisins", "Activités culturelles"],
        ["Buurtrestaurant", "Ontmoeting met buren", "Culturele activiteiten"],
    ),
    "mentoring": (
        ["Parrainage citoyen", "Binômes bénévoles", "Accompagnement par un bénévole"],
        ["Buddywerking", "Vrijwillige meter of peter", "Duo's met vrijwilligers"],
    ),
    "domestic_violence": (
        ["Permanence violences intrafamiliales", "Écoute des victimes de violences conjugales"],
        ["Hulp bij intrafamiliaal geweld", "Opvang van slachtoffers van partnergeweld"],
    ),
    "budget_debt": (
        ["Médiation de dettes", "Guidance budgétaire", "Atelier énergie et budget"],
        ["Schuldbemiddeling", "Budgetbegeleiding", "Workshop energie en budget"],
    ),
    "other": (
        ["Aide au retour volontaire", "Information générale", "Orientation sociale"],
        ["Vrijwillige terugkeer", "Algemene informatie", "Sociale doorverwijzing"],
    ),
}
SENTENCES = (
    [
        "Pour les familles et les personnes seules récemment arrivées.",
        "Accompagnement individuel et séances collectives.",
        "Orientation vers les partenaires du réseau si nécessaire.",
        "Avec un interprète sur demande, prévenir quelques jours avant.",
        "Apporter une pièce d'identité et les documents reçus.",
        "Les enfants sont les bienvenus.",
    ],
    [
        "Voor gezinnen en alleenstaanden die pas aangekomen zijn.",
        "Individuele begeleiding en groepssessies.",
        "Doorverwijzing naar partners in het netwerk indien nodig.",
        "Met een tolk op aanvraag, enkele dagen vooraf melden.",
        "Breng een identiteitsbewijs en de ontvangen documenten mee.",
        "Kinderen zijn welkom.",
    ],
)
NEIGHBOURHOODS = ["Josaphat", "Helmet", "Colignon", "Brabant", "Dailly", "Meiser", "Terdelt", "Gare du Nord"]
STREETS = ["Chaussée de Haecht", "Rue Royale Sainte-Marie", "Avenue Louis Bertrand", "Rue de Brabant", "Rue Josaphat"]
KINDS = ["association"] * 10 + ["ngo"] * 3 + ["citizen_initiative"] * 3 + ["public_service"] * 2 + ["cpas", "commune"]
OTHER_LANGUAGES = ["en", "ar", "prs", "ps", "ti", "uk", "ru", "es", "tr", "so", "am", "sq"]
STATUSES = [
    "refugee",
    "subsidiary_protection",
    "family_reunification",
    "temporary_protection",
    "regularised",
    "applicant",
    "other",
]


def fill(coordination, count: int, rng: random.Random) -> None:
    """Organisations through the service; offers, their places and opening hours in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from directory.models import Location, NeedDomain, Offer, OpeningHours
    from directory.services import OrganisationInput, create_organisation, refresh_search_vectors
    from maillage.actor import Actor

    system = Actor.system(coordination)
    organisations = [
        create_organisation(
            actor=system,
            data=OrganisationInput(
                name=f"Organisation {i:03d} {rng.choice(NEIGHBOURHOODS)}",
                kind=rng.choice(KINDS),
                is_member=rng.random() < 0.4,
                description="Organisation de la coordination de démonstration.",
                street=f"{rng.choice(STREETS)} {i + 1}",
                postcode="1030",
                city="Schaerbeek",
            ),
        )
        for i in range(ORGANISATIONS)
    ]
    domains = {d.code: d for d in NeedDomain.objects.all()}
    codes = list(TITLES)
    today = timezone.localdate()
    now = timezone.now()
    # create_offer validates, writes relations, refreshes the search vector and audits each
    # offer one by one: minutes for 5,000. The benchmark measures reads, so it writes the
    # rows in bulk and refreshes all search vectors with one call at the end.
    with transaction.atomic():
        locations = Location.objects.bulk_create(
            Location(organisation=o, street=f"{rng.choice(STREETS)} {n}", postcode="1030", city="Schaerbeek")
            for o in organisations
            for n in range(1, rng.randint(1, 3) + 1)
        )
        places_of: dict[int, list[Location]] = {}
        for location in locations:
            places_of.setdefault(location.organisation_id, []).append(location)
        offers = []
        for i in range(count):
            code = rng.choice(codes)
            dutch = rng.random() < 0.35
            organisation = rng.choice(organisations)
            ended = rng.random() < 0.05
            capacity = rng.choices(["open", "waiting_list", "full", "paused"], [60, 25, 10, 5])[0]
            online = rng.random() < 0.1
            offers.append(
                Offer(
                    organisation=organisation,
                    title=(title := f"{rng.choice(TITLES[code][dutch])} — {rng.choice(NEIGHBOURHOODS)} {i}"),
                    # The version in its language too, as the offer services write it.
                    **{"title_nl" if dutch else "title_fr": title},
                    description=" ".join(rng.sample(SENTENCES[dutch], 3)),
                    primary_domain=domains[code],
                    target_statuses=rng.sample(STATUSES, rng.choice([0, 0, 1, 2, 3])),
                    languages=["nl" if dutch else "fr", *rng.sample(OTHER_LANGUAGES, rng.randint(0, 4))],
                    interpretation_available=rng.random() < 0.3,
                    is_online=online,
                    online_url=f"https://offer{i}.example.org" if online else "",
                    capacity_status=capacity,
                    waiting_weeks=rng.randint(1, 30) if capacity == "waiting_list" else None,
                    cost=rng.choices(["free", "contribution"], [85, 15])[0],
                    access=rng.choices(["drop_in", "appointment", "referral_only"], [35, 50, 15])[0],
                    valid_from=today - timedelta(days=900) if ended else None,
                    valid_until=today - timedelta(days=rng.randint(1, 400)) if ended else None,
                    last_verified_at=now - timedelta(days=rng.randint(0, 300)),
                )
            )
        offers = Offer.objects.bulk_create(offers, batch_size=1000)
        secondary, placed, hours = [], [], []
        for offer in offers:
            for code in rng.sample(codes, rng.choice([0, 0, 1, 2])):
                if code != offer.primary_domain.code:
                    secondary.append(Offer.secondary_domains.through(offer=offer, needdomain=domains[code]))
            if not offer.is_online:
                place = rng.choice(places_of[offer.organisation_id])
                placed.append(Offer.locations.through(offer=offer, location=place))
            for weekday in rng.sample(range(1, 8), rng.choice([0, 1, 2, 3, 5])):
                opens = rng.choice([8, 9, 10, 13, 14, 18])
                hours.append(
                    OpeningHours(
                        offer=offer,
                        weekday=weekday,
                        opens_at=clock(opens, rng.choice([0, 30])),
                        closes_at=clock(opens + rng.choice([2, 3, 4]), 0),
                    )
                )
        Offer.secondary_domains.through.objects.bulk_create(secondary, batch_size=2000)
        Offer.locations.through.objects.bulk_create(placed, batch_size=2000)
        OpeningHours.objects.bulk_create(hours, batch_size=2000)
        refresh_search_vectors(Offer.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"filled: {len(organisations)} organisations, {len(locations)} places, {len(offers)} offers, "
        f"{len(secondary)} secondary domains, {len(hours)} opening slots"
    )


QUALITY_SET = Path(__file__).resolve().parent / "data" / "search_quality.yaml"
BAD_INPUT = [
    ("10,000 characters", ("logement cours français " * 500)[:10_000]),
    ("punctuation only", "?!... ;;; --- '' \" %%% ***"),
    ("common words only", "de la le les et pour het een van the"),
    ("SQL", "'; DROP TABLE directory_offer; -- OR 1=1"),
    ("tsquery syntax", "logement & !( | :* <-> ''"),
    ("regex", r".*(a|b)+[^x]{2,}\d$"),
    ("mixed scripts", "логемент سكن 住房 Wohnung logement"),
]
PAGE_TARGET_MS = 50
RATIO_TARGET = 3


def searches(now: datetime) -> list[tuple[str, dict]]:
    quality = yaml.safe_load(QUALITY_SET.read_text(encoding="utf-8"))
    return [
        ("no filter (first page by title)", {}),
        ('text "logement"', {"query": "logement"}),
        ('text "cours de français"', {"query": "cours de français"}),
        ('text "huisvesting"', {"query": "huisvesting"}),
        ('text "famille regroupement"', {"query": "famille regroupement"}),
        ("domain housing", {"domain": "housing"}),
        ("language ar", {"language": "ar"}),
        ("status refugee", {"status": "refugee"}),
        (f"open now ({now:%a %H:%M})", {"open_now": True}),
        ("no appointment", {"no_appointment": True}),
        ("capacity waiting_list", {"capacity": "waiting_list"}),
        ("organisation kind ngo", {"organisation_kind": "ngo"}),
        (
            '"logement" + housing + ar + refugee + drop-in',
            {"query": "logement", "domain": "housing", "language": "ar", "status": "refugee", "no_appointment": True},
        ),
        ("language domain + open now + open capacity", {"domain": "language", "open_now": True, "capacity": "open"}),
        (
            '"nederlands" + nl + association',
            {"query": "nederlands", "language": "nl", "organisation_kind": "association"},
        ),
        *((f"quality: {case['q']}"[:48], {"query": case["q"]}) for case in quality),
        *((f"bad input: {label}", {"query": text}) for label, text in BAD_INPUT),
    ]


def page(actor, filters, now) -> list:
    """The first page of results, walked as the results template walks it."""
    from directory.selectors import directory_search

    results = list(directory_search(actor=actor, filters=filters, now=now).offers[:PAGE])
    for offer in results:
        _ = offer.organisation.name, offer.primary_domain.code
        list(offer.secondary_domains.all())
        list(offer.opening_hours.all())
        list(offer.locations.all())
    return results


def _timed(run) -> tuple[float, float]:
    """Median and p95 of RUNS runs, in milliseconds."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def measure(coordination) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from directory.selectors import OfferFilters, search_offers
    from maillage.actor import Actor

    actor = Actor.system(coordination)
    # "Open now" on a Tuesday at 10:30, whenever the benchmark runs.
    now = timezone.localtime().replace(hour=10, minute=30, second=0, microsecond=0)
    now += timedelta(days=(2 - now.isoweekday()) % 7)
    print(
        f"{'search':<48} {'matches':>7} {'page':>4} {'median':>8} {'p95':>8} {'SQL alone':>9} {'ratio':>5}"
        f" {'queries':>8}"
    )
    worst_ms = worst_ratio = 0.0
    query_counts: dict[int, int] = {}
    for label, values in searches(now):
        filters = OfferFilters(**values)
        matches = search_offers(actor=actor, filters=filters, now=now).count()
        reset_queries()  # the log keeps 9,000 queries; a full one captures nothing
        with CaptureQueriesContext(connection) as captured:
            shown = len(page(actor, filters, now))
        sql = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]
        # The page's own statement: the one that selects the offers, with the page's LIMIT.
        statement = next((q for q in sql if q.startswith('SELECT "directory_offer"') and f"LIMIT {PAGE}" in q), None)
        median, p95 = _timed(lambda filters=filters: page(actor, filters, now))
        alone = 0.0
        if statement is not None:

            def run_alone(statement=statement):
                with connection.cursor() as cursor:
                    cursor.execute(statement)
                    cursor.fetchall()

            alone, _p95 = _timed(run_alone)
        ratio = median / alone if alone else 0.0
        worst_ms, worst_ratio = max(worst_ms, median), max(worst_ratio, ratio)
        query_counts[len(sql)] = query_counts.get(len(sql), 0) + 1
        print(
            f"{label:<48} {matches:>7} {shown:>4} {median:>6.1f}ms {p95:>6.1f}ms {alone:>7.1f}ms {ratio:>5.1f}"
            f" {len(sql):>4} (+{len(captured.captured_queries) - len(sql)})"
        )
    print(
        f"\nslowest page {worst_ms:.1f} ms median (target < {PAGE_TARGET_MS} ms); "
        f"largest ratio page / SQL alone {worst_ratio:.1f} (target <= {RATIO_TARGET})"
    )
    print("query counts: " + ", ".join(f"{n} queries in {k} searches" for n, k in sorted(query_counts.items())))


def main(count: int) -> None:
    with throwaway_database(BENCH_DB):
        from django_tenants.utils import schema_context

        coordination = provision_bench_coordination("Bench directory", "bench-directory")
        with schema_context(coordination.schema_name):
            started = time.perf_counter()
            fill(coordination, count, random.Random(SEED))
            print(f"fill time: {time.perf_counter() - started:.1f} s")
            print(f"{count} offers, first {PAGE} results with relations, {RUNS} runs each:")
            measure(coordination)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
