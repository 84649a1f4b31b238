from django.urls import path

from portaat.ladders import views

app_name = "ladders"

urlpatterns = [
    path("", views.ladder_list, name="list"),
    path("<slug:slug>/", views.ladder_detail, name="detail"),
    path("<slug:slug>/stairs.svg", views.ladder_stairs_svg, name="stairs_svg"),
    path("<slug:slug>/copy/", views.ladder_copy, name="copy"),
    path("<slug:slug>/edit/", views.ladder_edit, name="edit"),
]
