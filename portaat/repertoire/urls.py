from django.urls import URLPattern, URLResolver, path

from portaat.repertoire import views

app_name = "repertoire"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.practice_list, name="list"),
    path("new/", views.practice_new, name="new"),
    path("<int:pk>/", views.practice_detail, name="detail"),
    path("<int:pk>/edit/", views.practice_edit, name="edit"),
]
