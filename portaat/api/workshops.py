"""Read API of live stairs workshops, with the facilitator's pages' permissions.

The administration lists workshops (as ``/workshops/``); each reader sees only the workshops
they may facilitate (``access.visible_workshops``: their own, every one for site coordinators),
and any other workshop is reported as not existing (404), as its page does. Each workshop comes
with its cases on their ladders, what was agreed on each case, and the room's answers counted
per level and per participant role (``workshops.services.summarise``, as the projector shows).

Participants are never named: no names, numbers, comments' texts or cookies, only counts. The
join code is shown while the workshop is open, as on the facilitator's page. Workshops are run
on the pages (``/workshops/``), not through the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import Count, Manager, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import BaseRouter

from portaat import access
from portaat.api.fields import TranslatedField
from portaat.api.filters import ID_SCHEMA, IdFilter
from portaat.cases.models import Assessment
from portaat.ladders.models import Ladder, Step
from portaat.registry.models import Activism, Unit
from portaat.workshops import services
from portaat.workshops.models import ParticipantRole, Workshop, WorkshopCase, WorkshopState

# the context key under which one response's summaries (``services.ItemSummary``) are kept:
# computed once for all the workshops of a page, three queries in all
_SUMMARIES = "workshop_summaries"


class Facilitators(permissions.BasePermission):
    """The administration, as the workshops' list page; which workshops each sees is
    ``access.visible_workshops`` (and ``access.can_facilitate`` for one of them)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.is_administration(request.user)


# --- results -----------------------------------------------------------------------------------


class WorkshopRoleCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Answers per participant role (``ParticipantRole``)."""

    official = serializers.IntegerField(min_value=0)
    activist = serializers.IntegerField(min_value=0)
    resident = serializers.IntegerField(min_value=0)
    researcher = serializers.IntegerField(min_value=0)
    other = serializers.IntegerField(min_value=0)


class WorkshopCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    total = serializers.IntegerField(min_value=0, help_text="Answers that chose this level.")
    by_role = WorkshopRoleCountsSerializer(help_text="The same answers per participant role.")


def _counts(summary: services.ItemSummary, which: str, level: int) -> dict[str, Any]:
    by_role = getattr(summary, which).get(level, {})
    return {
        "total": summary.count(which, level),
        "by_role": {role: by_role.get(role, 0) for role in ParticipantRole.values},
    }


class WorkshopLevelSerializer(serializers.ModelSerializer[Step]):
    """One step of the case's ladder and how many participants placed the case on it, for now
    and as the target."""

    # the case's ``services.ItemSummary`` is in the context, as ``summary``

    title = TranslatedField()
    current = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ["level", "title", "current", "target"]

    @extend_schema_field(WorkshopCountsSerializer)
    def get_current(self, obj: Step) -> dict[str, Any]:
        """Answers that place the case on this level now."""
        return WorkshopCountsSerializer(_counts(self.context["summary"], "current", obj.level)).data

    @extend_schema_field(WorkshopCountsSerializer)
    def get_target(self, obj: Step) -> dict[str, Any]:
        """Answers that set this level as the target."""
        return WorkshopCountsSerializer(_counts(self.context["summary"], "target", obj.level)).data


class WorkshopResultsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    answered = serializers.IntegerField(
        min_value=0, help_text="Participants who answered on this case (one answer each)."
    )
    comments = serializers.IntegerField(
        min_value=0,
        help_text="Comments on this case, without those the facilitator hid from the summary. "
        "Their texts are on the workshop's pages, not in the API.",
    )
    median_current = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=8, help_text="The median level for now."
    )
    median_target = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=8, help_text="The median target level."
    )
    levels = WorkshopLevelSerializer(
        many=True, help_text="The ladder's eight steps, lowest first, with the answers' counts."
    )


# --- cases -------------------------------------------------------------------------------------


class WorkshopActivismSerializer(serializers.ModelSerializer[Activism]):
    class Meta:
        model = Activism
        fields = ["id", "name"]


class WorkshopUnitSerializer(serializers.ModelSerializer[Unit]):
    name = TranslatedField()

    class Meta:
        model = Unit
        fields = ["slug", "name"]


class WorkshopLadderSerializer(serializers.ModelSerializer[Ladder]):
    name = TranslatedField()

    class Meta:
        model = Ladder
        fields = ["slug", "name"]


class WorkshopOutcomeSerializer(serializers.ModelSerializer[Assessment]):
    """What the room agreed, recorded on the case as the workshop's assessment."""

    class Meta:
        model = Assessment
        fields = ["id", "current_level", "target_level", "rationale", "assessed_on"]


