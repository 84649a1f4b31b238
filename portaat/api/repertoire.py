"""Read API for the repertoire: practices and their evidence, plans, experiments,
recommendations for a case, and the reader's own notifications.

Permissions follow the pages, through ``portaat.access``:

- practices and their evidence are public knowledge: what was tried, how it went and the
  lessons; which cases and activisms an experiment involved, its title and evidence links are
  only for the administration (a title or a link often names the activism);
- plan items: the administration, and an activism's maintainers for that activism's cases
  (``access.visible_cases``);
- experiments and recommendations: the administration;
- notifications: each signed-in user their own.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import django_filters
from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portaat import access, notifications
from portaat.api.cases import SignedIn
from portaat.api.fields import TranslatedField
from portaat.api.filters import BooleanFilter, IdFilter, OrderingFilter
from portaat.api.registry import AdministrationOnly
from portaat.cases.models import Case
from portaat.ladders.models import LEVELS, Ladder
from portaat.models import Notification
from portaat.repertoire import services
from portaat.repertoire.models import (
    ActionType,
    Experiment,
    ExperimentAttachment,
    ExperimentStatus,
    Outcome,
    PlanItem,
    Practice,
)

LANGS = [code for code, _name in settings.LANGUAGES]

# --- practices ---------------------------------------------------------------------------------


class EvidenceCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Counts over finished experiments (annotated on the practice)."""

    tried = serializers.IntegerField(help_text="Finished experiments that tried the practice.")
    worked = serializers.IntegerField()
    partly = serializers.IntegerField()
    failed = serializers.IntegerField()


class PracticeSerializer(serializers.ModelSerializer[Practice]):
    title = TranslatedField()
    description = TranslatedField()
    resources = TranslatedField()
    risks = TranslatedField()
    legal_notes = TranslatedField()
    examples = TranslatedField()
    ladders: serializers.SlugRelatedField[Ladder] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    links = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_builtin = serializers.BooleanField(
        read_only=True, help_text="A ladder's own step; its texts follow the step."
    )
    evidence = EvidenceCountsSerializer(source="*", read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "description",
            "level_from",
            "level_to",
            "ladders",
            "action_type",
            "resources",
            "risks",
            "legal_notes",
            "examples",
            "links",
            "is_builtin",
            "evidence",
            "updated_at",
        ]


LEVEL_CHOICES = [(str(level), str(level)) for level in range(1, LEVELS + 1)]


class PracticeFilter(django_filters.FilterSet):
    ladder = django_filters.ModelChoiceFilter(
        queryset=Ladder.objects.all(),
        to_field_name="slug",
        method="filter_ladder",
        label="Ladder slug: its practices and those for any ladder.",
    )
    level = django_filters.ChoiceFilter(
        choices=LEVEL_CHOICES, method="filter_level", label="Practices that cover this level."
    )
    action_type = django_filters.ChoiceFilter(choices=ActionType.choices)
    ordering = OrderingFilter(
        fields=(("worked", "worked"), ("tried", "tried"), ("level_from", "level")),
    )

    class Meta:
        model = Practice
        fields = ["ladder", "level", "action_type"]

    def filter_ladder(self, queryset: QuerySet[Practice], name: str, value: Ladder) -> Any:
        ids = Practice.objects.filter(Q(ladders=value) | Q(ladders__isnull=True)).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_level(self, queryset: QuerySet[Practice], name: str, value: str) -> Any:
        level = int(value)
        return queryset.filter(level_from__lte=level, level_to__gte=level)


def _done(outcome: str | None = None) -> Q:
    query = Q(experiments__status=ExperimentStatus.DONE)
    return query & Q(experiments__outcome=outcome) if outcome else query


class ExperimentLessonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="The experiment (details: administration only).")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    lessons = serializers.CharField()
    title = serializers.CharField(allow_null=True, help_text="Administration only; else null.")
    evidence_links = serializers.ListField(
        child=serializers.CharField(), allow_null=True, help_text="Administration only; else null."
    )
    cases = serializers.ListField(
        child=serializers.DictField(),
        allow_null=True,
        help_text='Administration only (else null): [{"id": …, "activism": "name"}].',
    )


class PracticeEvidenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    practice = serializers.IntegerField()
    tried = serializers.IntegerField()
    outcomes = EvidenceCountsSerializer()
    experiments = ExperimentLessonSerializer(many=True)


class PracticeViewSet(viewsets.ReadOnlyModelViewSet[Practice]):
    """The repertoire: every ladder step and the practices users added, with how often each
    was tried in finished experiments and how it went. Public."""

    serializer_class = PracticeSerializer
    filterset_class = PracticeFilter

    def get_queryset(self) -> QuerySet[Practice]:
        return (
            Practice.objects.annotate(
                tried=Count("experiments", filter=_done(), distinct=True),
                worked=Count("experiments", filter=_done(Outcome.WORKED), distinct=True),
                partly=Count("experiments", filter=_done(Outcome.PARTLY), distinct=True),
                failed=Count("experiments", filter=_done(Outcome.FAILED), distinct=True),
            )
            .prefetch_related("ladders")
            .order_by("level_from", "level_to", "pk")
        )

    @extend_schema(responses=PracticeEvidenceSerializer, filters=False)
    @action(detail=True, filter_backends=[])
    def evidence(self, request: Any, pk: str | None = None, format: str | None = None) -> Response:
        """How often the practice was tried, the outcomes, and the lessons, newest first.
        Which cases (and activisms) took part is shown only to the administration."""
        practice = self.get_object()
        found = services.evidence_for([practice.pk])[practice.pk]
        internal = access.is_administration(request.user)
        cases: dict[int, list[dict[str, Any]]] = {}
        if internal and found.experiments:
            for experiment in Experiment.objects.filter(
                pk__in=[e.pk for e in found.experiments]
            ).prefetch_related(
                Prefetch("cases", queryset=Case.objects.select_related("activism").order_by("pk"))
            ):
                cases[experiment.pk] = [
                    {"id": c.pk, "activism": c.activism.name} for c in experiment.cases.all()
                ]
        data = {
            "practice": practice.pk,
            "tried": found.tried,
            "outcomes": {
                "tried": found.tried,
                **{o.value: found.outcomes.get(o.value, 0) for o in Outcome},
            },
            "experiments": [
                {
                    "id": e.pk,
                    "outcome": e.outcome,
                    "starts_on": e.starts_on,
                    "ends_on": e.ends_on,
                    "lessons": e.lessons,
                    "title": e.title if internal else None,
                    "evidence_links": e.evidence_links if internal else None,
                    "cases": cases.get(e.pk, []) if internal else None,
                }
                for e in found.experiments
            ],
        }
        return Response(PracticeEvidenceSerializer(data).data)


# --- plans -------------------------------------------------------------------------------------


