from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="recommendations:recommendation_list"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("recommendations/", include("recommendations.urls")),
    path("evidence/", include("evidence.urls")),
    path("restricted/", include("scr_tracker.intake.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Recommendation tracker administration"
admin.site.site_title = "Recommendation tracker"
