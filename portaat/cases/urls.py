from django.urls import URLPattern, URLResolver, path

from portaat.cases import views

app_name = "cases"

urlpatterns: list[URLPattern | URLResolver] = [
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/assess/", views.case_assess, name="assess"),
    path("<int:pk>/interactions/new/", views.interaction_new, name="interaction_new"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
]
