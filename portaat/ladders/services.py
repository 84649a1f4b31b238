"""Write paths for ladders: loading the built-in data, copying and editing custom ladders."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portaat.ladders.models import LEVELS, Ladder, LadderKind, Stage, Step

BUILTIN_DATA = Path(__file__).resolve().parent / "data" / "builtin.json"

LANGS: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)

Texts = Mapping[str, str]


@dataclass
class LoadReport:
    """What ``load_builtin`` did, per kind of row."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], kind: str) -> None:
        bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed:
            return "built-in ladders and stages are up to date"
        parts = [f"created {n} {kind}" for kind, n in sorted(self.created.items())]
        parts += [f"updated {n} {kind}" for kind, n in sorted(self.updated.items())]
        return "built-in data: " + ", ".join(parts)


def _assign(obj: Any, name: str, texts: Texts) -> bool:
    """Set ``name_<lang>`` for every language; return whether anything changed."""
    changed = False
    for lang in LANGS:
        value = texts.get(lang, "")
        attr = f"{name}_{lang}"
        if getattr(obj, attr) != value:
            setattr(obj, attr, value)
            changed = True
    return changed


def _assign_all(obj: Any, values: Mapping[str, Texts]) -> bool:
    changed = False
    for name, texts in values.items():
        changed = _assign(obj, name, texts) or changed
    return changed


def _free_slug(base: str) -> str:
    slug = base[:70] or "ladder"
    candidate, n = slug, 2
    while Ladder.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def load_builtin(path: Path = BUILTIN_DATA) -> LoadReport:
    """Create or upgrade the built-in ladders and stages; idempotent.

    A second run with the same data changes no row. Texts of built-ins are always replaced
    by the shipped ones (they are read-only in the UI); custom ladders are never touched,
    except that one whose slug a new release claims is moved to a free slug.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    for position, item in enumerate(data["ladders"], start=1):
        ladder = Ladder.objects.filter(slug=item["slug"]).first()
        if ladder is not None and not ladder.is_builtin:
            ladder.slug = _free_slug(f"{item['slug']}-custom")
            ladder.save(update_fields=["slug"])
            ladder = None
        created = ladder is None
        if ladder is None:
            ladder = Ladder(slug=item["slug"], is_builtin=True)
        changed = _assign_all(
            ladder,
            {key: item[key] for key in ("name", "domain", "description", "source_note")},
        )
        if ladder.kind != item["kind"] or ladder.position != position:
            ladder.kind, ladder.position, changed = item["kind"], position, True
        if created or changed:
            ladder.save()
            report.count(report.created if created else report.updated, "ladders")
        existing = {step.level: step for step in ladder.steps.all()}
        for step_item in item["steps"]:
            step = existing.get(step_item["level"])
            step_created = step is None
            if step is None:
                step = Step(ladder=ladder, level=step_item["level"])
            step_changed = _assign_all(
                step, {"title": step_item["title"], "description": step_item["description"]}
            )
            if step_created or step_changed:
                step.save()
                report.count(report.created if step_created else report.updated, "steps")
    existing_stages = {stage.number: stage for stage in Stage.objects.all()}
    for stage_item in data["stages"]:
        stage = existing_stages.get(stage_item["number"])
        stage_created = stage is None
        if stage is None:
            stage = Stage(number=stage_item["number"])
        stage_changed = _assign_all(
            stage, {"title": stage_item["title"], "description": stage_item["description"]}
        )
        if stage_created or stage_changed:
            stage.save()
            report.count(report.created if stage_created else report.updated, "stages")
    return report


@dataclass(frozen=True)
class StepTexts:
    title: Texts
    description: Texts


def _clean_texts(texts: Texts, *, required: bool, label: str, max_length: int) -> dict[str, str]:
    cleaned = {lang: (texts.get(lang) or "").strip() for lang in LANGS}
    if required and not any(cleaned.values()):
        raise ValidationError(
            _("%(label)s needs a text in at least one language.") % {"label": label}
        )
    for lang, value in cleaned.items():
        if len(value) > max_length:
            raise ValidationError(
                _("%(label)s (%(lang)s) is longer than %(max)d characters.")
                % {"label": label, "lang": lang, "max": max_length}
            )
    return cleaned


def _validated_steps(steps: Sequence[StepTexts]) -> list[tuple[dict[str, str], dict[str, str]]]:
    if len(steps) != LEVELS:
        raise ValidationError(
            _("A ladder has exactly %(levels)d steps; %(count)d were given.")
            % {"levels": LEVELS, "count": len(steps)}
        )
    return [
        (
            _clean_texts(
                step.title,
                required=True,
                label=_("The title of step %(level)d") % {"level": level},
                max_length=200,
            ),
            _clean_texts(
                step.description,
                required=False,
                label=_("The description of step %(level)d") % {"level": level},
                max_length=2000,
            ),
        )
        for level, step in enumerate(steps, start=1)
    ]


@transaction.atomic
def save_custom_ladder(
    *,
    name: Texts,
    domain: Texts,
    description: Texts,
    steps: Sequence[StepTexts],
    ladder: Ladder | None = None,
    based_on: Ladder | None = None,
    kind: str = LadderKind.COOPERATION,
    user: Any = None,
) -> Ladder:
    """Create a custom ladder (``ladder`` is None) or replace a custom ladder's texts.

    Raises ``ValidationError`` with a translated message, changing nothing, when the ladder
    is built-in, the step count is not eight, or a required text is missing.
    """
    if ladder is not None and ladder.is_builtin:
        raise ValidationError(_("Built-in ladders cannot be changed. Make a copy instead."))
    clean_name = _clean_texts(name, required=True, label=_("The name"), max_length=200)
    clean_domain = _clean_texts(domain, required=True, label=_("The domain"), max_length=200)
    clean_description = _clean_texts(
        description, required=False, label=_("The description"), max_length=4000
    )
    clean_steps = _validated_steps(steps)
    if ladder is None:
        base = next((clean_name[lang] for lang in LANGS if clean_name[lang]), "")
        ladder = Ladder(
            slug=_free_slug(slugify(base)),
            kind=kind,
            based_on=based_on,
            created_by=user if user is not None and user.is_authenticated else None,
        )
    _assign_all(
        ladder, {"name": clean_name, "domain": clean_domain, "description": clean_description}
    )
    ladder.full_clean(exclude=["based_on", "created_by"])
    ladder.save()
    existing = {step.level: step for step in ladder.steps.all()}
    for level, (title, step_description) in enumerate(clean_steps, start=1):
        step = existing.get(level) or Step(ladder=ladder, level=level)
        _assign_all(step, {"title": title, "description": step_description})
        step.save()
    return ladder


def texts_of(obj: Any, name: str) -> dict[str, str]:
    """``{"fi": …, "sv": …, "en": …}`` for a translated field."""
    return {lang: getattr(obj, f"{name}_{lang}") or "" for lang in LANGS}


def copy_texts_of(ladder: Ladder) -> list[StepTexts]:
    return [
        StepTexts(title=texts_of(step, "title"), description=texts_of(step, "description"))
        for step in ladder.steps.all()
    ]
