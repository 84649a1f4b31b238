"""The one place for permission checks: who may see and change what.

Views, API permissions and templates ask the functions here; nothing else looks at groups,
``is_staff`` or ``is_superuser``. Roles are Django groups named by the ``Role`` values, so a
coordinator can manage them in the admin and later issues can add object-level rules here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from portaat.cases.models import Case
    from portaat.ladders.models import Ladder
    from portaat.registry.models import Activism, Unit

    AnyUser = AbstractBaseUser | AnonymousUser


class Role(StrEnum):
    COORDINATOR = "coordinator"
    OFFICIAL = "official"
    RESEARCHER = "researcher"
    ACTIVIST = "activist"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.COORDINATOR: _("Coordinator"),
    Role.OFFICIAL: _("Official or elected member"),
    Role.RESEARCHER: _("Researcher"),
    Role.ACTIVIST: _("Civic actor"),
}


def ensure_role_groups() -> int:
    """Create the role groups that do not exist yet; return how many were created."""
    created = 0
    for role in Role:
        _group, was_created = Group.objects.get_or_create(name=role.value)
        created += was_created
    return created


def roles_of(user: AnyUser | None) -> frozenset[Role]:
    """The user's roles, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_portaat_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[union-attr,attr-defined]
        cached = frozenset(role for role in Role if role.value in names)
        if getattr(user, "is_superuser", False):
            cached = cached | {Role.COORDINATOR}
        user._portaat_roles = cached  # type: ignore[union-attr,attr-defined]
    return cached


