"""Translated content fields (django-modeltranslation): fi, sv, en columns for each."""

from modeltranslation.translator import TranslationOptions, register

from portaat.figures.models import Metric


@register(Metric)
class MetricTranslation(TranslationOptions):
    fields = ("name", "unit")
