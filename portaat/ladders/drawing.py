"""Glue between ladder rows, request parameters and the pure stairs renderer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portaat.ladders import stairs
from portaat.ladders.models import LEVELS, Ladder

MAX_LABEL = 40


class BadParameter(ValueError):
    """A stairs parameter that cannot be drawn; the message is translated for the user."""


@dataclass
class MarkerSpec:
    current: int | None = None
    target: int | None = None
    perspectives: list[tuple[str, int]] = field(default_factory=list)

    def markers(self) -> list[stairs.Marker]:
        out: list[stairs.Marker] = []
        if self.current is not None:
            out.append(stairs.Marker(self.current, _("Current"), "current"))
        if self.target is not None:
            out.append(stairs.Marker(self.target, _("Target"), "target"))
        for index, (label, level) in enumerate(self.perspectives):
            out.append(stairs.Marker(level, label, "perspective", index))
        return out


def _level(raw: str, name: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise BadParameter(
            _("%(name)s must be a whole number from 1 to %(max)d, not “%(value)s”.")
            % {"name": name, "max": LEVELS, "value": raw[:40]}
        ) from None
    if not 1 <= value <= LEVELS:
        raise BadParameter(
            _("%(name)s must be from 1 to %(max)d, not %(value)d.")
            % {"name": name, "max": LEVELS, "value": value}
        )
    return value


def parse_markers(params: Mapping[str, list[str]]) -> MarkerSpec:
    """Read ``current``, ``target`` and repeated ``p=label:level`` parameters.

    Raises ``BadParameter`` with a translated message for anything out of range or malformed.
    """
    spec = MarkerSpec()
    for name in ("current", "target"):
        values = [v for v in params.get(name, []) if v != ""]
        if len(values) > 1:
            raise BadParameter(_("Give %(name)s only once.") % {"name": name})
        if values:
            setattr(spec, name, _level(values[0], name))
    raw_perspectives = params.get("p", [])
    if len(raw_perspectives) > stairs.MAX_PERSPECTIVES:
        raise BadParameter(
            ngettext(
                "At most %(max)d perspective can be drawn.",
                "At most %(max)d perspectives can be drawn.",
                stairs.MAX_PERSPECTIVES,
            )
            % {"max": stairs.MAX_PERSPECTIVES}
        )
    for raw in raw_perspectives:
        label, sep, level = raw.rpartition(":")
        label = label.strip()
        if not sep or not label:
            raise BadParameter(
                _(
                    "A perspective is written as label:level, for example Officials:3; got “%(value)s”."
                )
                % {"value": raw[:60]}
            )
        if len(label) > MAX_LABEL:
            raise BadParameter(
                _("A perspective label may have at most %(max)d characters.") % {"max": MAX_LABEL}
            )
        spec.perspectives.append((label, _level(level, label)))
    return spec


def describe(ladder: Ladder, steps: list[tuple[int, str]], spec: MarkerSpec) -> str:
    """The text equivalent used as the SVG's ``<desc>``."""
    sentences = [
        _("%(name)s: eight levels of cooperation, from 1 (lowest) to 8 (highest).")
        % {"name": ladder.name}
    ]
    sentences += [f"{level}. {title}." for level, title in steps]
    for marker in spec.markers():
        sentences.append(
            _("%(label)s: level %(level)d.") % {"label": marker.label, "level": marker.level}
        )
    return " ".join(sentences)


def render_ladder(ladder: Ladder, spec: MarkerSpec | None = None, *, id_prefix: str = "") -> str:
    """The stairs SVG of ``ladder`` in the active language."""
    spec = spec or MarkerSpec()
    steps = [(step.level, step.title) for step in ladder.steps.all()]
    labels = stairs.Labels(
        title=ladder.name,
        level=_("level {level}"),
        legend=_("Legend"),
    )
    return stairs.render(
        steps,
        labels,
        spec.markers(),
        id_prefix=id_prefix or f"stairs-{ladder.slug}",
        description=describe(ladder, steps, spec),
    )
