"""Translated content fields of the registry (fi, sv, en)."""

from modeltranslation.translator import TranslationOptions, register

from portaat.registry.models import ActivismKind, Unit


@register(Unit)
class UnitTranslation(TranslationOptions):
    fields = ("name",)


@register(ActivismKind)
class ActivismKindTranslation(TranslationOptions):
    fields = ("name",)
