"""URLs of the gift shop: Django's i18n ones and oscar's own (django-oscar docs/source/internals/getting_started.rst,
"URLs"; oscar's header posts its language form to set_language)."""

from django.apps import apps
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
