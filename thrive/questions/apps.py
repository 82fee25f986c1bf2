from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "thrive.questions"
    label = "questions"
    verbose_name = "Application forms"
