"""Pages that make a new study from a file; they sit outside any study's address."""

from django.urls import path

from codebook.views import exchange

urlpatterns = [
    path("qdpx/", exchange.import_qdpx, name="import-qdpx"),
    path("backup/", exchange.import_backup, name="import-backup"),
]
