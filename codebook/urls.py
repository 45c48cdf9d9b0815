from django.urls import path

from codebook.views import coding, workbench

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
]
