from django.urls import path

from recommendations import (
    access_views,
    import_views,
    outcome_views,
    ratings_views,
    repeat_views,
    review_views,
    sign_off_views,
    theme_views,
    views,
)

app_name = "recommendations"

urlpatterns = [
    path("my-actions/", views.my_actions, name="my_actions"),
    path("ratings/", views.rating_definitions, name="rating_definitions"),
    path("ratings/<str:rating>/", views.rating_definition_edit, name="rating_definition_edit"),
    path("<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
    path("<int:pk>/rating/", views.rating_change, name="rating_change"),
    path("<int:pk>/target-date/", views.target_date_change, name="target_date_change"),
    path("<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/assure/", sign_off_views.action_assure, name="action_assure"),
    path("<int:pk>/sign-off/", sign_off_views.sign_off, name="sign_off"),
    path("<int:pk>/partner-sign-off/", sign_off_views.partner_sign_off, name="partner_sign_off"),
    path("import/", import_views.import_plan, name="import_plan"),
    path("reviews/", review_views.review_list, name="review_list"),
    path("reviews/new/", review_views.review_create, name="review_create"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", review_views.review_edit, name="review_edit"),
    path(
        "reviews/<int:pk>/recommendations/new/",
        review_views.recommendation_add,
        name="recommendation_add",
    ),
    path("<int:pk>/response/", review_views.response_change, name="response_change"),
    path("<int:pk>/repeats/", repeat_views.repeat_check, name="repeat_check"),
    path("<int:pk>/outcome/", outcome_views.outcome_change, name="outcome_change"),
    path("<int:pk>/impact/", outcome_views.impact_judge, name="impact_judge"),
    path("themes/", theme_views.theme_list, name="theme_list"),
    path("themes/new/", theme_views.theme_create, name="theme_create"),
    path("themes/<int:pk>/", theme_views.theme_edit, name="theme_edit"),
    path("<int:pk>/themes/", theme_views.recommendation_themes, name="recommendation_themes"),
    path("reviews/<int:pk>/ratings/", ratings_views.review_ratings, name="review_ratings"),
    path("reviews/access/", access_views.reviews, name="reviews_access"),
    path("reviews/<int:pk>/access/", access_views.review_access, name="review_access"),
    path(
        "reviews/<int:pk>/restriction/",
        access_views.review_restriction,
        name="review_restriction",
    ),
    path("<int:pk>/leads/", access_views.leads, name="leads"),
    path("access/<str:kind>/<int:pk>/revoke/", access_views.revoke, name="revoke_access"),
]
