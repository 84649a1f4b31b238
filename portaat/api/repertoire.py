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
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from portaat import access, notifications
from portaat.api.cases import CaseField, SignedIn, SignedInWrites
from portaat.api.errors import form_errors
from portaat.api.fields import TranslatedField
from portaat.api.filters import BooleanFilter, IdFilter, OrderingFilter
from portaat.api.registry import AdministrationOnly
from portaat.cases.forms import MAX_TEXT
from portaat.cases.models import Case
from portaat.ladders.models import LEVELS, Ladder
from portaat.models import Notification
from portaat.repertoire import services
from portaat.repertoire.experiment_forms import (
    MAX_LINKS,
    AbandonExperimentForm,
    CloseExperimentForm,
    ExperimentForm,
)
from portaat.repertoire.models import (
    ActionType,
    Experiment,
    ExperimentAttachment,
    ExperimentStatus,
    Outcome,
    PlanItem,
    PlanStatus,
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


class PlanItemWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A practice added to a case's plan (the case page's *Add to plan*)."""

    case = CaseField(visible=access.can_view_case)
    practice: serializers.PrimaryKeyRelatedField[Practice] = serializers.PrimaryKeyRelatedField(
        queryset=Practice.objects.all()
    )
    owner = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=254,
        help_text="The e-mail address of the person who takes it on: a member of the case's "
        "unit or of a unit above it, or the writer; empty or null: nobody yet.",
    )
    due_on = serializers.DateField(required=False, allow_null=True)


class PlanItemChangeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A plan item's status, owner or due date; fields left out keep their values."""

    status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
    owner = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=254,
        help_text="As when adding; empty or null: nobody.",
    )
    due_on = serializers.DateField(required=False, allow_null=True)


def _plan_owner(user: Any, case: Case, address: str | None, current: tuple[int, ...] = ()) -> Any:
    """The owner named by ``address`` among those who may own the case's plan items."""
    if not address:
        return None
    candidates = access.plan_owner_candidates(user, case, current=current)
    owner = (
        candidates.filter(email__iexact=address).first()
        or candidates.filter(username__iexact=address).first()
    )
    if owner is None:
        raise exceptions.ValidationError(
            {"owner": [_("Nobody who may take on this case's plan has that address.")]}
        )
    return owner


