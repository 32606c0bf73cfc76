"""The need-domain taxonomy every coordination starts with.

From the domain brief §3.1 (bilan social, volet 2, Convivial's poles, CPAS barrier lists)
and the domains of the 2016 organisations listing. Coordinators add local terms.
"""

from django.db import migrations

DOMAINS = [
    ("housing", "Logement", "Huisvesting", "Housing"),
    ("residence_status", "Séjour et droit des étrangers", "Verblijf en vreemdelingenrecht", "Residence status"),
    ("family_reunification", "Regroupement familial", "Gezinshereniging", "Family reunification"),
    ("legal_aid", "Aide juridique", "Juridische hulp", "Legal aid"),
    ("asylum_procedure", "Procédure d'asile", "Asielprocedure", "Asylum procedure"),
    ("social_rights", "Droits sociaux et revenus", "Sociale rechten en inkomen", "Social rights and income"),
    ("integration_programme", "Parcours d'intégration et citoyenneté", "Inburgering en burgerschap",
     "Integration programme and citizenship"),
    ("language", "Apprentissage du français ou du néerlandais", "Frans of Nederlands leren",
     "Learning French or Dutch"),
    ("translation", "Traduction et interprétariat", "Vertaling en tolken", "Translation and interpreting"),
    ("administrative", "Démarches administratives et numériques", "Administratieve en digitale stappen",
     "Administrative and digital help"),
    ("employment_training", "Emploi, formation et équivalence de diplômes", "Werk, opleiding en diplomagelijkschakeling",
     "Employment, training and diploma recognition"),
    ("health", "Santé", "Gezondheid", "Health"),
    ("mental_health", "Santé mentale", "Geestelijke gezondheid", "Mental health"),
    ("childcare_schooling", "Enfance, accueil et scolarité", "Kinderopvang en school", "Childcare and schooling"),
    ("material_aid", "Aide matérielle et alimentaire", "Materiële hulp en voedselhulp", "Material and food aid"),
    ("social_link", "Lien social et lutte contre l'isolement", "Sociaal netwerk en isolement",
     "Social network and isolation"),
    ("mentoring", "Parrainage et bénévolat", "Buddywerking en vrijwilligerswerk", "Mentoring and volunteering"),
    ("domestic_violence", "Violences intrafamiliales", "Intrafamiliaal geweld", "Domestic violence"),
    ("budget_debt", "Budget et dettes", "Budget en schulden", "Budget and debt"),
    ("other", "Autre", "Andere", "Other"),
]


def seed(apps, schema_editor):
    NeedDomain = apps.get_model("directory", "NeedDomain")
    for position, (code, fr, nl, en) in enumerate(DOMAINS, start=1):
        NeedDomain.objects.get_or_create(
            code=code, defaults={"label_fr": fr, "label_nl": nl, "label_en": en, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_places_offers_and_taxonomy")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
