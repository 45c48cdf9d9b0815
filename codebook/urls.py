from django.urls import path

from codebook.views import workbench

urlpatterns = [
    path("interviews/<int:pk>/", workbench.workbench, name="workbench"),
]
