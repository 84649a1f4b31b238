"""Translated content fields (django-modeltranslation): fi, sv, en columns for each."""

from modeltranslation.translator import TranslationOptions, register

from portaat.somehallinto.models import Guidance


@register(Guidance)
class GuidanceTranslation(TranslationOptions):
    fields = ("title", "body")