def has_role(user: AnyUser | None, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


# --- ladders -------------------------------------------------------------------------------


def can_view_ladder(user: AnyUser | None, ladder: Ladder) -> bool:
    """Ladders are public knowledge: built-in and custom ones alike."""
    return True


def can_manage_ladders(user: AnyUser | None) -> bool:
    """Create custom ladders (by copying one) and edit them: coordinators."""
    return has_role(user, Role.COORDINATOR)


def can_edit_ladder(user: AnyUser | None, ladder: Ladder) -> bool:
    """Built-in ladders are read-only for everybody; custom ones belong to coordinators."""
    return not ladder.is_builtin and can_manage_ladders(user)


# --- units ------------------------------------------------------------------------------------


def unit_roles_of(user: AnyUser | None) -> dict[int, str]:
    """``{unit_id: membership role}`` for the user, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return {}
    cached: dict[int, str] | None = getattr(user, "_portaat_unit_roles", None)
    if cached is None:
        from portaat.registry.models import Membership

        cached = dict(Membership.objects.filter(user_id=user.pk).values_list("unit_id", "role"))
        user._portaat_unit_roles = cached  # type: ignore[union-attr,attr-defined]
    return cached


def _unit_chain(unit: Unit) -> list[int]:
    """The unit and its ancestors, nearest first (a city hierarchy is a few levels deep)."""
    chain: list[int] = []
    current: Unit | None = unit
    while current is not None and current.pk not in chain:
        chain.append(current.pk)
        current = current.parent
    return chain


def is_administration(user: AnyUser | None) -> bool:
    """Officials, elected members and coordinators: anyone working for the administration."""
    return has_role(user, Role.COORDINATOR, Role.OFFICIAL) or bool(unit_roles_of(user))


def is_unit_member(user: AnyUser | None, unit: Unit) -> bool:
    """A member of the unit or of a unit above it (a division sees its services' work)."""
    roles = unit_roles_of(user)
    return any(unit_id in roles for unit_id in _unit_chain(unit))


def can_manage_unit(user: AnyUser | None, unit: Unit) -> bool:
    """Goals, own maturity judgement, members: the unit's coordinators and site coordinators."""
    if has_role(user, Role.COORDINATOR):
        return True
    roles = unit_roles_of(user)
    return any(roles.get(unit_id) == "coordinator" for unit_id in _unit_chain(unit))


def can_view_unit(user: AnyUser | None, unit: Unit) -> bool:
    """Dashboards and maturity are internal to the administration, across units."""
    return is_administration(user)


def can_open_case(user: AnyUser | None, unit: Unit) -> bool:
    return has_role(user, Role.COORDINATOR) or is_unit_member(user, unit)


# --- activisms ---------------------------------------------------------------------------------


def visible_activisms(user: AnyUser | None) -> Q:
    """A filter for the activisms the user may see: public ones, all for the administration,
    and the ones the user maintains (also while they await review)."""
    public = Q(visibility="public", review="approved")
    if is_administration(user):
        return Q()
    if user is not None and user.is_authenticated:
        return public | Q(maintainers=user)
    return public


def can_view_activism(user: AnyUser | None, activism: Activism) -> bool:
    if activism.is_public or is_administration(user):
        return True
    return is_maintainer(user, activism)


def is_maintainer(user: AnyUser | None, activism: Activism) -> bool:
    if user is None or not user.is_authenticated or activism.pk is None:
        return False
    return activism.maintainers.filter(pk=user.pk).exists()


def can_register_activism(user: AnyUser | None) -> bool:
    """Any signed-in person; an activist's own entry waits for an official's review."""
    return bool(user is not None and user.is_authenticated)


def can_edit_activism(user: AnyUser | None, activism: Activism) -> bool:
    return is_administration(user) or is_maintainer(user, activism)


def can_review_activisms(user: AnyUser | None) -> bool:
    return is_administration(user)


def can_import_activisms(user: AnyUser | None) -> bool:
    return is_administration(user)


# --- cases ---------------------------------------------------------------------------------


def visible_cases(user: AnyUser | None) -> Q:
    """A filter for the cases the user may see (lists and the API); see ``can_view_case``."""
    if is_administration(user):
        return Q()
    if user is not None and user.is_authenticated:
        return Q(activism__maintainers=user.pk)
    return Q(pk__in=[])


def can_view_case(user: AnyUser | None, case: Case) -> bool:
    """The administration, and the activism's own maintainers (they add their perspective)."""
    return is_administration(user) or is_maintainer(user, case.activism)


def can_view_case_notes(user: AnyUser | None, case: Case) -> bool:
    """Internal notes stay inside the unit (and the units above it)."""
    return has_role(user, Role.COORDINATOR) or is_unit_member(user, case.unit)


def can_edit_case(user: AnyUser | None, case: Case) -> bool:
    return can_view_case_notes(user, case)


def assessable_perspectives(user: AnyUser | None, case: Case) -> list[str]:
    """The perspectives in which the user may record an assessment of the case."""
    perspectives: list[str] = []
    if can_edit_case(user, case):
        perspectives += ["official", "workshop"]
    if is_maintainer(user, case.activism):
        perspectives.append("activist")
    if has_role(user, Role.RESEARCHER):
        perspectives.append("researcher")
    return perspectives


def can_assess(user: AnyUser | None, case: Case, perspective: str) -> bool:
    return perspective in assessable_perspectives(user, case)


def can_log_interaction(user: AnyUser | None, case: Case) -> bool:
    return can_edit_case(user, case)


def units_where_can_open_case(user: AnyUser | None) -> QuerySet[Unit]:
    """The units in which ``can_open_case`` holds: all for coordinators, otherwise the units
    the user is a member of and every unit below them (two queries, whatever the depth)."""
    from portaat.registry.models import Unit

    if has_role(user, Role.COORDINATOR):
        return Unit.objects.all()
    member_of = set(unit_roles_of(user))
    if not member_of:
        return Unit.objects.none()
    parents: dict[int, int | None] = dict(Unit.objects.values_list("pk", "parent_id"))

    def under_membership(pk: int | None) -> bool:
        seen: set[int] = set()
        while pk is not None and pk not in seen:
            if pk in member_of:
                return True
            seen.add(pk)
            pk = parents.get(pk)
        return False

    return Unit.objects.filter(pk__in=[pk for pk in parents if under_membership(pk)])


def can_open_assessment_form(user: AnyUser | None, case: Case) -> bool:
    """Anyone with a perspective to record, on a case whose activism they may see: researchers
    add their view to public activisms' cases without seeing the internal case page."""
    if not assessable_perspectives(user, case):
        return False
    return can_view_case(user, case) or can_view_activism(user, case.activism)


# --- site ------------------------------------------------------------------------------------


def can_use_admin(user: AnyUser | None) -> bool:
    return bool(user is not None and user.is_authenticated and getattr(user, "is_staff", False))


# --- decorators and DRF ----------------------------------------------------------------------

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])


