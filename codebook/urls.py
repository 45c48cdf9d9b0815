from django.urls import path

from codebook.views import exchange, exports, workbench

urlpatterns = [
    path("interviews/<int:pk>/", workbench.workbench, name="workbench"),
    path("export/", exports.export_page, name="export"),
    path("export/codings.csv", exports.export_codings, name="export-codings"),
    path("export/matrix.csv", exports.export_matrix, name="export-matrix"),
    path("export/project.qdpx", exchange.export_qdpx, name="export-qdpx"),
    path("export/backup.json", exchange.export_backup, name="export-backup"),
]
