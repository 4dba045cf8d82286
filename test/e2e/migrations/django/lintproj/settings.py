"""Django settings of the lint e2e test: sqlmigrate only (it reads the migration table)."""
import os

SECRET_KEY = "lint-e2e"
INSTALLED_APPS = ["shop"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PGDATABASE", "postgres"),
        "USER": "postgres",
        "HOST": os.environ["PGHOST"],
        "PORT": os.environ["PGPORT"],
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