class PlanItemViewSet(viewsets.ReadOnlyModelViewSet[PlanItem]):
    """Plan items of the cases the reader may see; filter by ``case``, ``practice``,
    ``status``. Those who may plan a case (members of its unit and of the units above it) add
    practices to its plan and change the items, as on the case page."""

    serializer_class = PlanItemSerializer
    permission_classes = [SignedInWrites]
    filterset_fields = ["case", "practice", "status"]

    def get_queryset(self) -> QuerySet[PlanItem]:
        visible = Case.objects.filter(access.visible_cases(self.request.user)).values("pk")
        return (
            PlanItem.objects.filter(case__in=visible)
            .select_related("owner")
            .order_by("due_on", "pk")
        )

    def _answer(self, item: PlanItem, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(
            PlanItemSerializer(fresh, context=self.get_serializer_context()).data, status=status
        )

    @extend_schema(request=PlanItemWriteSerializer, responses={201: PlanItemSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add a practice to a case's plan (once per case)."""
        incoming = PlanItemWriteSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        case = data["case"]
        if not access.can_plan_case(request.user, case):
            raise exceptions.PermissionDenied(_("Only those who may change the case plan it."))
        owner = _plan_owner(request.user, case, data.get("owner"))
        item = services.plan_practice(
            case, data["practice"], owner=owner, due_on=data.get("due_on"), by=request.user
        )
        return self._answer(item, status=201)

    @extend_schema(request=PlanItemChangeSerializer, responses={200: PlanItemSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a plan item's status, owner or due date."""
        item = self.get_object()
        case = item.case
        if not access.can_plan_case(request.user, case):
            raise exceptions.PermissionDenied(_("Only those who may change the case plan it."))
        incoming = PlanItemChangeSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        current = (item.owner_id,) if item.owner_id else ()
        owner = (
            _plan_owner(request.user, case, data["owner"], current)
            if "owner" in data
            else item.owner
        )
        services.update_plan_item(
            item,
            status=data.get("status", item.status),
            owner=owner,
            due_on=data.get("due_on", item.due_on),
        )
        return self._answer(item)


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


class AdministrationWrites(permissions.BasePermission):
    """Reading and writing: the administration; each write then checks its own right."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return access.is_administration(request.user)


def _ids(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), **kwargs
    )


class ExperimentWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new experiment, checked by the *Start an experiment* page's form."""

    title = serializers.CharField(max_length=200)
    hypothesis = serializers.CharField(max_length=MAX_TEXT)
    success_criteria = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)
    practices = _ids(min_length=1, max_length=50)
    cases = _ids(
        min_length=1,
        max_length=200,
        help_text="Cases the writer may change (of their units and the units below them).",
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class ExperimentCloseSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    lessons = serializers.CharField(max_length=MAX_TEXT)
    evidence_links = serializers.ListField(
        child=serializers.CharField(max_length=2000), required=False, max_length=MAX_LINKS
    )


class ExperimentAbandonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    lessons = serializers.CharField(required=False, allow_blank=True, max_length=MAX_TEXT)


def _checked(form: Any) -> Any:
    """The form's cleaned data, or the API's 400 with the form's translated messages."""
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form.cleaned_data


class ExperimentViewSet(viewsets.ReadOnlyModelViewSet[Experiment]):
    """Experiments, planned to finished; filter by ``status``, ``outcome``, ``practice``,
    ``case``. Administration only: they also start experiments in the cases they may change,
    and close or abandon those they may (its owner, or one who may change one of its cases),
    with the experiment pages' forms and rules."""

    serializer_class = ExperimentSerializer
    permission_classes = [AdministrationWrites]
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

    def _answer(self, experiment: Experiment, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=experiment.pk)
        return Response(
            ExperimentSerializer(fresh, context=self.get_serializer_context()).data, status=status
        )

    def _closable(self) -> Experiment:
        # the list's prefetch (ids only) would clash with what the services load
        visible = self.get_object()
        experiment = Experiment.objects.prefetch_related("cases__unit").get(pk=visible.pk)
        if not access.can_close_experiment(self.request.user, experiment):
            raise exceptions.PermissionDenied(
                _("Only its owner, or one who may change one of its cases, closes an experiment.")
            )
        return experiment

    @extend_schema(request=ExperimentWriteSerializer, responses={201: ExperimentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start an experiment: practices to try in cases, with a hypothesis and dates."""
        if not access.can_start_experiment(request.user):
            raise exceptions.PermissionDenied
        incoming = ExperimentWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        body = incoming.validated_data
        data = QueryDict(mutable=True)
        for name in ("title", "hypothesis", "success_criteria", "starts_on", "ends_on"):
            data[name] = str(body.get(name, ""))
        data.setlist("practices", [str(pk) for pk in body["practices"]])
        data.setlist("cases", [str(pk) for pk in body["cases"]])
        form = ExperimentForm(
            data,
            practices=Practice.objects.filter(pk__in=body["practices"]).select_related(
                "step__ladder"
            ),
            cases=access.editable_cases(request.user)
            .filter(pk__in=body["cases"])
            .select_related("activism", "unit", "ladder"),
        )
        cleaned = _checked(form)
        experiment = services.create_experiment(
            title=cleaned["title"],
            hypothesis=cleaned["hypothesis"],
            success_criteria=cleaned["success_criteria"],
            practices=cleaned["practices"],
            cases=cleaned["cases"],
            starts_on=cleaned["starts_on"],
            ends_on=cleaned["ends_on"],
            owner=request.user,
        )
        return self._answer(experiment, status=201)

    @extend_schema(request=ExperimentCloseSerializer, responses={200: ExperimentSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Record the outcome and the lessons learned; then reassess its cases."""
        experiment = self._closable()
        incoming = ExperimentCloseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        body = incoming.validated_data
        form = CloseExperimentForm(
            {
                "outcome": body["outcome"],
                "lessons": body["lessons"],
                "evidence_links": "\n".join(body.get("evidence_links", [])),
            }
        )
        cleaned = _checked(form)
        services.close_experiment(
            experiment,
            outcome=cleaned["outcome"],
            lessons=cleaned["lessons"],
            evidence_links=cleaned["evidence_links"],
        )
        return self._answer(experiment)

    @extend_schema(request=ExperimentAbandonSerializer, responses={200: ExperimentSerializer})
    @action(detail=True, methods=["post"])
    def abandon(self, request: Request, pk: str | None = None) -> Response:
        """Stop an experiment before its end, saying why."""
        experiment = self._closable()
        incoming = ExperimentAbandonSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        form = AbandonExperimentForm(
            {"abandon-lessons": incoming.validated_data.get("lessons", "")}
        )
        cleaned = _checked(form)
        services.abandon_experiment(experiment, lessons=cleaned["lessons"])
        return self._answer(experiment)


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
