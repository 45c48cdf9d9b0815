from django.urls import path

from codebook.views import (
    compare,
    exchange,
    exports,
    report,
    retrieval,
    search,
    words,
    workbench,
)

urlpatterns = [
    path("interviews/<int:pk>/", workbench.workbench, name="workbench"),
    path("export/", exports.export_page, name="export"),
    path("export/codings.csv", exports.export_codings, name="export-codings"),
    path("export/matrix.csv", exports.export_matrix, name="export-matrix"),
    path("export/project.qdpx", exchange.export_qdpx, name="export-qdpx"),
    path("export/backup.json", exchange.export_backup, name="export-backup"),
    path("segments/", retrieval.retrieval, name="retrieval"),
    path("matrix/", compare.matrix, name="analysis-matrix"),
    path("co-occurrence/", compare.cooccurrence, name="analysis-cooccurrence"),
    path("search/", search.search, name="search"),
    path("search/code/", search.search_autocode, name="search-autocode"),
    path("words/", words.words, name="analysis-words"),
    path("report/", report.report, name="report"),
    path("report.md", report.report_markdown, name="report-markdown"),
]
