from django.urls import URLPattern, URLResolver, path

from portaat.repertoire import experiment_views as views

app_name = "experiments"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.experiment_list, name="list"),
    path("new/", views.experiment_new, name="new"),
    path("<int:pk>/", views.experiment_detail, name="detail"),
    path("<int:pk>/close/", views.experiment_close, name="close"),
    path("<int:pk>/abandon/", views.experiment_abandon, name="abandon"),
    path("plan/new/", views.plan_new, name="plan_new"),
    path("plan/<int:pk>/", views.plan_item, name="plan_item"),
]
