"""Read API for the registry: units, areas, kinds of activism and activisms.

Visibility follows the pages exactly, through ``portaat.access``: anonymous readers see public,
approved activisms; the administration sees all; maintainers also see their own entries.
Contact details are personal data and appear only for the administration and maintainers.
"""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from portaat import access
from portaat.api.errors import form_errors
from portaat.api.fields import TranslatedField
from portaat.cases.queries import estimate_for_unit
from portaat.registry import forms, services
from portaat.registry.models import (
    Activism,
    ActivismKind,
    ActivismStatus,
    Area,
    Channel,
    LegalForm,
    Unit,
    Visibility,
)

_SLUG = re.compile(r"[-\w]+")


class SlugLookup:
    """For viewsets looked up by a slug or an area key: anything else in the address (a NUL
    byte, which PostgreSQL refuses in a query, and would be a 500) is simply not found."""

    lookup_field: str
    kwargs: dict[str, Any]

    def get_object(self) -> Any:
        if not _SLUG.fullmatch(str(self.kwargs.get(self.lookup_field, ""))):
            raise NotFound
        return super().get_object()  # type: ignore[misc]


class AdministrationOnly(permissions.BasePermission):
    """Reading internal data (units, cases …) needs an administration account."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS and access.is_administration(request.user)


class UnitSerializer(serializers.ModelSerializer[Unit]):
    name = TranslatedField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]
    case_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Unit
        fields = ["slug", "name", "kind", "parent", "case_count"]


class CriterionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "unmet", "not_measurable"])
    requirement = serializers.CharField()
    numbers = serializers.CharField()
    advice = serializers.CharField()


class StageResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    reached = serializers.BooleanField()
    criteria = CriterionSerializer(many=True)


class MaturitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    unit = serializers.CharField()
    today = serializers.DateField()
    stage = serializers.IntegerField(help_text="The estimated stage, 1–5.")
    stages = StageResultSerializer(many=True)
    lift = CriterionSerializer(many=True, help_text="What would lift the unit one stage.")
    facts = serializers.DictField()


class UnitViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet[Unit]):
    """The administration's units (city → division → unit). Administration only."""

    serializer_class = UnitSerializer
    permission_classes = [AdministrationOnly]
    lookup_field = "slug"
    filterset_fields = ["kind"]

    @extend_schema(responses=MaturitySerializer)
    @action(detail=True)
    def maturity(
        self, request: Any, slug: str | None = None, format: str | None = None
    ) -> Response:
        """The five-stage estimate for the unit and every unit below it, criterion by criterion,
        in the language of the request."""
        unit = self.get_object()
        estimate = estimate_for_unit(unit.pk, today=timezone.localdate())
        data = {
            "unit": unit.slug,
            "today": estimate.today,
            "stage": estimate.stage,
            "stages": [
                {
                    "number": s.number,
                    "reached": s.reached,
                    "criteria": [vars(c) for c in s.criteria],
                }
                for s in estimate.stages
            ],
            "lift": [vars(c) for c in estimate.lift],
            "facts": estimate.facts,
        }
        return Response(MaturitySerializer(data).data)

    def get_queryset(self) -> QuerySet[Unit]:
        return (
            Unit.objects.select_related("parent").annotate(case_count=Count("cases")).order_by("pk")
        )


class AreaSerializer(serializers.ModelSerializer[Area]):
    parent = serializers.SlugRelatedField(slug_field="key", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]

    class Meta:
        model = Area
        fields = [
            "key",
            "name",
            "name_sv",
            "aliases",
            "kind",
            "municipality",
            "parent",
            "lat",
            "lon",
        ]


class AreaViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet[Area]):
    """The gazetteer: municipalities, districts and sub-districts, with fi and sv names."""

    serializer_class = AreaSerializer
    queryset = Area.objects.select_related("parent").order_by("municipality", "name")
    lookup_field = "key"
    filterset_fields = ["kind", "municipality"]


class ActivismKindSerializer(serializers.ModelSerializer[ActivismKind]):
    name = TranslatedField()

    class Meta:
        model = ActivismKind
        fields = ["slug", "name", "is_builtin"]


class ActivismKindViewSet(SlugLookup, viewsets.ReadOnlyModelViewSet[ActivismKind]):
    serializer_class = ActivismKindSerializer
    queryset = ActivismKind.objects.order_by("position", "slug")
    lookup_field = "slug"
    pagination_class = None


class ChannelSerializer(serializers.ModelSerializer[Channel]):
    class Meta:
        model = Channel
        fields = ["url", "platform", "handle"]


