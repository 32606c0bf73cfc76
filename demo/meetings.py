"""Demo meetings and action plan for Schaerbeek: two past meetings with their minutes,
attendance, decisions and actions (one due soon, one overdue), one meeting to come, and a
local pact with three objectives. Dates are relative to the day the demo loads.

Everything goes through the services, as the coordinator. Loading twice changes nothing:
a meeting or objective with the same title is left as it is.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from directory.models import Organisation
from maillage.actor import Actor
from meetings.models import Meeting, Objective
from meetings.services import (
    ActionInput,
    MeetingInput,
    ObjectiveInput,
    create_action,
    create_meeting,
    create_objective,
)
from members.models import Membership, Role

VIA = "VIA — BAPA Schaerbeek"
CPAS = "CPAS de Schaerbeek"
SESO = "Service Social de Solidarité Socialiste (SESO)"
EXIL = "Exil"
DUO = "DUO for a JOB"
CITIZENS = "Plate-forme citoyenne de soutien aux réfugiés"
CARITAS = "Caritas International — Housing-cafés"

OBJECTIVES = [
    (
        "housing",
        "Réduire à trois mois le délai d'accès à un logement pour les familles reconnues réfugiées",
        "Avec les agences immobilières sociales, les Housing-cafés et le CPAS : garantie locative, "
        "premier loyer, accompagnement à la recherche.",
        "in_progress",
    ),
    (
        "language",
        "Une place en cours de français dans les trois mois qui suivent l'inscription au parcours",
        "Suivre les listes d'attente des opérateurs et ouvrir un module du soir avec la promotion sociale.",
        "planned",
    ),
    (
        "employment_training",
        "Orienter chaque personne qui le souhaite vers l'équivalence de diplôme et l'emploi",
        "Séances d'information communes, parrainage professionnel, lien avec Actiris.",
        "in_progress",
    ),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _coordinator(coordination) -> Actor | None:
    membership = (
        Membership.objects.select_related("organisation", "user")
        .filter(role=Role.COORDINATOR, is_active=True)
        .order_by("pk")
        .first()
    )
    if membership is None:
        return None
    return Actor(
        user=membership.user, membership=membership, organisation=membership.organisation, coordination=coordination
    )


def load_meetings_demo(coordination) -> int:
    """Creates Schaerbeek's demo meetings and plan; returns the meetings created (0 on a
    second run, and for any other coordination)."""
    if coordination.slug != "schaerbeek":
        return 0
    with schema_context(coordination.schema_name), transaction.atomic():
        actor = _coordinator(coordination)
        if actor is None:
            return 0
        return _load(actor)


def _load(actor: Actor) -> int:
    members = {o.name: o for o in Organisation.objects.filter(is_member=True)}
    lead = members.get(VIA) or actor.organisation

    def org(name):
        return (members.get(name) or lead).public_id

    today = timezone.localdate()
    objectives = {}
    for code, title, description, status in OBJECTIVES:
        objective = Objective.objects.filter(title=title).first() or create_objective(
            actor=actor, data=ObjectiveInput(need_domain=code, title=title, description=description, status=status)
        )
        objectives[code] = objective.public_id

    created = 0
    first_title = "Réunion de coordination — logement des familles et cours de français"
    if not Meeting.objects.filter(title=first_title).exists():
        first = create_meeting(
            actor=actor,
            data=MeetingInput(
                title=first_title,
                starts_at=_at(today - timedelta(days=42), 14),
                ends_at=_at(today - timedelta(days=42), 16),
                place="VIA, salle de réunion du 1er étage, rue Royale-Sainte-Marie (Schaerbeek)",
                agenda=[
                    "Tour de table des organisations",
                    "Accès au logement pour les familles reconnues réfugiées",
                    "Cours de français : places libres et listes d'attente",
                    "Divers",
                ],
                minutes=(
                    "Tour de table : le CPAS signale une hausse des demandes de garantie locative ; "
                    "les Housing-cafés ont accompagné plusieurs familles vers des agences immobilières sociales.\n\n"
                    "Logement : les délais restent longs pour les grandes familles. Le réseau convient de "
                    "partager une liste à jour des agences immobilières sociales qui acceptent les ménages "
                    "en attente d'un revenu d'intégration.\n\n"
                    "Cours de français : les listes d'attente dépassent trois mois chez deux opérateurs. "
                    "Les offres de l'annuaire seront mises à jour (places libres, listes d'attente)."
                ),
                decisions=[
                    "Adopter l'objectif logement du pacte local : un logement en trois mois pour les familles.",
                    "Tenir à jour, dans l'annuaire, l'état des listes d'attente des cours de français.",
                ],
                attendance={
                    org(VIA): "present",
                    org(CPAS): "present",
                    org(SESO): "present",
                    org(EXIL): "excused",
                    org(DUO): "absent",
                    org(CITIZENS): "present",
                    org(CARITAS): "present",
                },
            ),
        )
        create_action(
            actor=actor,
            data=ActionInput(
                what="Dresser la liste des agences immobilières sociales qui acceptent les ménages "
                "en attente d'un revenu d'intégration",
                owner=org(CARITAS),
                due_on=today - timedelta(days=5),
                meeting=first.public_id,
                objective=objectives["housing"],
            ),
        )
        create_action(
            actor=actor,
            data=ActionInput(
                what="Mettre à jour les offres de cours de français dans l'annuaire",
                owner=org(SESO),
                due_on=today - timedelta(days=20),
                status="done",
                meeting=first.public_id,
                objective=objectives["language"],
            ),
        )
        created += 1

    second_title = "Réunion de coordination — équivalence des diplômes et emploi"
    if not Meeting.objects.filter(title=second_title).exists():
        second = create_meeting(
            actor=actor,
            data=MeetingInput(
                title=second_title,
                starts_at=_at(today - timedelta(days=14), 10),
                ends_at=_at(today - timedelta(days=14), 12),
                video_url="https://visio.example.org/schaerbeek-coordination",
                agenda=[
                    "Équivalence des diplômes : où en sont les démarches ?",
                    "Parrainage professionnel",
                    "Premiers rendez-vous au CPAS",
                ],
                minutes=(
                    "DUO for a JOB présente son programme de parrainage. Les organisations constatent que "
                    "l'équivalence des diplômes est mal connue : une séance d'information commune est proposée.\n\n"
                    "Le CPAS et le BAPA conviennent de préciser ensemble le circuit d'orientation pour les "
                    "premiers rendez-vous, afin d'éviter les doubles démarches."
                ),
                decisions=[
                    "Organiser une séance d'information commune sur l'équivalence des diplômes.",
                    "Décrire le circuit d'orientation BAPA–CPAS pour les premiers rendez-vous.",
                ],
                attendance={
                    org(VIA): "present",
                    org(CPAS): "present",
                    org(SESO): "excused",
                    org(DUO): "present",
                    org(CARITAS): "absent",
                },
            ),
        )
        create_action(
            actor=actor,
            data=ActionInput(
                what="Organiser une séance d'information commune sur l'équivalence des diplômes",
                owner=org(DUO),
                due_on=today + timedelta(days=2),
                meeting=second.public_id,
                objective=objectives["employment_training"],
            ),
        )
        create_action(
            actor=actor,
            data=ActionInput(
                what="Décrire le circuit d'orientation BAPA–CPAS pour les premiers rendez-vous",
                owner=org(CPAS),
                due_on=today + timedelta(days=21),
                meeting=second.public_id,
            ),
        )
        created += 1

    upcoming_title = "Réunion de coordination — bilan du pacte local"
    if not Meeting.objects.filter(title=upcoming_title).exists():
        create_meeting(
            actor=actor,
            data=MeetingInput(
                title=upcoming_title,
                starts_at=_at(today + timedelta(days=21), 14),
                ends_at=_at(today + timedelta(days=21), 16),
                place="Maison des associations, salle 2 (Schaerbeek)",
                video_url="https://visio.example.org/schaerbeek-coordination",
                agenda=[
                    "Suivi des actions de la dernière réunion",
                    "Pacte local : où en sont les trois objectifs ?",
                    "Calendrier du prochain trimestre",
                ],
            ),
        )
        created += 1
    return created
