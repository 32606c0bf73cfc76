from django.urls import path

from transfers import views

urlpatterns = [
    path("persons/<uuid:public_id>/transfer/", views.start_transfer, name="transfer_start"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<uuid:public_id>/", views.transfer_detail, name="transfer_detail"),
    path("transfers/<uuid:public_id>/accept/", views.accept_transfer, name="transfer_accept"),
    path("transfers/<uuid:public_id>/decline/", views.decline_transfer, name="transfer_decline"),
]