class PlanItemSerializer(serializers.ModelSerializer[PlanItem]):
    owner = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = ["id", "case", "practice", "status", "due_on", "owner", "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_owner(self, obj: PlanItem) -> str | None:
        """The owner's email, for the administration only; otherwise null."""
        request = self.context.get("request")
        if obj.owner is None or not access.is_administration(getattr(request, "user", None)):
            return None
        return obj.owner.email or obj.owner.get_username()


class PlanItemViewSet(viewsets.ReadOnlyModelViewSet[PlanItem]):
    """Plan items of the cases the reader may see; filter by ``case``, ``practice``,
    ``status``."""

    serializer_class = PlanItemSerializer
    permission_classes = [SignedIn]
    filterset_fields = ["case", "practice", "status"]

    def get_queryset(self) -> QuerySet[PlanItem]:
        visible = Case.objects.filter(access.visible_cases(self.request.user)).values("pk")
        return (
            PlanItem.objects.filter(case__in=visible)
            .select_related("owner")
            .order_by("due_on", "pk")
        )


# --- experiments -------------------------------------------------------------------------------


class ExperimentAttachmentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A file attached to an experiment; ``download_url`` is the access-checked download."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True, help_text="Empty when none was given.")
    filename = serializers.CharField(
        source="original_filename", read_only=True, help_text="The uploader's file name."
    )
    content_type = serializers.CharField(
        read_only=True, help_text="The type Portaat determined from the name and the content."
    )
    size = serializers.IntegerField(read_only=True, help_text="In bytes.")
    sha256 = serializers.CharField(read_only=True, help_text="SHA-256 of the content, hex.")
    uploaded_at = serializers.DateTimeField(read_only=True)
    download_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, obj: ExperimentAttachment) -> str:
        path = reverse("experiments:attachment", args=[obj.experiment_id, obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else settings.SITE_URL + path


class ExperimentSerializer(serializers.ModelSerializer[Experiment]):
    practices: serializers.PrimaryKeyRelatedField[Practice] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    cases: serializers.PrimaryKeyRelatedField[Case] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    evidence_links = serializers.ListField(child=serializers.CharField(), read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Experiment
        fields = [
            "id",
            "title",
            "hypothesis",
            "success_criteria",
            "practices",
            "cases",
            "starts_on",
            "ends_on",
            "status",
            "outcome",
            "lessons",
            "evidence_links",
            "attachments",
            "closed_at",
            "created_at",
        ]

    @extend_schema_field(ExperimentAttachmentSerializer(many=True))
    def get_attachments(self, obj: Experiment) -> Any:
        request = self.context.get("request")
        if request is None or not access.can_view_experiment_files(request.user, obj):
            return []
        return ExperimentAttachmentSerializer(
            obj.attachments.all(), many=True, context=self.context
        ).data


class ExperimentFilter(django_filters.FilterSet):
    practice = IdFilter(field_name="practices")
    case = IdFilter(field_name="cases")

    class Meta:
        model = Experiment
        fields = ["status", "outcome", "practice", "case"]


class ExperimentViewSet(viewsets.ReadOnlyModelViewSet[Experiment]):
    """Experiments, planned to finished; filter by ``status``, ``outcome``, ``practice``,
    ``case``. Administration only."""

    serializer_class = ExperimentSerializer
    permission_classes = [AdministrationOnly]
    filterset_class = ExperimentFilter

    def get_queryset(self) -> QuerySet[Experiment]:
        return (
            Experiment.objects.prefetch_related(
                Prefetch("practices", queryset=Practice.objects.only("pk")),
                Prefetch("cases", queryset=Case.objects.only("pk")),
                "attachments",
            )
            .distinct()
            .order_by("-starts_on", "-pk")
        )


# --- recommendations ---------------------------------------------------------------------------


class RecommendationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    practice = serializers.IntegerField()
    title = TranslatedField()
    tried = serializers.IntegerField(help_text="Trials in similar cases.")
    worked = serializers.FloatField(help_text="Trials that worked (partly counts as a half).")
    similar_cases = serializers.ListField(child=serializers.IntegerField())
    reason = serializers.CharField(help_text="Why, in the language of the request.")


class CaseRecommendationsView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Practices that worked in cases similar to this one and have not been tried here, best
    first, each with the reason. Administration only."""

    permission_classes = [AdministrationOnly]
    serializer_class = RecommendationSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Case]:
        return Case.objects.filter(access.visible_cases(self.request.user))

    @extend_schema(responses=RecommendationSerializer(many=True))
    def get(self, request: Any, pk: int) -> Response:
        case = get_object_or_404(self.get_queryset(), pk=pk)
        data = [
            SimpleNamespace(
                practice=practice.pk,
                **{f"title_{code}": getattr(practice, f"title_{code}") for code in LANGS},
                tried=rec.tried,
                worked=rec.worked,
                similar_cases=rec.similar_cases,
                reason=services.reason(rec),
            )
            for practice, rec in services.recommendations_for_case(case)
        ]
        return Response(RecommendationSerializer(data, many=True).data)


# --- notifications -----------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    text = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "params", "text", "url", "created_at", "read_at"]

    def get_text(self, obj: Notification) -> str:
        """The text in the language of the request."""
        return notifications.render(obj)


class NotificationFilter(django_filters.FilterSet):
    unread = BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Only unread (true) or read (false)."
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet[Notification]):
    """The signed-in reader's own notifications, newest first; ``?unread=true``, ``?kind=``."""

    serializer_class = NotificationSerializer
    permission_classes = [SignedIn]
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet[Notification]:
        user: Any = self.request.user  # SignedIn: never anonymous here
        return Notification.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")
