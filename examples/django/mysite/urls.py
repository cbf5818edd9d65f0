"""The project's URLs: the Novu bridge at /api/novu, next to the project's own views."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from notifications.workflows import WORKFLOWS

from novu_framework.django import novu_urls


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("health", health),
    path("api/novu", include(novu_urls(workflows=WORKFLOWS))),
]
