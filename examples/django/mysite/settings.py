"""Settings of the example Django project serving a Novu bridge at /api/novu.

The bridge reads NOVU_SECRET_KEY, NOVU_STRICT_AUTHENTICATION_ENABLED and NOVU_API_URL from these settings,
then from the environment. Here they come from the environment: with NOVU_SECRET_KEY set, requests must be
signed by Novu; for local work without a key, NOVU_STRICT_AUTHENTICATION_ENABLED=false.
"""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["notifications"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
ASGI_APPLICATION = "mysite.asgi.application"
USE_TZ = True

# Read by novu_framework.django.novu_urls (each falls back to the environment when unset here).
NOVU_SECRET_KEY = os.environ.get("NOVU_SECRET_KEY")
