from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from interviews.views import studies

urlpatterns = [
    path("", studies.study_list, name="study-list"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("import/", include("codebook.import_urls")),
    path("s/<slug:slug>/", studies.study_detail, name="study-detail"),
    path("s/<slug:slug>/", include("interviews.urls")),
    path("s/<slug:slug>/", include("codebook.urls")),
]