class ActivismSerializer(serializers.ModelSerializer[Activism]):
    kind: serializers.SlugRelatedField[ActivismKind] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    domains: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    areas: serializers.SlugRelatedField[Area] = serializers.SlugRelatedField(
        slug_field="key", many=True, read_only=True
    )
    channels = ChannelSerializer(many=True, read_only=True)
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Activism
        fields = [
            "id",
            "name",
            "description",
            "kind",
            "domains",
            "areas",
            "channels",
            "legal_form",
            "status",
            "visibility",
            "origin",
            "review",
            "contact",
            "created_at",
            "updated_at",
        ]

    def get_contact(self, obj: Activism) -> dict[str, str] | None:
        """Only for the administration and the activism's maintainers; otherwise null."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        maintained: set[int] = self.context.get("maintained_ids", set())
        if not (access.is_administration(user) or obj.pk in maintained):
            return None
        if obj.contact_consent_at is None:
            return None
        return {
            "name": obj.contact_name,
            "email": obj.contact_email,
            "phone": obj.contact_phone,
            "consent_at": obj.contact_consent_at.isoformat(),
        }


class ActivismFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kind__slug")
    domain = django_filters.CharFilter(field_name="domains__slug")
    area = django_filters.CharFilter(field_name="areas__key")
    municipality = django_filters.CharFilter(field_name="areas__municipality")

    class Meta:
        model = Activism
        fields = ["kind", "domain", "area", "municipality", "status", "visibility", "legal_form"]


# --- writes: register, edit and review activisms, with the pages' form and rules ---------------


class ReadPublicWritesSignedIn(access.ApiReadPublic):
    """Anyone reads (as ``ApiReadPublic``); writing needs a signed-in person, and each write
    then checks its own right (``access.can_register_activism`` …)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or bool(
            request.user and request.user.is_authenticated
        )


class ContactWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The person agreed that their contact details are kept (needed for new or "
        "changed details; empty details need none).",
    )


class ActivismWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An activism to register or change, checked by the same form as the pages
    (``registry.forms.ActivismForm``); fields left out of a ``PATCH`` keep their values."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=forms.DESCRIPTION_MAX
    )
    kind = serializers.CharField(max_length=100, help_text="The slug of a kind of activism.")
    domains = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=50,
        help_text="Slugs of the domain ladders (the fields where it acts).",
    )
    areas = serializers.ListField(
        child=serializers.CharField(max_length=120),
        required=False,
        max_length=200,
        help_text="Keys of the gazetteer's areas.",
    )
    channels = serializers.ListField(
        child=serializers.CharField(max_length=500),
        required=False,
        max_length=forms.MAX_CHANNELS,
        help_text="Web addresses of its groups, accounts, feeds or website.",
    )
    legal_form = serializers.ChoiceField(choices=LegalForm.choices, required=False)
    status = serializers.ChoiceField(choices=ActivismStatus.choices, required=False)
    visibility = serializers.ChoiceField(
        choices=Visibility.choices, required=False, help_text="The administration only."
    )
    publish = serializers.BooleanField(
        required=False,
        help_text="An activist's own registration: be public once an official has approved it.",
    )
    maintainers = serializers.ListField(
        child=serializers.CharField(max_length=254),
        required=False,
        max_length=forms.MAX_MAINTAINERS,
        help_text="The administration only: e-mail addresses of the accounts that keep the "
        "entry up to date (replaces the list).",
    )
    contact = ContactWriteSerializer(required=False)


class ReviewWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])


# the form's contact fields are one object in the API
_CONTACT = {name: "contact" for name in (*forms.CONTACT_FIELDS, "contact_consent")}


