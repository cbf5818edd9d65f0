"""WSGI entry point: `gunicorn mysite.wsgi` (the bridge's views are sync here)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
application = get_wsgi_application()
