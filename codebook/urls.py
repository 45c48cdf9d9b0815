from django.urls import path

from codebook.views import (
    codebook_exchange,
    codebook_history,
    codebook_page,
    codebook_print,
    codebook_reshape,
    coding,
    exchange,
    exports,
    workbench,
)

urlpatterns = [
    path("interviews/<int:pk>/", workbench.workbench, name="workbench"),
    path("interviews/<int:pk>/codings/add/", coding.coding_add, name="coding-add"),
    path("interviews/<int:pk>/codings/new-code/", coding.coding_new_code, name="coding-new-code"),
    path(
        "interviews/<int:pk>/codings/<int:coding_id>/",
        coding.coding_change,
        name="coding-change",
    ),
    path(
        "interviews/<int:pk>/codings/<int:coding_id>/delete/",
        coding.coding_delete,
        name="coding-delete",
    ),
    path("interviews/<int:pk>/undo/", coding.undo, name="coding-undo"),
    path("interviews/<int:pk>/redo/", coding.redo, name="coding-redo"),
    path("interviews/<int:pk>/codes/add/", coding.code_add, name="workbench-code-add"),
    path("codebook/", codebook_page.codebook, name="codebook"),
    path("codebook/add/", codebook_page.code_add, name="codebook-add"),
    path("codebook/open-coding/", codebook_page.open_coding, name="codebook-open-coding"),
    path("codebook/codes/<int:pk>/", codebook_page.code_detail, name="codebook-code"),
    path("codebook/codes/<int:pk>/move/", codebook_reshape.code_move, name="codebook-move"),
    path(
        "codebook/codes/<int:pk>/reorder/", codebook_reshape.code_reorder, name="codebook-reorder"
    ),
    path("codebook/codes/<int:pk>/merge/", codebook_reshape.code_merge, name="codebook-merge"),
    path("codebook/codes/<int:pk>/split/", codebook_reshape.code_split, name="codebook-split"),
    path("codebook/codes/<int:pk>/delete/", codebook_reshape.code_delete, name="codebook-delete"),
    path("codebook/history/", codebook_history.history, name="codebook-history"),
    path("codebook/versions/", codebook_history.versions, name="codebook-versions"),
    path("codebook/versions/compare/", codebook_history.compare, name="codebook-compare"),
    path("codebook/export.csv", codebook_exchange.export_csv, name="codebook-export-csv"),
    path("codebook/export.qdc", codebook_exchange.export_qdc, name="codebook-export-qdc"),
    path("codebook/import/", codebook_exchange.import_codebook, name="codebook-import"),
    path("codebook/print/", codebook_print.printable, name="codebook-print"),
    path("codebook/codebook.md", codebook_print.markdown, name="codebook-markdown"),
    path("export/", exports.export_page, name="export"),
    path("export/codings.csv", exports.export_codings, name="export-codings"),
    path("export/matrix.csv", exports.export_matrix, name="export-matrix"),
    path("export/project.qdpx", exchange.export_qdpx, name="export-qdpx"),
    path("export/backup.json", exchange.export_backup, name="export-backup"),
]
