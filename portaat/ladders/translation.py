"""Translated content fields (django-modeltranslation): fi, sv, en columns for each."""

from modeltranslation.translator import TranslationOptions, register

from portaat.ladders.models import Ladder, Stage, Step


@register(Ladder)
class LadderTranslation(TranslationOptions):
    fields = ("name", "domain", "description", "source_note")


@register(Step)
class StepTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Stage)
class StageTranslation(TranslationOptions):
    fields = ("title", "description")
