from django.urls import URLPattern, URLResolver, path

from portaat.registry import views

app_name = "registry"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.activism_list, name="list"),
    path("new/", views.activism_new, name="new"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.activism_detail, name="activism"),
    path("<int:pk>/edit/", views.activism_edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
]