def _form_data(
    incoming: dict[str, Any], activism: Activism | None, *, administration: bool
) -> tuple[QueryDict, dict[str, list[str]]]:
    """The pages' form data for an API body (over the activism's current values for a
    ``PATCH``), and the errors found on the way (an unknown kind or domain)."""
    errors: dict[str, list[str]] = {}
    data = QueryDict(mutable=True)
    current = forms.ActivismForm.initial_from(activism) if activism is not None else {}
    for name in ("name", "description", "legal_form", "status"):
        value = incoming.get(name, current.get(name))
        if value is not None:
            data[name] = value
    if "legal_form" not in data:
        data["legal_form"] = LegalForm.NONE
    if "status" not in data:
        data["status"] = ActivismStatus.ACTIVE
    if "kind" in incoming:
        kind = ActivismKind.objects.filter(slug=incoming["kind"]).first()
        if kind is None:
            errors["kind"] = [
                _("There is no kind of activism %(slug)s.") % {"slug": incoming["kind"]}
            ]
        else:
            data["kind"] = str(kind.pk)
    elif current.get("kind"):
        data["kind"] = str(current["kind"])
    if "domains" in incoming:
        slugs = list(dict.fromkeys(incoming["domains"]))
        found = dict(forms.domain_ladders().filter(slug__in=slugs).values_list("slug", "pk"))
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            errors["domains"] = [
                _("These are not domains: %(slugs)s.") % {"slugs": ", ".join(unknown[:5])}
            ]
        data.setlist("domains", [str(found[slug]) for slug in slugs if slug in found])
    else:
        data.setlist("domains", [str(pk) for pk in current.get("domains", [])])
    data.setlist("areas", list(incoming.get("areas", current.get("areas", []))))
    channels = incoming.get("channels")
    data["channels"] = "\n".join(channels) if channels is not None else current.get("channels", "")
    if ("visibility" in incoming or "maintainers" in incoming) and not administration:
        field = "visibility" if "visibility" in incoming else "maintainers"
        errors[field] = [_("Only the city's officials set this.")]
    if "visibility" in incoming:
        data["visibility"] = incoming["visibility"]
    elif current.get("visibility"):
        data["visibility"] = current["visibility"]
    if "maintainers" in incoming:
        data["maintainers"] = "\n".join(incoming["maintainers"])
    if "publish" in incoming and (administration or activism is not None):
        errors["publish"] = [
            _("Only an activist's own new registration uses this; officials set the visibility.")
        ]
    if incoming.get("publish"):
        data["publish"] = "on"
    contact = incoming.get("contact")
    for field, key in zip(forms.CONTACT_FIELDS, ("name", "email", "phone"), strict=True):
        value = (
            contact.get(key, current.get(field, ""))
            if contact is not None
            else current.get(field, "")
        )
        data[field] = value or ""
    if contact is not None and contact.get("consent"):
        data["contact_consent"] = "on"
    return data, errors


def save_through_form(
    request: Request, incoming: dict[str, Any], activism: Activism | None
) -> Activism:
    """Checks ``incoming`` with the pages' form and saves it with the pages' service; any
    problem is a 400 with the form's translated messages, and nothing is saved."""
    user = request.user
    administration = access.is_administration(user)
    data, errors = _form_data(incoming, activism, administration=administration)
    form = forms.ActivismForm(data, activism=activism, can_set_visibility=administration)
    valid = form.is_valid()
    for name, messages in form_errors(form, _CONTACT).items():
        # a field already refused by name (an unknown kind) is not also reported as missing
        errors.setdefault(name, messages)
    if errors or not valid:
        raise exceptions.ValidationError(errors)
    return services.save_activism(
        activism=activism,
        by=user,
        self_registered=activism is None and not administration,
        **form.service_kwargs(),
    )


class ActivismViewSet(viewsets.ReadOnlyModelViewSet[Activism]):
    """Activisms of the fourth sector. Anonymous readers get the public, approved ones.

    Signed in, one also registers an activism (an official's entry is ready at once; anyone
    else's own waits for an official's review), edits one they may edit (the administration,
    its maintainers) and, as an official, reviews self-registrations — with the pages' rules.
    """

    serializer_class = ActivismSerializer
    filterset_class = ActivismFilter
    permission_classes = [ReadPublicWritesSignedIn]

    def get_queryset(self) -> QuerySet[Activism]:
        return (
            Activism.objects.filter(access.visible_activisms(self.request.user))
            .select_related("kind")
            .prefetch_related("domains", "areas", "channels")
            .distinct()
            .order_by("name", "pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        user = self.request.user
        context["maintained_ids"] = (
            set(Activism.objects.filter(maintainers=user.pk).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
        return context

    def _answer(self, activism: Activism, status: int = 200) -> Response:
        fresh = self.get_queryset().filter(pk=activism.pk).first() or activism
        return Response(
            ActivismSerializer(fresh, context=self.get_serializer_context()).data, status=status
        )

    @extend_schema(request=ActivismWriteSerializer, responses={201: ActivismSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Register an activism."""
        if not access.can_register_activism(request.user):
            raise exceptions.PermissionDenied
        incoming = ActivismWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        activism = save_through_form(request, dict(incoming.validated_data), None)
        return self._answer(activism, status=201)

    @extend_schema(request=ActivismWriteSerializer, responses={200: ActivismSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change an activism: the fields sent replace theirs, the rest stay."""
        activism = self.get_object()
        if not access.can_edit_activism(request.user, activism):
            raise exceptions.PermissionDenied(
                _("Only the city's officials and its maintainers may edit this.")
            )
        incoming = ActivismWriteSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        activism = save_through_form(request, dict(incoming.validated_data), activism)
        return self._answer(activism)

    @extend_schema(request=ReviewWriteSerializer, responses={200: ActivismSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        """Approve or reject a self-registered activism that awaits review (officials)."""
        activism = self.get_object()
        if not access.can_review_activisms(request.user):
            raise exceptions.PermissionDenied(_("Only the city's officials review activisms."))
        incoming = ReviewWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        approve = incoming.validated_data["decision"] == "approve"
        services.review_activism(activism, approve=approve, by=request.user)
        return self._answer(activism)
