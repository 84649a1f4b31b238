"""Translated content fields of practices (fi, sv, en)."""

from modeltranslation.translator import TranslationOptions, register

from portaat.repertoire.models import Practice


@register(Practice)
class PracticeTranslation(TranslationOptions):
    fields = ("title", "description", "resources", "risks", "legal_notes", "examples")
