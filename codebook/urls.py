from django.urls import path

from codebook.views import anchors, workbench

urlpatterns = [
    path("interviews/<int:pk>/", workbench.workbench, name="workbench"),
    path("review-anchors/", anchors.review, name="review-anchors"),
    path("review-anchors/<int:pk>/", anchors.settle, name="review-anchor"),
    path("review-anchors/<int:pk>/choose/", anchors.choose, name="review-anchor-choose"),
]