def require(check: Callable[[Any], bool]) -> Callable[[ViewFunc], ViewFunc]:
    """Guard a function view with a user-level check from this module.

    Anonymous visitors are sent to log in; signed-in users without the right get a 403 page.
    """

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if check(request.user):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped  # type: ignore[return-value]

    return decorator


class ApiReadPublic(BasePermission):
    """The default for API views: anyone may read; writes need a view-specific permission."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS


# --- repertoire ------------------------------------------------------------------------------


def can_view_practices(user: AnyUser | None) -> bool:
    """The repertoire of practices and its evidence are shared knowledge: public to read.
    Case details inside the evidence still follow ``can_view_case`` / ``visible_cases``."""
    return True


def can_add_practice(user: AnyUser | None) -> bool:
    """The administration grows the repertoire with its own practices."""
    return is_administration(user)


def can_edit_practice(user: AnyUser | None, practice: Any) -> bool:
    """Built-in practices are the ladders' own steps: read-only for everybody. The
    administration's own practices are shared, so any of its members may improve them."""
    return not practice.is_builtin and can_add_practice(user)


def can_see_where_practice_applies(user: AnyUser | None) -> bool:
    """A practice's "cases where it could apply next" names cases: the administration only."""
    return is_administration(user)


# --- experiments and plans ---------------------------------------------------------------------


def can_plan_case(user: AnyUser | None, case: Case) -> bool:
    """A case's plan is the unit's work: the same people who may change the case."""
    return can_edit_case(user, case)


def editable_cases(user: AnyUser | None) -> QuerySet[Case]:
    """The cases ``can_edit_case`` allows: all for site coordinators, otherwise the cases of
    the units the user is a member of and every unit below them."""
    from portaat.cases.models import Case

    if has_role(user, Role.COORDINATOR):
        return Case.objects.all()
    return Case.objects.filter(unit__in=units_where_can_open_case(user))


def can_view_experiments(user: AnyUser | None) -> bool:
    """Experiments are the administration's learning, shared across units."""
    return is_administration(user)


def can_start_experiment(user: AnyUser | None) -> bool:
    """Open the form; each chosen case must still pass ``can_edit_case``."""
    return is_administration(user)


def can_close_experiment(user: AnyUser | None, experiment: Any) -> bool:
    """Close or abandon: its owner, or a member of the administration who may change at least
    one of its cases (the cases are prefetched by the experiment pages)."""
    if not is_administration(user):
        return False
    if experiment.owner_id is not None and user is not None and experiment.owner_id == user.pk:
        return True
    return any(can_edit_case(user, case) for case in experiment.cases.all())


def can_view_experiment_files(user: AnyUser | None, experiment: Any) -> bool:
    """Download an experiment's attachments: whoever may read the experiment."""
    return can_view_experiments(user)


def can_edit_experiment_files(user: AnyUser | None, experiment: Any) -> bool:
    """Attach files to an experiment and delete them: those who may close it (its owner and
    the members of its cases' units), also after it was closed, when reports often arrive."""
    return can_close_experiment(user, experiment)


