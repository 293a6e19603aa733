from django.urls import path

from werkregie.secondments import views

app_name = "secondments"
urlpatterns = [
    path("detacheringen/", views.contract_list, name="contracts"),
    path("detacheringen/nieuw/", views.contract_create, name="contract_create"),
    path("detacheringen/<int:pk>/", views.contract_detail, name="contract"),
    path("detacheringen/<int:pk>/<slug:step>/", views.contract_step, name="contract_step"),
    path("facturen/", views.invoice_list, name="invoices"),
    path("facturen/<int:pk>/", views.invoice_detail, name="invoice"),
    path("facturen/<int:pk>/<slug:step>/", views.invoice_step, name="invoice_step"),
    path("facturen/maand/<slug:step>/", views.invoice_run, name="invoice_run"),
    path("opbrengst/", views.revenue, name="revenue"),
]
