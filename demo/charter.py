"""Demo: Schaerbeek's data-sharing charter, adopted by every member organisation, and one
membership request waiting for the coordinators. Names, addresses and the data protection
officer are invented. Loading twice changes nothing.

Call after the directory, persons and referrals demos (demo.coordinations.load_demo):
    load_charter_demo(coordination)
"""

from django.db import transaction
from django_tenants.utils import schema_context

from charter import services
from charter.models import CharterAdoption, CharterVersion, MembershipRequest
from directory.models import Organisation
from maillage.actor import Actor
from members.models import Membership
from members.roles import READS_PERSONAL_DATA

TITLE = "Charte de partage de données de la coordination locale de Schaerbeek"

PURPOSES = """\
Les organisations membres de la coordination locale de Schaerbeek partagent des informations sur les \
personnes primo-arrivantes qu'elles accompagnent dans un seul but : leur permettre d'accéder sans détour \
aux services dont elles ont besoin (logement, droits sociaux, séjour, santé, langue, emploi, scolarité).

Les données sont partagées uniquement pour :
- orienter une personne vers une autre organisation membre, avec son consentement ;
- assurer le suivi de cette orientation jusqu'à son terme ;
- coordonner l'accompagnement d'une même personne entre plusieurs services, sans lui faire répéter son histoire.

Elles ne sont jamais utilisées pour contrôler la personne, conditionner une aide ou établir des \
statistiques nominatives. Les statistiques de la coordination ne portent que sur des nombres."""

SECRECY_RULES = """\
Chaque travailleur reste tenu par son propre secret professionnel (article 458 du Code pénal) et par la \
déontologie de sa profession. Le partage d'informations couvertes par le secret n'est admis que dans le \
cadre du secret professionnel partagé, aux conditions suivantes, toutes cumulatives :
1. la personne concernée a été informée et a donné son consentement, enregistré sur la plateforme, pour \
les organisations, les domaines et les catégories de données qu'il vise ; elle peut le retirer à tout moment ;
2. seules les informations nécessaires à la mission du destinataire sont partagées (« besoin d'en connaître ») ;
3. le destinataire est lui-même tenu au secret professionnel ou à une obligation de discrétion équivalente ;
4. les informations sensibles (santé, violences intrafamiliales) ne quittent l'organisation qui les a \
recueillies que si le consentement le prévoit explicitement.

Le CPAS exerce aussi une mission de contrôle dans l'octroi de l'aide sociale : aucune note rédigée par une \
association n'est transmise au CPAS sans un consentement qui le nomme. Aucune information n'est transmise \
par courriel, WhatsApp ou SMS : les échanges passent par la plateforme, qui en garde la trace."""

RETENTION = """\
Les dossiers des personnes sont conservés aussi longtemps que l'accompagnement est en cours, puis 24 mois \
après leur clôture ; ils sont ensuite anonymisés automatiquement. Les formulaires de consentement signés \
sont conservés 60 mois comme preuve, puis supprimés. Le journal des accès (qui a lu ou modifié quoi) est \
conservé sans limite de durée et ne peut être modifié par personne. Chaque personne peut demander à tout \
moment la liste des organisations qui ont consulté son dossier."""

DATA_PROTECTION_CONTACT = """\
Délégué à la protection des données de la coordination : Maître Élise Vandamme (personne fictive)
VIA — BAPA Schaerbeek, rue Gallait 82, 1030 Schaerbeek
dpo-coordination@schaerbeek.demo.maillage.example — 02 217 40 99

Toute personne peut aussi s'adresser à l'Autorité de protection des données, rue de la Presse 35, \
1000 Bruxelles."""

OTHER_PROVISIONS = """\
La charte est revue chaque année en réunion de coordination. Une nouvelle version doit être adoptée par \
chaque organisation membre, par une personne habilitée à l'engager ; jusque-là, l'organisation ne peut ni \
envoyer ni recevoir d'orientation. Une organisation qui ne respecte pas la charte peut être suspendue de la \
coordination après avoir été entendue."""

# Who signs for each member organisation (invented); others sign as "Direction".
REPRESENTATIVES = {
    "VIA — BAPA Schaerbeek": ("Nadia El Amrani", "Coordinatrice"),
    "CPAS de Schaerbeek": ("Jean-Luc Marchal", "Secrétaire général"),
    "Service Social de Solidarité Socialiste (SESO)": ("Inès Moreau", "Directrice"),
    "Exil": ("Dr Paul Hermans", "Directeur médical"),
    "DUO for a JOB": ("Sophie Lambrecht", "Responsable Bruxelles"),
    "Plate-forme citoyenne de soutien aux réfugiés": ("Youssef Amrani", "Coordinateur des bénévoles"),
    "Caritas International — Housing-cafés": ("Amina Diallo", "Responsable de la cellule intégration"),
}

REQUEST = {
    "organisation_name": "Maison des femmes de Schaerbeek",
    "kind": "association",
    "street": "Rue Josaphat 253",
    "postcode": "1030",
    "city": "Schaerbeek",
    "contact_name": "Leïla Bouzid",
    "contact_email": "maison-des-femmes.schaerbeek@demo.maillage.example",
    "motivation": (
        "Nous accueillons chaque semaine des femmes primo-arrivantes : permanence sociale, cours de français "
        "avec garderie, groupe de parole. Nous souhaitons rejoindre la coordination pour orienter ces femmes "
        "vers le BAPA et le CPAS avec leur accord, et recevoir des orientations pour nos cours et notre "
        "espace d'accueil."
    ),
}


def _adopter(organisation: Organisation, coordination) -> Actor:
    """A member of the organisation who may adopt the charter for it, else the platform."""
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(organisation=organisation, is_active=True, role__in=READS_PERSONAL_DATA)
        .order_by("role", "created_at")
        .first()
    )
    if membership is None:
        return Actor.system(coordination)
    return Actor(user=membership.user, membership=membership, organisation=organisation, coordination=coordination)


@transaction.atomic
def load_charter_demo(coordination) -> int:
    """Schaerbeek only: charter version 1, adopted by every member organisation, and one
    pending membership request. Returns the number of adoptions recorded."""
    if coordination.slug != "schaerbeek":
        return 0
    system = Actor.system(coordination)
    made = 0
    with schema_context(coordination.schema_name):
        current = CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
        if current is None:
            draft = CharterVersion.objects.filter(published_at__isnull=True).first()
            if draft is None:
                draft = services.create_charter_draft(
                    actor=system,
                    data=services.CharterInput(
                        title=TITLE,
                        purposes=PURPOSES,
                        secrecy_rules=SECRECY_RULES,
                        retention=RETENTION,
                        data_protection_contact=DATA_PROTECTION_CONTACT,
                        other_provisions=OTHER_PROVISIONS,
                    ),
                )
            current = services.publish_charter(actor=system, version=draft)
        for organisation in Organisation.objects.filter(is_member=True).order_by("name"):
            if CharterAdoption.objects.filter(charter=current, organisation=organisation).exists():
                continue
            name, title = REPRESENTATIVES.get(organisation.name, ("Direction", ""))
            services.adopt_charter(
                actor=_adopter(organisation, coordination),
                organisation=organisation,
                representative=name,
                representative_title=title,
            )
            made += 1
        if not MembershipRequest.objects.filter(organisation_name__iexact=REQUEST["organisation_name"]).exists():
            # Filed through the join link by an association with no account yet.
            services.request_membership(
                actor=Actor(user=None, membership=None, organisation=None, coordination=coordination),
                data=services.MembershipRequestInput(**REQUEST),
                by_link=True,
            )
    return made
