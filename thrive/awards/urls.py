from django.urls import path

from thrive.awards import views

app_name = "awards"

urlpatterns = [
    path("", views.register, name="register"),
    path("export/", views.export, name="export"),
    path("yours/", views.yours, name="yours"),
    path("yours/<str:reference>/", views.yours_detail, name="yours_detail"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/terms/", views.edit, name="edit"),
    path("<str:reference>/targets/", views.targets, name="targets"),
    path("<str:reference>/schedule/", views.schedule, name="schedule"),
    path("<str:reference>/social-value/", views.social_value, name="social_value"),
    path("<str:reference>/offer/", views.offer, name="offer"),
    path("<str:reference>/letter/", views.letter, name="letter"),
    path("<str:reference>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("<str:reference>/instalments/<int:number>/pay/", views.pay, name="pay"),
    path("<str:reference>/variations/new/", views.vary, name="vary"),
    path("<str:reference>/variations/<int:variation_id>/", views.decide, name="decide"),
]
