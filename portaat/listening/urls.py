from django.urls import URLPattern, URLResolver, path

from portaat.listening import views

app_name = "listening"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.post_list, name="posts"),
    path("export.<str:fmt>", views.post_export, name="export"),
    path("sources/", views.source_list, name="sources"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/collect/", views.source_collect, name="source_collect"),
    path("sources/<int:pk>/pause/", views.source_pause, name="source_pause"),
    path("import/", views.import_posts, name="import"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/<int:pk>/", views.suggestion_review, name="suggestion_review"),
]
