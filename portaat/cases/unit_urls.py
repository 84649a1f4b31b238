from django.urls import URLPattern, URLResolver, path

from portaat.cases import unit_views

app_name = "units"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", unit_views.unit_list, name="list"),
    path("<slug:slug>/", unit_views.unit_dashboard, name="dashboard"),
    path("<slug:slug>/maturity/", unit_views.unit_maturity, name="maturity"),
    path("<slug:slug>/maturity/judgement/", unit_views.unit_judgement, name="judgement"),
    path("<slug:slug>/goals/new/", unit_views.goal_new, name="goal_new"),
    path("<slug:slug>/report/", unit_views.unit_report, name="report"),
]
