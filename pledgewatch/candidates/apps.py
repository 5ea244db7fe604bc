from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "pledgewatch.candidates"
    verbose_name = "Candidates"