def plan_owner_candidates(
    user: AnyUser | None, case: Case, *, current: list[int] | tuple[int, ...] = ()
) -> QuerySet[Any]:
    """Who may own an item of the case's plan: the members of its unit and of the units above
    it (those who may change the case), the person asking, and the ``current`` owners (an
    owner who left the unit stays until someone changes the item)."""
    from django.contrib.auth import get_user_model

    chain = _unit_chain(case.unit)
    ids = list(current)
    if user is not None and user.is_authenticated:
        ids.append(user.pk)
    return (
        get_user_model()
        .objects.filter(Q(memberships__unit_id__in=chain) | Q(pk__in=ids))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# --- workshops ---------------------------------------------------------------------------------


def can_run_workshops(user: AnyUser | None) -> bool:
    """Officials and coordinators who can edit at least one case may facilitate workshops."""
    return is_administration(user) and editable_cases(user).exists()


def visible_workshops(user: AnyUser | None) -> Q:
    """The workshops a user may facilitate: their own; every workshop for site coordinators."""
    if has_role(user, Role.COORDINATOR):
        return Q()
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(facilitator_id=user.pk)


def can_facilitate(user: AnyUser | None, workshop: Any) -> bool:
    if has_role(user, Role.COORDINATOR):
        return True
    return (
        user is not None
        and user.is_authenticated
        and workshop.facilitator_id == user.pk
        and is_administration(user)
    )


# --- listening -----------------------------------------------------------------------------------


def can_listen(user: AnyUser | None) -> bool:
    """Read collected posts, see sources' health and suggestions: the administration."""
    return is_administration(user)


def can_manage_sources(user: AnyUser | None) -> bool:
    """Add, change, run and import into sources; review suggested activisms."""
    return is_administration(user)


def can_export_posts(user: AnyUser | None) -> bool:
    """Pseudonymised exports of posts: the administration and researchers."""
    return is_administration(user) or has_role(user, Role.RESEARCHER)


# --- planning analytics ----------------------------------------------------------------------------


def can_analyse(user: AnyUser | None) -> bool:
    """Analyses of collected posts (map, topics, trends, spikes, exports): the administration,
    who may read the posts themselves (``can_listen``)."""
    return can_listen(user)


def can_subscribe_alerts(user: AnyUser | None) -> bool:
    """Subscribe to spike alerts of areas, themes and keywords."""
    return can_analyse(user)


def can_edit_themes(user: AnyUser | None) -> bool:
    """The theme taxonomy guides everyone's analyses: site coordinators change it."""
    return has_role(user, Role.COORDINATOR)


def can_attach_analysis(user: AnyUser | None, case: Case) -> bool:
    """Save an analysis as evidence on a case: analysts who may change the case."""
    return can_analyse(user) and can_edit_case(user, case)


def attachable_cases(user: AnyUser | None) -> QuerySet[Case]:
    """The cases ``can_attach_analysis`` allows."""
    from portaat.cases.models import Case

    if not can_analyse(user):
        return Case.objects.none()
    return editable_cases(user)


def can_view_case_analyses(user: AnyUser | None, case: Case) -> bool:
    """Analysis snapshots on a case are internal evidence: the unit's members (as the notes)."""
    return can_view_case_notes(user, case)


# --- rapid-response crowds -----------------------------------------------------------------------


def can_run_calls(user: AnyUser | None) -> bool:
    """Create and send calls, see headcounts and volunteers' contact data: coordinators and
    the officials a coordinator gave the "run calls" permission (crowds.run_calls)."""
    if has_role(user, Role.COORDINATOR):
        return True
    if user is None or not user.is_authenticated or not is_administration(user):
        return False
    cached: bool | None = getattr(user, "_portaat_runs_calls", None)
    if cached is None:
        if not getattr(user, "is_active", True):
            cached = False
        else:
            from django.contrib.auth.models import Permission

            # one query for the user's own and their groups' permission (has_perm loads all)
            cached = (
                Permission.objects.filter(content_type__app_label="crowds", codename="run_calls")
                .filter(Q(user=user) | Q(group__user=user))
                .exists()
            )
        user._portaat_runs_calls = cached  # type: ignore[union-attr,attr-defined]
    return cached


SECOND_STEP_SESSION_KEY = "portaat_second_step"


def needs_second_step(user: AnyUser | None) -> bool:
    """Who must sign in with an authenticator app's code as well as the password: those who run
    calls, and the staff of the admin site (which also shows volunteers). Their pages reach
    volunteers' phones and addresses and send to thousands, so a stolen password alone must not
    open them (``PORTAAT_REQUIRE_MFA``)."""
    from django.conf import settings

    if not settings.PORTAAT_REQUIRE_MFA or user is None or not user.is_authenticated:
        return False
    return bool(getattr(user, "is_staff", False)) or can_run_calls(user)


def second_step_missing(request: HttpRequest) -> str:
    """What this session still lacks before the pages that need the second step open: "" when
    nothing; "set-up" when the account has no authenticator app; "sign-in" when this session was
    not signed in with its code."""
    from allauth.account.authentication import get_authentication_records
    from allauth.mfa.models import Authenticator

    user = request.user
    if not needs_second_step(user):
        return ""
    if not Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists():
        return "set-up"
    if request.session.get(SECOND_STEP_SESSION_KEY) == user.pk:
        return ""  # the app was set up in this session: its first code was checked then
    if any(r.get("method") == "mfa" for r in get_authentication_records(request, user)):
        return ""
    return "sign-in"


def second_step_redirect(request: HttpRequest) -> HttpResponseBase:
    """To the page that explains the second step, and back here afterwards."""
    from django.shortcuts import redirect
    from django.utils.http import urlencode

    target = redirect("second_step")
    target["Location"] += "?" + urlencode({"next": request.get_full_path()})
    return target


def require_second_step(view: ViewFunc) -> ViewFunc:
    """For the views of those who must give the code: a session without it is sent to the page
    that explains it (whatever the method: nothing is changed); others go on to the view, which
    refuses them in its own way."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if second_step_missing(request):
            return second_step_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def can_see_volunteer_contacts(user: AnyUser | None) -> bool:
    """Volunteers' names, numbers and addresses: only those who run calls; never in exports."""
    return can_run_calls(user)


# --- thanks (kiitos) -------------------------------------------------------------------------------


def can_thank(user: AnyUser | None) -> bool:
    """Anyone may write a thanks, without an account; coordinators read it before it is shown."""
    return True


def can_moderate_thanks(user: AnyUser | None) -> bool:
    """Publish or reject thanks, and read the thankers' contact emails: site coordinators."""
    return has_role(user, Role.COORDINATOR)


def can_be_thanked(user: AnyUser | None) -> bool:
    """Choose to be thanked by name: members of the administration (officials, elected members
    and coordinators); the form offers them only while they allow it and belong to a unit."""
    return is_administration(user)


# --- somehallinto ------------------------------------------------------------------------------


def can_assess_somehallinto(user: AnyUser | None) -> bool:
    """Officials, elected members and coordinators place themselves on the stairs of
    social-media governance; the guidance itself is public."""
    return is_administration(user)


def can_edit_somehallinto_guidance(user: AnyUser | None) -> bool:
    """The learning path is shared by the whole city: site coordinators edit it."""
    return has_role(user, Role.COORDINATOR)


def can_assess_unit_somehallinto(user: AnyUser | None, unit: Unit) -> bool:
    """A unit's own level is recorded by its coordinators (as its maturity judgement)."""
    return can_manage_unit(user, unit)


# (end of somehallinto)


# --- events ------------------------------------------------------------------------------------


def can_follow_events(user: AnyUser | None) -> bool:
    """Events in one's areas, "I'll go" and who else is going: the administration."""
    return is_administration(user)


# (end of events)


# --- figures -----------------------------------------------------------------------------------


def can_manage_figures(user: AnyUser | None) -> bool:
    """Officials record and correct activisms' figures, make and revoke personal links and
    export the figures for the city's statistics. Members report through a personal link."""
    return is_administration(user)


# (end of figures)


# --- initiatives and opportunities -------------------------------------------------------------


def can_manage_opportunities(user: AnyUser | None) -> bool:
    """The catalogue of opportunities is public; the administration keeps it up to date."""
    return is_administration(user)


def can_match_initiatives(user: AnyUser | None) -> bool:
    """Officials see every initiative, get suggestions and propose opportunities."""
    return is_administration(user)


def visible_initiatives(user: AnyUser | None) -> Q:
    """All for the administration; those of the activisms one maintains for activists."""
    if is_administration(user):
        return Q()
    if user is not None and user.is_authenticated:
        return Q(activism__maintainers=user.pk)
    return Q(pk__in=[])


def can_use_initiatives(user: AnyUser | None) -> bool:
    """The initiatives pages: the administration, and people who keep an activism's entry."""
    if is_administration(user):
        return True
    if user is None or not user.is_authenticated:
        return False
    from portaat.registry.models import Activism

    return Activism.objects.filter(maintainers=user.pk).exists()


def can_post_initiative(user: AnyUser | None, activism: Activism) -> bool:
    return is_administration(user) or is_maintainer(user, activism)


def can_view_initiative(user: AnyUser | None, initiative: Any) -> bool:
    return can_post_initiative(user, initiative.activism)


def can_edit_initiative(user: AnyUser | None, initiative: Any) -> bool:
    return can_post_initiative(user, initiative.activism)


def can_update_match(user: AnyUser | None, match: Any) -> bool:
    """How a proposal goes (applying, granted …): the officials and the activism's people."""
    return can_post_initiative(user, match.initiative.activism)


def initiative_activisms(user: AnyUser | None) -> QuerySet[Activism]:
    """The activisms the user may post an initiative for."""
    from portaat.registry.models import Activism

    if is_administration(user):
        return Activism.objects.all()
    if user is not None and user.is_authenticated:
        return Activism.objects.filter(maintainers=user.pk)
    return Activism.objects.none()


# (end of initiatives)


# --- research ----------------------------------------------------------------------------------


def can_propose_research(user: AnyUser | None) -> bool:
    """Researchers and the administration propose research projects (and list their own)."""
    return has_role(user, Role.RESEARCHER) or is_administration(user)


def visible_research_projects(user: AnyUser | None) -> Q:
    """A filter for the projects the user may see: all for the administration, otherwise the
    ones the user leads or is a member of."""
    if is_administration(user):
        return Q()
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(lead_id=user.pk) | Q(members=user)


def is_research_team(user: AnyUser | None, project: Any) -> bool:
    """The project's lead or one of its members."""
    if user is None or not user.is_authenticated:
        return False
    if project.lead_id == user.pk:
        return True
    return bool(project.members.filter(pk=user.pk).exists())


def can_view_research_project(user: AnyUser | None, project: Any) -> bool:
    return is_administration(user) or is_research_team(user, project)


def can_grant_research(user: AnyUser | None) -> bool:
    """Grant datasets, set the access period, activate and end projects: site coordinators."""
    return has_role(user, Role.COORDINATOR)


def research_case_choices(user: AnyUser | None) -> QuerySet[Case]:
    """The cases a project may be proposed on: every case for the administration; for others
    the cases of public activisms (whose existence is public) and the cases they may see."""
    from portaat.cases.models import Case

    if is_administration(user):
        return Case.objects.all()
    return Case.objects.filter(
        Q(activism__visibility="public", activism__review="approved") | visible_cases(user)
    ).distinct()


def can_export_research(user: AnyUser | None, project: Any) -> bool:
    """Download a project's pseudonymised exports: its lead and members, and site coordinators
    (who granted them and may check what they hold). Whether a dataset is granted, the project
    active and its access period running is checked by ``research.services.export_refusal``."""
    return is_research_team(user, project) or can_grant_research(user)


# (end of research)
