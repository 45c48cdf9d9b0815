from django.urls import path

from codebook.views import agreement, workbench

urlpatterns = [
    path("interviews/<int:pk>/", workbench.workbench, name="workbench"),
    path("agreement/", agreement.agreement, name="agreement"),
    path("agreement/table.csv", agreement.agreement_table_csv, name="agreement-table-csv"),
    path("agreement/units.csv", agreement.agreement_units_csv, name="agreement-units-csv"),
    path("agreement/disagreements/", agreement.disagreements, name="agreement-disagreements"),
    path(
        "agreement/disagreements/<int:pk>/",
        agreement.disagreement,
        name="agreement-disagreement",
    ),
]
