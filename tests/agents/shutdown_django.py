"""The shutdown tests' agents served by a Django project, under gunicorn (``wsgi_app``) or uvicorn
(``asgi_app``) in a subprocess; the agents and settings are those of ``shutdown_app``."""

from __future__ import annotations

import sys
import types

import django
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import include, path

from novu_framework.agents import agent
from novu_framework.django import novu_urls

from .shutdown_app import async_sleeper, client, sleeper

urls = types.ModuleType("shutdown_urls")
sys.modules[urls.__name__] = urls
settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    SECRET_KEY="shutdown-django-secret",
    ROOT_URLCONF=urls.__name__,
    MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
    INSTALLED_APPS=[],
)
django.setup()
agents = [agent("sleeper", on_message=sleeper), agent("async-sleeper", on_message=async_sleeper)]
urls.urlpatterns = [path("api/novu", include(novu_urls(client=client(), agents=agents)))]  # type: ignore[attr-defined]

wsgi_app = get_wsgi_application()
asgi_app = get_asgi_application()
