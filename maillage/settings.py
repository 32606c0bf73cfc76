"""One settings module, read from the environment.

Local defaults are safe for a developer's machine. With MAILLAGE_ENV=production every
secret and host must come from the environment, and start-up fails when one is missing.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

MAILLAGE_ENV = env.str("MAILLAGE_ENV", default="development")
if MAILLAGE_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"MAILLAGE_ENV must be development, test or production, not {MAILLAGE_ENV!r}.")
PRODUCTION = MAILLAGE_ENV == "production"

_REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "MAILLAGE_FIELD_KEYS",
)
if PRODUCTION:
    _missing = [name for name in _REQUIRED_IN_PRODUCTION if not env.str(name, default="")]
    if _missing:
        raise ImproperlyConfigured("Production settings need these environment variables: " + ", ".join(_missing))

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on in production.")

SECRET_KEY = env.str("SECRET_KEY", default="insecure-local-development-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", ".localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

_pg_port = env.int("MAILLAGE_PG_PORT", default=54329)
_redis_port = env.int("MAILLAGE_REDIS_PORT", default=56379)

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"postgres://maillage@127.0.0.1:{_pg_port}/maillage",
        engine="django_tenants.postgresql_backend",
    )
}
# Kept connections: a new one costs a request about 14 ms of PostgreSQL's CPU (a process and
# its catalogue caches). django-tenants sets the search path at every request and every schema_context, so a kept
# connection never carries one request's coordination into the next.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# No JIT compilation: the consent wall's nested EXISTS make PostgreSQL estimate a page's
# queries above jit_above_cost, and it then spent 200 ms compiling a query that runs in
# 0.2 ms (bench/hot_pages.py, My work). DATABASE_JIT=1 turns it back on.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_jit = "on" if env.bool("DATABASE_JIT", default=False) else "off"
_options["options"] = f"{_options.get('options', '')} -c jit={_jit}".strip()
# A kept connection (CONN_MAX_AGE > 0) is checked at a request's first query, so one the
# server ended while idle (a restart) is replaced rather than failing the request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The local runner names one test database per run, so two runs never drop each other's.
DATABASES["default"]["TEST"] = {"NAME": env.str("MAILLAGE_TEST_DATABASE", default="test_maillage")}
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

# TOTP is required for every role that can read personal data. A local demo may relax
# it; production refuses to.
MAILLAGE_REQUIRE_2FA = not env.bool("MAILLAGE_DEMO_RELAX_2FA", default=False)
if PRODUCTION and not MAILLAGE_REQUIRE_2FA:
    raise ImproperlyConfigured("MAILLAGE_DEMO_RELAX_2FA cannot be set in production.")

# --- Tenancy -------------------------------------------------------------------------
# Shared apps live in the public schema; tenant apps get their tables in every
# coordination's schema. contenttypes and auth stay public only, so content-type and
# permission ids are the same everywhere and guardian's per-schema tables point at them.
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "audit",
    "regions",
    # Transfers between coordinations: the record both sides read lives in the public schema.
    "transfers",
    "demo",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # The admin site asks for the second factor when the platform requires one.
    "maillage.apps.OTPAdminConfig" if MAILLAGE_REQUIRE_2FA else "django.contrib.admin",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Also in the public schema: the account's own API (/api/v1/me/...) takes keys too.
    "idempotency",
]
TENANT_APPS = [
    "audit",
    "members",
    "directory",
    "persons",
    "referrals",
    "consent",
    "plans",
    "charter",
    "meetings",
    "network",
    "work",
    "notifications",
    "idempotency",
    "guardian",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Coordination"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# Path routing (/c/<slug>/) by default; host routing (<slug>.<base domain>) optional.
MAILLAGE_ROUTING = env.str("MAILLAGE_ROUTING", default="path")
if MAILLAGE_ROUTING not in {"path", "host"}:
    raise ImproperlyConfigured("MAILLAGE_ROUTING must be 'path' or 'host'.")
MAILLAGE_BASE_DOMAIN = env.str("MAILLAGE_BASE_DOMAIN", default="localhost")
if MAILLAGE_ROUTING == "path":
    # django-tenants switches to subfolder mode whenever this setting exists.
    TENANT_SUBFOLDER_PREFIX = "c"
TENANT_MIGRATION_EXECUTOR = "standard"  # in-process, so provisioning stays one transaction
# Set the search path once per connection change rather than before every query.
TENANT_LIMIT_SET_CALLS = True
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("MAILLAGE_MIGRATION_PROCESSES", default=2)
# `migrate_schemas --executor=replay`: how long a coordination's replay waits for its locks
# before it gives way to the requests and is tried again.
MAILLAGE_MIGRATION_LOCK_TIMEOUT = env.str("MAILLAGE_MIGRATION_LOCK_TIMEOUT", default="3s")

ROOT_URLCONF = "maillage.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "maillage.urls_public"

AUTH_USER_MODEL = "tenants.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The security headers wrap the coordination routing, so that its 404 for an unknown
    # coordination carries them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "maillage.middleware.RequestIdMiddleware",
    # Before the coordination routing, which reads the database: /healthz must not.
    "maillage.health.HealthMiddleware",
    "maillage.middleware.CoordinationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "maillage.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "maillage.headers.NoStoreMiddleware",
    "members.middleware.ActorMiddleware",
    "maillage.middleware.DomainErrorMiddleware",
    "maillage.middleware.DatabaseRetryMiddleware",
    # Last, so that it sees the response of every view (django-axes' own rule).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.context_processors.shell",
                "tenants.context_processors.coordinations",
                "notifications.context_processors.unread_notifications",
                "referrals.context_processors.open_inbox",
                "work.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "maillage.wsgi.application"

# Builds request.actor for the API base view (maillage.api); the web pages' middleware
# (members.middleware.ActorMiddleware) calls the same function.
MAILLAGE_ACTOR_BUILDER = "members.actor.build_actor"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule on the password: Django tells validators of every password change (reset,
    # admin, changepassword, set_password then save) and this one revokes the API tokens.
    {"NAME": "tenants.passwords.RevokeApiTokensOnChange"},
]
if MAILLAGE_ENV == "test":
    # Hashing at full strength would dominate the suite's run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Account pages live on the main site; in host routing that is another host than a
# coordination's, so links to them are absolute there.
MAILLAGE_PUBLIC_ROOT = ""  # set below once MAILLAGE_SITE_URL is known
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/"  # an account with no coordination; members land on their work page
# A member's landing page inside the coordination it used last (work.urls), after sign-in.
MAILLAGE_MEMBER_LANDING = "work/"
LOGOUT_REDIRECT_URL = "/"

# --- Languages -----------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
# The site's interface, then the papers handed to a person in eleven languages (see
# maillage/printed/__init__.py); the second sits apart so that makemessages never files the
# interface's strings there.
LOCALE_PATHS = [BASE_DIR / "maillage" / "locale", BASE_DIR / "maillage" / "printed" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "maillage" / "static"]
# Uploaded files (signed consent forms): never served by URL, only through views that
# check the consent policy. One folder per coordination inside.
MEDIA_ROOT = env.path("MAILLAGE_MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STATIC_ROOT = env.path("MAILLAGE_STATIC_ROOT", default=BASE_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sessions and sign-in security ---------------------------------------------------
SESSION_COOKIE_AGE = env.int("MAILLAGE_SESSION_IDLE_SECONDS", default=30 * 60)
# The age counts from the last request (idle expiry), refreshed at most once a minute by
# maillage.middleware.SessionRefreshMiddleware rather than by a write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Host routing with one sign-on: set both to ".<base domain>".
SESSION_COOKIE_DOMAIN = env.str("SESSION_COOKIE_DOMAIN", default="") or None
CSRF_COOKIE_DOMAIN = env.str("CSRF_COOKIE_DOMAIN", default="") or None
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
# The reverse proxies (addresses or networks) whose X-Real-IP / X-Forwarded-For name the
# client (maillage.actor.client_ip); from anyone else those headers are ignored.
MAILLAGE_TRUSTED_PROXIES = env.list("MAILLAGE_TRUSTED_PROXIES", default=[])
try:
    [ipaddress.ip_network(proxy, strict=False) for proxy in MAILLAGE_TRUSTED_PROXIES]
except ValueError as error:
    raise ImproperlyConfigured(f"MAILLAGE_TRUSTED_PROXIES: {error}") from None
# A load balancer probes the application over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

AXES_FAILURE_LIMIT = env.int("MAILLAGE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "tenants.forms.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "tenants/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Maillage"

# --- E-mail --------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
if env.str("EMAIL_FILE_PATH", default=""):
    # django-environ drops the leading slash of filemail:///abs/path; take the folder apart.
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Maillage <no-reply@maillage.localhost>")
MAILLAGE_SITE_URL = env.str("MAILLAGE_SITE_URL", default="http://127.0.0.1:8000")
if MAILLAGE_ROUTING == "host":
    MAILLAGE_PUBLIC_ROOT = MAILLAGE_SITE_URL.rstrip("/")
    LOGIN_URL = f"{MAILLAGE_PUBLIC_ROOT}/accounts/login/"
MAILLAGE_INVITATION_DAYS = 7

# Fernet keys for encrypted fields (national register numbers), newest first.
MAILLAGE_FIELD_KEYS = env.list("MAILLAGE_FIELD_KEYS", default=[])
# Consents: default validity, and the longest allowed.
MAILLAGE_CONSENT_DEFAULT_MONTHS = env.int("MAILLAGE_CONSENT_DEFAULT_MONTHS", default=12)
MAILLAGE_CONSENT_MAX_YEARS = 5
# Retention: files closed this long are anonymised; consent proofs kept this long.
MAILLAGE_RETENTION_MONTHS = env.int("MAILLAGE_RETENTION_MONTHS", default=24)
MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS = env.int("MAILLAGE_CONSENT_PROOF_RETENTION_MONTHS", default=60)
# Uploads (signed consent forms, offer imports): the largest file taken, checked by
# maillage.uploads and the import views. A phone's photo or a scanned page is well under.
MAILLAGE_UPLOAD_MAX_BYTES = env.int("MAILLAGE_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# A body other than files (form fields, an API's JSON) is read into memory up to the same
# size, an HSDS import being the largest (413 on the API past it); a file above
# FILE_UPLOAD_MAX_MEMORY_SIZE (Django's default, 2.5 MiB) goes to a temporary file on disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAILLAGE_UPLOAD_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

# --- Hooks: where a lower app calls a higher one ----------------------------------------
# Apps depend downward only (the import contract in pyproject.toml). Where an action of a
# lower app has consequences a higher app owns, the lower app calls the dotted paths named
# here (maillage.hooks), and these lines are the only place the dependency is written.
#
# consent.services.withdraw_consent calls each with (actor=, withdrawn=, remainder=None),
# inside the withdrawal's transaction: the referrals that relied on the consent close. The
# daily job consent.services.apply_expiries calls them too, once per consent whose validity
# ended, with (actor=, withdrawn=, reason="expired"): an expiry has a withdrawal's effects.
# A transfer to another coordination waiting on the consent is cancelled (or, after a partial
# withdrawal, carries on with the version that remains when it still names the organisation).
MAILLAGE_CONSENT_WITHDRAWAL_HOOKS = [
    "referrals.services.close_referrals_on_withdrawal",
    "transfers.services.cancel_transfers_on_withdrawal",
]
# consent.policies.opening calls each with (organisation_id=) and excludes the consents
# matching the Q on Consent it returns: while a referral waits for its recipient's answer,
# the consent it relies on opens the recipient no more than the referral's preview.
MAILLAGE_CONSENT_HOLDS = ["referrals.selectors.consents_held_back"]
# persons.services.anonymise_closed_files calls each with (actor=, person=, placeholder=)
# for every file it anonymises, inside its transaction: referrals overwrites the notes,
# plans the support plan's texts.
MAILLAGE_PERSON_ANONYMISED_HOOKS = [
    "referrals.notes.services.anonymise_case_notes",
    "plans.services.anonymise_plan",
]
# persons.timeline.person_timeline: the entries of a person's timeline each app contributes,
# each called with (actor=, person=, now=) for a file the actor reached through
# persons.selectors.get_person_for, returning maillage.timeline.Entry items. Each reads
# through its own selectors (what the reader may see there, it sees here) and runs a fixed
# number of queries whatever the number of its records.
MAILLAGE_PERSON_TIMELINE = [
    "consent.timeline.entries",
    "referrals.timeline.entries",
    "referrals.notes.timeline.entries",
    "plans.timeline.entries",
]
# persons.access_report.access_report_for: the further sections of the access report (GDPR
# article 15), each called with (actor=, person=) by the file keeper, in the language the
# report is printed in, returning persons.access_report.ReportSection items: the support
# plan, as far as the keeper reads it.
MAILLAGE_ACCESS_REPORT_SECTIONS = ["plans.access_report.sections"]
# notifications.tasks.send_notification_email: for a notice whose kind starts with a key,
# the function named adds to the e-mail's context, called with (notification=, user=,
# coordination=) under the notice's row lock. What it may say (the person's first name
# only to a reader the consent covers) stays with the app that owns the notice.
MAILLAGE_NOTICE_EMAIL_CONTEXT = {"referral_": "referrals.notices.email_context"}
# notifications.selectors.notices_by_day: for the notices whose kind starts with a key, the
# function named says what the notices page may show of them, called with
# (notifications=[...], actor=) and returning {notice pk: {"first_name", "reference",
# "response_due"}}.
MAILLAGE_NOTICE_CONTEXT = {"referral_": "referrals.notices.notice_context"}
# members.audit_views and api.audit: how the audit trail names the persons of its events.
# Each is called with (person_public_ids=) and returns {public_id: reference}; a later
# function's reference wins. A reference never holds a name or the whole public id.
MAILLAGE_AUDIT_PERSON_REFERENCES = ["persons.selectors.audit_references"]
# The same pages: for events on an object of a type named here, the function named gives
# its reference, called with (public_ids=) and returning {public_id: reference}: a
# referral is named by its reference (SCH-2026-0042) rather than by its id.
MAILLAGE_AUDIT_OBJECT_REFERENCES = {"referral": "referrals.selectors.audit_references"}
# transfers.services.accept_transfer: what a file takes along to another coordination. Each is
# called in the origin's schema with (actor=, person=, consent=) and returns a
# maillage.handover.Part (None: the consent does not share it), whose `receive` writes it to
# the new file in the receiving schema, inside the acceptance's transaction. The identity
# part opens the file; the shared support plan adds its parts here.
MAILLAGE_TRANSFER_HANDOVER = [
    "persons.handover.identity",
    "persons.handover.situation",
    "persons.handover.programme_deadline",
    "plans.handover.plan",
]
# notifications.selectors.weekly_news: the sections of the weekly digest, in order, each
# called with (window=notifications.digest.DigestWindow) and returning fields of
# WeeklyNews (lists add up). Facts about the network only: never a person.
MAILLAGE_DIGEST_SECTIONS = [
    "directory.digest.new_members",
    "charter.digest.approved_members",
    "directory.digest.offers",
    "meetings.digest.next_meeting",
    "meetings.digest.actions_due",
]

# --- Celery --------------------------------------------------------------------------
# Shared by every process (the API's rate limits, the join form's limit): Redis, in a
# database of its own beside Celery's. Keys carry the database's name (maillage.throttling).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("MAILLAGE_CACHE_URL", default=f"redis://127.0.0.1:{_redis_port}/2"),
        "KEY_FUNCTION": "maillage.throttling.cache_key",
        "KEY_PREFIX": "maillage",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=f"redis://127.0.0.1:{_redis_port}/0")
# Only the regions' on-demand computation reports progress, so only it keeps a result
# (regions.tasks.compute_indicators sets ignore_result=False), in its own database of the
# Redis server. Every other task is fire and forget: queueing one never touches a result
# store, so a result store that is down cannot fail the request that queued it.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=f"redis://127.0.0.1:{_redis_port}/1")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=MAILLAGE_ENV == "test")
CELERY_TASK_EAGER_PROPAGATES = True
# Acknowledged once done, and put back when the process running it dies (a pool child
# killed, the machine out of memory): every e-mail task is safe to run twice, its row lock
# and sent date make the second run send nothing.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message reserved at a time per process: a worker killed loses hold of one, not four.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message taken by a worker that died comes back after this. It must outlast the
    # longest task and the longest retry delay (a retry waits, unacknowledged, in the
    # worker): e-mail tasks take a second and wait at most MAILLAGE_EMAIL_RETRY_MAX_DELAY;
    # the nightly indicators take a few minutes. Ten minutes, not Celery's hour; the
    # sweepers below catch anything still missing sooner.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    # A broker that is down or stuck costs a request seconds, not ~20 s: the request's data
    # is saved and the sweeper queues its e-mails later. Above the worker's 1 s BRPOP poll.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_TIMEZONE = TIME_ZONE
# Each worker writes a timestamp under this key in the broker's Redis every 15 s
# (maillage.health); /readyz wants one younger than MAX_AGE seconds.
MAILLAGE_WORKER_HEARTBEAT_KEY = env.str("MAILLAGE_WORKER_HEARTBEAT_KEY", default="maillage:worker-heartbeat")
MAILLAGE_WORKER_HEARTBEAT_MAX_AGE = env.int("MAILLAGE_WORKER_HEARTBEAT_MAX_AGE", default=60)
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)

# --- E-mail delivery (maillage.delivery) ---------------------------------------------------
# A task whose database or mail server fails retries this many times, waiting 2, 4, 8, …
# seconds, never more than the maximum (under the visibility timeout above).
MAILLAGE_EMAIL_MAX_RETRIES = env.int("MAILLAGE_EMAIL_MAX_RETRIES", default=6)
MAILLAGE_EMAIL_RETRY_MAX_DELAY = env.int("MAILLAGE_EMAIL_RETRY_MAX_DELAY", default=120)
# The sweepers (Celery beat) run this often and queue again every e-mail not sent this
# many seconds after it was due (lost with a worker, a broker crash, a failed publish);
# one that failed after all its retries is tried again an hour after failing; after three
# days the in-app notice alone remains.
MAILLAGE_EMAIL_SWEEP_EVERY = env.int("MAILLAGE_EMAIL_SWEEP_EVERY", default=300)
MAILLAGE_EMAIL_SWEEP_AFTER = env.int("MAILLAGE_EMAIL_SWEEP_AFTER", default=300)
MAILLAGE_EMAIL_FAILED_RETRY_AFTER = env.int("MAILLAGE_EMAIL_FAILED_RETRY_AFTER", default=3600)
MAILLAGE_EMAIL_GIVE_UP_AFTER_DAYS = env.int("MAILLAGE_EMAIL_GIVE_UP_AFTER_DAYS", default=3)

# --- API -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call then gets 401 with WWW-Authenticate.
        "tenants.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tenants.authentication.TokenScopePermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "maillage.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "maillage.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "maillage.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["maillage.encoders.JSONRenderer"],
    # JSON bodies only (a parser that caps nesting); the operations that take a file name
    # their own multipart parser.
    "DEFAULT_PARSER_CLASSES": ["maillage.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Per token (per account for a session), counted in the shared cache; README "Rate limits".
    "DEFAULT_THROTTLE_CLASSES": ["maillage.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "read": env.str("MAILLAGE_API_RATE_READ", default="600/min"),
        "write": env.str("MAILLAGE_API_RATE_WRITE", default="120/min"),
    },
}
# API tokens: django-rest-knox's hashed tokens, in our own model (scope, label, second factor).
KNOX_TOKEN_MODEL = "tenants.ApiToken"
REST_KNOX = {"AUTH_HEADER_PREFIX": "Token"}
# The longest life a token may be given at issue (days); the holder may choose less.
MAILLAGE_API_TOKEN_MAX_DAYS = env.int("MAILLAGE_API_TOKEN_MAX_DAYS", default=90)
# How often a token's "last used" is written at most: not on every request.
MAILLAGE_API_TOKEN_LAST_USED_MINUTES = 5


def _api_guide() -> str:
    """The README's guide for integrators, between its marks: one text for the README, the
    schemas and the documentation page."""
    text = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    start, end = text.find("<!-- api-guide"), text.find("<!-- /api-guide -->")
    if start < 0 or end < start:
        return "API of one local coordination, under /c/<slug>/api/v1/."
    return text[text.index("-->", start) + 3 : end].strip()


SPECTACULAR_SETTINGS = {
    "TITLE": "Maillage API",
    "DESCRIPTION": _api_guide(),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1: a nullable field is nullable as JSON Schema says it (`type: [string, "null"]`, a
    # reference `oneOf` with null), which validators and client generators read; 3.0's
    # `nullable` beside `allOf` is refused by several of them.
    "OAS_VERSION": "3.1.0",
    # One content type per request body, the one the operation reads.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    # Stable names for the coded fields, whichever serializer shows them first.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "directory.models.OrganisationKind",
        "ResidenceStatusEnum": "directory.models.ResidenceStatus",
        "CapacityStatusEnum": "directory.models.CapacityStatus",
        "CostEnum": "directory.models.Cost",
        "AccessEnum": "directory.models.Access",
        "AttendanceStatusEnum": "meetings.models.AttendanceStatus",
        "ActionStatusEnum": "meetings.models.ActionStatus",
        "ObjectiveStatusEnum": "meetings.models.ObjectiveStatus",
        "LanguageLevelEnum": "persons.models.LanguageLevel",
        "LiteracyEnum": "persons.models.Literacy",
        "RelationEnum": "persons.models.Relation",
        "ReferralStatusEnum": "referrals.models.ReferralStatus",
        "UrgencyEnum": "referrals.models.Urgency",
        "DeclineReasonEnum": "referrals.models.DeclineReason",
        "OutcomeEnum": "referrals.models.Outcome",
        "NotCompletedReasonEnum": "referrals.models.NotCompletedReason",
        "NoteAudienceEnum": "referrals.models.NoteAudience",
        "MembershipRequestStatusEnum": "charter.models.RequestStatus",
        "DataCategoryEnum": "consent.models.DataCategory",
        "ConsentMethodEnum": "consent.models.ConsentMethod",
        "ConsentStateEnum": "api.consent.STATES",
        "RoleEnum": "members.roles.Role",
        "TokenScopeEnum": "tenants.models.TokenScope",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "maillage.openapi.document_errors",
        "maillage.openapi.drop_blank_defaults",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

MAILLAGE_ADMIN_PATH = env.str("MAILLAGE_ADMIN_PATH", default="admin/")
