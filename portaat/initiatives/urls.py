from django.urls import URLPattern, URLResolver, path

from portaat.initiatives import views

app_name = "initiatives"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.initiative_list, name="list"),
    path("new/", views.initiative_new, name="new"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/edit/", views.initiative_edit, name="edit"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("matches/<int:pk>/status/", views.match_status, name="match_status"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/new/", views.opportunity_new, name="opportunity_new"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
]