class WorkshopCaseSerializer(serializers.ModelSerializer[WorkshopCase]):
    activism = WorkshopActivismSerializer(source="case.activism", read_only=True)
    unit = WorkshopUnitSerializer(source="case.unit", read_only=True)
    ladder = WorkshopLadderSerializer(source="case.ladder", read_only=True)
    locked = serializers.BooleanField(
        source="is_locked", read_only=True, help_text="Answers to this case can no longer change."
    )
    outcome = WorkshopOutcomeSerializer(
        source="assessment",
        read_only=True,
        allow_null=True,
        help_text="The agreed levels (``/api/v1/assessments/{id}/``); null until recorded.",
    )
    results = serializers.SerializerMethodField()

    class Meta:
        model = WorkshopCase
        fields = [
            "id",
            "position",
            "case",
            "activism",
            "unit",
            "ladder",
            "locked",
            "locked_at",
            "outcome",
            "results",
        ]

    @extend_schema_field(WorkshopResultsSerializer)
    def get_results(self, obj: WorkshopCase) -> dict[str, Any]:
        """The room's answers on this case, counted."""
        summary = self.context.get(_SUMMARIES, {}).get(obj.pk)
        if summary is None:  # an item read outside the viewset's queryset
            summary = services.summarise([obj])[obj.pk]
        comments = getattr(obj, "visible_comments", None)  # annotated by ``_items()``
        if comments is None:
            comments = len(services.visible_comments(obj, include_hidden=False))
        data = {
            "answered": summary.answered,
            "comments": comments,
            "median_current": summary.median("current"),
            "median_target": summary.median("target"),
            "levels": obj.case.ladder.steps.all(),
        }
        return WorkshopResultsSerializer(data, context={"summary": summary}).data


# --- workshops ---------------------------------------------------------------------------------


def _summarise(context: dict[str, Any], workshops: Iterable[Workshop]) -> None:
    """The summaries of every case of ``workshops`` not yet in ``context``, in one go."""
    summaries = context.setdefault(_SUMMARIES, {})
    missing = [item for w in workshops for item in w.items.all() if item.pk not in summaries]
    if missing:
        summaries.update(services.summarise(missing))


class WorkshopListSerializer(serializers.ListSerializer):  # type: ignore[type-arg]
    def to_representation(self, data: Any) -> list[Any]:
        workshops = list(data.all() if isinstance(data, Manager | QuerySet) else data)
        _summarise(self.context, workshops)
        return super().to_representation(workshops)


