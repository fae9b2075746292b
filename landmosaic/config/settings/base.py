"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .storage import s3_storage

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("LANDMOSAIC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-local-development-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "landmosaic.core",
    "landmosaic.accounts",
    "landmosaic.landscapes",
    "landmosaic.datasets",
    "landmosaic.maps",
    "landmosaic.planning",
    "landmosaic.fieldwork",
    "landmosaic.scenarios",
    "landmosaic.api",
    "landmosaic.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "landmosaic.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "landmosaic.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "landmosaic.config.urls"
WSGI_APPLICATION = "landmosaic.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "landmosaic.web.context_processors.platform",
            ],
        },
    }
]

# Embedded default: SQLite in WAL mode; any DATABASE_URL (PostgreSQL) replaces it.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'landmosaic.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist on SQLite too (DB_CONN_MAX_AGE above): opening one re-reads the whole
    # schema, about 4 ms per request; bench/openrosa.py measured +17% submissions/s with them kept.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["landmosaic.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("pt", _("Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "landmosaic" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Private files are never served from a public URL; views check permissions and stream them.
MEDIA_URL = "/media-not-served/"

# Local folder by default; set STORAGE_BACKEND=s3 plus the AWS_* variables for S3-compatible storage.
if os.environ.get("STORAGE_BACKEND", "local") == "s3":
    _default_storage = s3_storage(
        bucket_name=os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_S3_REGION_NAME"),
    )
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Landmosaic <noreply@localhost>")
# Verification mails only make sense when mail really leaves the machine.
ACCOUNT_EMAIL_VERIFICATION = env_bool(
    "ACCOUNT_EMAIL_VERIFICATION", EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend"
)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "landmosaic_cache"}
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Limits, all overridable from the environment.
BOUNDARY_MAX_BYTES = int(os.environ.get("BOUNDARY_MAX_BYTES", str(50 * 1024 * 1024)))
BOUNDARY_MAX_VERTICES = int(os.environ.get("BOUNDARY_MAX_VERTICES", "500000"))
BOUNDARY_JOB_THRESHOLD_BYTES = int(os.environ.get("BOUNDARY_JOB_THRESHOLD_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PROFILE_IMAGE_MAX_BYTES = int(os.environ.get("PROFILE_IMAGE_MAX_BYTES", str(5 * 1024 * 1024)))
LOGIN_RATE_LIMIT = int(os.environ.get("LOGIN_RATE_LIMIT", "10"))  # failed attempts per window
LOGIN_RATE_WINDOW_SECONDS = int(os.environ.get("LOGIN_RATE_WINDOW_SECONDS", "900"))

# Map base layer: optional so that maps work offline; empty means no tiles.
MAP_BASEMAP_URL = os.environ.get("MAP_BASEMAP_URL", "")
MAP_BASEMAP_ATTRIBUTION = os.environ.get("MAP_BASEMAP_ATTRIBUTION", "")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Data commons: uploads stream to storage; these bound what one file may be and unpack to.
DATASET_MAX_UPLOAD_BYTES = int(os.environ.get("DATASET_MAX_UPLOAD_BYTES", str(500 * 1024 * 1024)))
# All the files of one upload together (the upload page takes several); unset: one file's limit.
DATASET_MAX_UPLOAD_TOTAL_BYTES = int(os.environ.get("DATASET_MAX_UPLOAD_TOTAL_BYTES", "0")) or None
DATASET_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("DATASET_MAX_UNCOMPRESSED_BYTES", str(2 * 1024**3)))
# Exports of more rows than this are produced by a job (signed-in callers) instead of on the spot.
DATASET_EXPORT_SYNC_MAX_ROWS = int(os.environ.get("DATASET_EXPORT_SYNC_MAX_ROWS", "200000"))
# Plan exports (JSON, Miradi) of plans with more actions than this are produced by a job and cached.
PLAN_EXPORT_SYNC_MAX_ACTIONS = int(os.environ.get("PLAN_EXPORT_SYNC_MAX_ACTIONS", "1000"))
# The map preview draws at most this many features, simplified when they have many vertices.
DATASET_MAP_MAX_FEATURES = int(os.environ.get("DATASET_MAP_MAX_FEATURES", "2000"))
# Point maps draw at most this many points for people who may download the data (others: the above).
POINT_MAP_MAX_POINTS = int(os.environ.get("POINT_MAP_MAX_POINTS", "20000"))
# Object storage: version files (immutable) read by OGC API Features, previews and maps are cached,
# least recently used evicted beyond the size; downloads redirect to signed addresses valid this long.
_READ_CACHE = str(VAR_DIR / "read-cache") if os.environ.get("STORAGE_BACKEND", "local") == "s3" else ""
DATASET_READ_CACHE_DIR = os.environ.get("DATASET_READ_CACHE_DIR", _READ_CACHE)
DATASET_READ_CACHE_MAX_BYTES = int(os.environ.get("DATASET_READ_CACHE_MAX_BYTES", str(5 * 1024**3)))
DATASET_PRESIGNED_DOWNLOAD_SECONDS = int(os.environ.get("DATASET_PRESIGNED_DOWNLOAD_SECONDS", "300"))

# Field data (OpenRosa). The submission limit is advertised to phones (X-OpenRosa-Accept-Content-Length),
# which split larger submissions over several requests; one file larger than it is refused with 413.
FIELDWORK_SUBMISSION_MAX_BYTES = int(os.environ.get("FIELDWORK_SUBMISSION_MAX_BYTES", str(50 * 1024 * 1024)))
FIELDWORK_XLSFORM_MAX_BYTES = int(os.environ.get("FIELDWORK_XLSFORM_MAX_BYTES", str(10 * 1024 * 1024)))
FIELDWORK_MEDIA_MAX_BYTES = int(os.environ.get("FIELDWORK_MEDIA_MAX_BYTES", str(20 * 1024 * 1024)))
# Rasters larger than this many cells are refused at upload; tables published from rows above this
# many rows are written by a job.
DATASET_RASTER_MAX_PIXELS = int(os.environ.get("DATASET_RASTER_MAX_PIXELS", "500000000"))
DATASET_PUBLISH_SYNC_MAX_ROWS = int(os.environ.get("DATASET_PUBLISH_SYNC_MAX_ROWS", "20000"))

# Scenarios: longest horizon and largest map a run may take.
SCENARIO_MAX_YEARS = int(os.environ.get("SCENARIO_MAX_YEARS", "100"))
SCENARIO_MAX_CELLS = int(os.environ.get("SCENARIO_MAX_CELLS", "30000000"))
