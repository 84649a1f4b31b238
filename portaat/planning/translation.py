"""Translated content fields (django-modeltranslation): a theme's name in fi, sv and en."""

from modeltranslation.translator import TranslationOptions, register

from portaat.planning.models import Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("label",)