class WorkshopSerializer(serializers.ModelSerializer[Workshop]):
    state = serializers.ChoiceField(
        choices=WorkshopState.choices,
        read_only=True,
        help_text="``open`` takes answers until ``expires_at``; ``closed`` was closed by its "
        "facilitator; ``expired`` ran past ``expires_at``.",
    )
    join_code = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    cases = WorkshopCaseSerializer(source="items", many=True, read_only=True)

    class Meta:
        model = Workshop
        list_serializer_class = WorkshopListSerializer
        fields = [
            "id",
            "title",
            "state",
            "join_code",
            "participants",
            "max_participants",
            "created_at",
            "expires_at",
            "closed_at",
            "anonymised_at",
            "cases",
        ]
        extra_kwargs = {
            "expires_at": {"help_text": "Open until."},
            "closed_at": {"help_text": "When the facilitator closed it; null if not closed."},
            "anonymised_at": {
                "help_text": "When the participants' names and comments were deleted (the "
                "retention period); the levels and the outcomes remain."
            },
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_join_code(self, obj: Workshop) -> str | None:
        """The code participants join with, while the workshop is open (as its page shows it);
        null once it is closed or expired."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if not obj.is_open or not access.can_facilitate(user, obj):
            return None
        return obj.display_code

    def get_participants(self, obj: Workshop) -> int:
        """Participants who joined."""
        count = getattr(obj, "participant_count", None)  # annotated by the viewset
        return obj.participants.count() if count is None else int(count)

    def to_representation(self, instance: Workshop) -> Any:
        _summarise(self.context, [instance])
        return super().to_representation(instance)


def _in_state(queryset: QuerySet[Workshop], name: str, value: str) -> QuerySet[Workshop]:
    # ``Workshop.state`` as a query: closed wins over expired, as in the model
    now = timezone.now()
    if value == WorkshopState.CLOSED:
        return queryset.filter(closed_at__isnull=False)
    if value == WorkshopState.EXPIRED:
        return queryset.filter(closed_at__isnull=True, expires_at__lte=now)
    if value == WorkshopState.OPEN:
        return queryset.filter(closed_at__isnull=True, expires_at__gt=now)
    return queryset


def _with_case(queryset: QuerySet[Workshop], name: str, value: int) -> QuerySet[Workshop]:
    if value is None:
        return queryset
    return queryset.filter(pk__in=WorkshopCase.objects.filter(case_id=value).values("workshop_id"))


class WorkshopFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=WorkshopState.choices, method=_in_state)
    case = IdFilter(method=_with_case)

    class Meta:
        model = Workshop
        fields = ["state", "case"]


def _items() -> QuerySet[WorkshopCase]:
    """The cases of workshops, with what their serializer reads, in a fixed number of queries
    (as ``workshops.live.items_of`` for one workshop)."""
    return (
        WorkshopCase.objects.select_related(
            "case__activism", "case__unit", "case__ladder", "assessment"
        )
        .prefetch_related(Prefetch("case__ladder__steps", queryset=Step.objects.order_by("level")))
        .annotate(
            visible_comments=Count(
                "answers", filter=~Q(answers__comment="") & Q(answers__comment_hidden=False)
            )
        )
        .order_by("position", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Workshops the reader may facilitate",
        description="Live stairs workshops, newest first: the reader's own (every workshop for "
        "site coordinators), each with its cases and the room's answers counted per level and "
        "per participant role. Administration only; others get 403.",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=WorkshopState.values,
                description="only workshops in this state (``open``, ``closed`` or ``expired``)",
            ),
            OpenApiParameter(
                "case",
                ID_SCHEMA,
                description="only workshops that have this case (its id) on their agenda",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One workshop",
        description="A workshop the reader may facilitate, with its cases and the room's answers "
        "counted; any other workshop is 404, as its page.",
    ),
)
class WorkshopViewSet(viewsets.ReadOnlyModelViewSet[Workshop]):
    """Live stairs workshops: a facilitator puts cases on the stairs, participants place them
    from their phones. Read only: workshops are run on the pages. Participants are never named;
    their answers are counted per level and per role (``results``)."""

    serializer_class = WorkshopSerializer
    permission_classes = [Facilitators]
    filterset_class = WorkshopFilter
    queryset = Workshop.objects.none()  # for the schema; the rows come from below

    def get_queryset(self) -> QuerySet[Workshop]:
        return (
            Workshop.objects.filter(access.visible_workshops(self.request.user))
            .annotate(participant_count=Count("participants", distinct=True))
            .prefetch_related(Prefetch("items", queryset=_items()))
            .order_by("-created_at", "-pk")
        )

    def get_object(self) -> Workshop:
        workshop: Workshop = super().get_object()
        if not access.can_facilitate(self.request.user, workshop):
            raise Http404  # its address reveals nothing, as on the pages
        return workshop


def register(router: BaseRouter) -> None:
    """Register this app's viewsets on the API's router."""
    router.register("workshops", WorkshopViewSet, basename="workshop")


# routes of the API that are not viewsets, under /api/
urlpatterns: list[URLPattern | URLResolver] = []
