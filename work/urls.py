"""Pages of the work app (included by maillage.urls_tenant)."""

from django.urls import path

from work import views

urlpatterns = [
    path("work/", views.my_work_page, name="my_work"),
]
