"""Domain rules of research projects: proposing, granting, who may download what, and the
pseudonymised exports (activisms, cases, assessments, posts) with their data dictionary.

An export covers only the project's cases: their activisms, the cases, their assessments and
the posts collected by sources linked to those activisms. Identifiers become keyed hashes under
the project's own secret, so the same thing has the same pseudonym within a project and an
unrelated one in another. Names, descriptions, notes, contact data, channel addresses and
handles, post addresses and authors' handles are never exported; free text in posts is
redacted (see ``redact``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portaat.cases.models import Assessment, Case
from portaat.listening.models import Post
from portaat.registry.models import Activism, Channel
from portaat.research.models import Dataset, ExportLog, ProjectStatus, ResearchProject

FORMATS = ("csv", "json")


# --- proposing and granting --------------------------------------------------------------------


@transaction.atomic
def propose(
    *,
    lead: Any,
    title: str,
    summary: str,
    organisation: str,
    intended_level: int,
    cases: Iterable[Case],
) -> ResearchProject:
    """A new project, proposed by ``lead``; nothing is granted until a coordinator decides."""
    project = ResearchProject.objects.create(
        title=title.strip(),
        summary=summary.strip(),
        organisation=organisation.strip(),
        intended_level=intended_level,
        lead=lead,
    )
    project.cases.set(list(cases))
    return project


@transaction.atomic
def grant(
    project: ResearchProject,
    *,
    by: Any,
    datasets: Iterable[str],
    status: str,
    access_until: dt.date | None,
) -> ResearchProject:
    """A coordinator's decision: the granted datasets, the status and the access period."""
    chosen = set(datasets)
    unknown = chosen - set(Dataset.values)
    if unknown:
        raise ValidationError(_("There is no such dataset."), code="dataset")
    if status not in ProjectStatus.values:
        raise ValidationError(_("There is no such status."), code="status")
    project.datasets = [d for d in Dataset.values if d in chosen]
    project.status = status
    project.access_until = access_until
    project.granted_by = by
    project.granted_at = timezone.now()
    project.save(update_fields=["datasets", "status", "access_until", "granted_by", "granted_at"])
    return project


def export_refusal(project: ResearchProject, dataset: str) -> str | None:
    """Why the dataset cannot be downloaded now (a translated sentence), or None if it can."""
    if dataset not in Dataset.values:
        return _("There is no such dataset.")
    if project.status != ProjectStatus.ACTIVE:
        return _("The project is not active: exports are available only for active projects.")
    if dataset not in (project.datasets or []):
        return _("This dataset has not been granted to the project.")
    if project.access_until is not None and project.access_until < timezone.localdate():
        return _("The project's access to its data ended on %(date)s.") % {
            "date": f"{project.access_until:%d.%m.%Y}"
        }
    return None


def intended_step(project: ResearchProject) -> str:
    """The name of the intended level's step: on the cases' ladder when they share one,
    otherwise on the generic ladder ("" when neither has such a step)."""
    from portaat.ladders.models import Step

    ladders = {case.ladder_id for case in project.cases.all()}
    step = None
    if len(ladders) == 1:
        step = Step.objects.filter(ladder_id=ladders.pop(), level=project.intended_level).first()
    if step is None:
        step = Step.objects.filter(ladder__slug="generic", level=project.intended_level).first()
    return step.title if step else ""


# --- pseudonyms and redaction ------------------------------------------------------------------


def project_key(project: ResearchProject) -> bytes:
    """The project's pseudonym key: its own secret combined with the site's secret key, so
    neither a database dump nor the settings alone re-identify anything."""
    return hmac.new(
        settings.SECRET_KEY.encode(),
        f"portaat/research/{project.secret}".encode(),
        hashlib.sha256,
    ).digest()


def pseudonym(key: bytes, kind: str, value: object) -> str:
    """16 hex characters for ``<kind>:<value>`` under the project's key; "" for no value."""
    if value in (None, ""):
        return ""
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:16]


_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![@\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_MENTION = re.compile(r"(?<![\w@])@[\w.-]+(?:@[\w-]+(?:\.[\w-]+)+)?", re.UNICODE)
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s-]?|0)\d{1,4}(?:[\s-]?\d){5,10}(?!\w)")

PLACEHOLDERS = {
    "url": "[link]",
    "email": "[email]",
    "mention": "[mention]",
    "phone": "[phone]",
    "name": "[name]",
    "handle": "[handle]",
    "contact": "[contact]",
}


@dataclass
class Redactor:
    """Replaces known names and handles, and any address, e-mail, mention or phone number."""

    names: list[str]
    handles: list[str]
    contacts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        found = sorted({c for c in self.contacts if c}, key=len, reverse=True)
        self._contacts = re.compile("|".join(re.escape(c) for c in found), re.I) if found else None
        self._names = _alternation(self.names)
        self._handles = _alternation(self.handles)

    def __call__(self, text: str) -> str:
        if not text:
            return ""
        text = _URL.sub(PLACEHOLDERS["url"], text)
        if self._contacts is not None:  # the contacts' own e-mails and numbers, as written
            text = self._contacts.sub(PLACEHOLDERS["contact"], text)
        text = _EMAIL.sub(PLACEHOLDERS["email"], text)
        if self._handles is not None:
            text = self._handles.sub(PLACEHOLDERS["handle"], text)
        text = _MENTION.sub(PLACEHOLDERS["mention"], text)
        text = _PHONE.sub(PLACEHOLDERS["phone"], text)
        if self._names is not None:
            text = self._names.sub(PLACEHOLDERS["name"], text)
        return text

    def is_handle(self, tag: str) -> bool:
        return _normal_handle(tag) in {_normal_handle(h) for h in self.handles}


def _normal_handle(handle: str) -> str:
    return handle.strip().lstrip("@#").lower()


def _alternation(words: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({w for w in words if w}, key=len, reverse=True)
    if not unique:
        return None
    body = "|".join(re.escape(w) for w in unique)
    return re.compile(rf"(?<!\w)[@#]?(?:{body})(?!\w)", re.IGNORECASE | re.UNICODE)


def redactor_for(activisms: Iterable[Activism], authors: Iterable[str] = ()) -> Redactor:
    """A redactor that knows the scope's activism names, contact names (whole and each part of
    three letters or more), channel handles and the posts' authors' handles (whole and their
    local part)."""
    names: list[str] = []
    handles: list[str] = []
    for author in authors:
        handle = _normal_handle(author)
        if handle:
            handles.append(handle)
            local = handle.split("@")[0]
            if len(local) >= 3:
                handles.append(local)
    contacts: list[str] = []
    for activism in activisms:
        contacts += [activism.contact_email.strip(), activism.contact_phone.strip()]
        names.append(activism.name.strip())
        contact = activism.contact_name.strip()
        if contact:
            names.append(contact)
            names += [part for part in re.split(r"[\s,]+", contact) if len(part) >= 3]
        for channel in activism.channels.all():
            handle = _normal_handle(channel.handle)
            if handle:
                handles.append(handle)
                local = handle.split("@")[0]
                if len(local) >= 3:
                    handles.append(local)
    return Redactor(names=names, handles=handles, contacts=contacts)


# --- scope ---------------------------------------------------------------------------------------


def scope_cases(project: ResearchProject) -> QuerySet[Case]:
    return Case.objects.filter(research_projects=project).order_by("pk")


def scope_activisms(project: ResearchProject) -> QuerySet[Activism]:
    return (
        Activism.objects.filter(cases__research_projects=project)
        .distinct()
        .select_related("kind")
        .prefetch_related(
            "domains", "areas", Prefetch("channels", queryset=Channel.objects.order_by("pk"))
        )
        .order_by("pk")
    )


def scope_posts(project: ResearchProject, activism_ids: list[int]) -> QuerySet[Post]:
    return (
        Post.objects.filter(source__activisms__in=activism_ids, text_removed_at__isnull=True)
        .distinct()
        .select_related("source")
        .prefetch_related("source__activisms")
        .order_by("created_at", "pk")
    )


# --- the data dictionary -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: Any  # a lazy translation
    pseudonymised: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.name,
            "type": self.type,
            "description": str(self.description),
            "pseudonymised": self.pseudonymised,
        }


gl = gettext_lazy

DICTIONARY: dict[str, list[Column]] = {
    Dataset.ACTIVISMS: [
        Column("activism", "string", gl("The activism's pseudonym in this project."), True),
        Column("kind", "string", gl("The kind of activism (identifier).")),
        Column(
            "domains", "string", gl("The ladders of its domains (identifiers, space-separated).")
        ),
        Column("areas", "string", gl("The areas where it acts (identifiers, space-separated).")),
        Column("legal_form", "string", gl("Legal form (none, association, cooperative …).")),
        Column("status", "string", gl("Whether it is active, dormant or ended.")),
        Column("origin", "string", gl("Who added it to Portaat (an official, itself, listening).")),
        Column(
            "channel_platforms", "string", gl("The platforms of its channels, not their addresses.")
        ),
        Column("created_month", "string", gl("The month it was added to Portaat (YYYY-MM).")),
    ],
    Dataset.CASES: [
        Column("case", "string", gl("The case's pseudonym in this project."), True),
        Column("activism", "string", gl("The activism's pseudonym in this project."), True),
        Column("unit", "string", gl("The unit of the administration (identifier).")),
        Column("ladder", "string", gl("The ladder of the case (identifier).")),
        Column("current_level", "integer", gl("Current level in the latest assessment (1–8).")),
        Column("target_level", "integer", gl("Target level in the latest assessment (1–8).")),
        Column("assessments", "integer", gl("How many assessments the case has.")),
        Column("created_month", "string", gl("The month the case was opened (YYYY-MM).")),
    ],
    Dataset.ASSESSMENTS: [
        Column("assessment", "string", gl("The assessment's pseudonym in this project."), True),
        Column("case", "string", gl("The case's pseudonym in this project."), True),
        Column(
            "perspective", "string", gl("Whose view: officials, activists, researchers, workshop.")
        ),
        Column("current_level", "integer", gl("Where the cooperation is now (1–8).")),
        Column("target_level", "integer", gl("Where it should be (1–8).")),
        Column("assessed_on", "date", gl("The date of the assessment.")),
    ],
    Dataset.POSTS: [
        Column("post", "string", gl("The post's pseudonym in this project."), True),
        Column(
            "activisms",
            "string",
            gl("Pseudonyms of the activisms whose sources collected it."),
            True,
        ),
        Column("platform", "string", gl("The platform (mastodon, bluesky, rss …).")),
        Column("created_at", "datetime", gl("When it was posted (UTC).")),
        Column("language", "string", gl("The detected language.")),
        Column("author", "string", gl("The author's pseudonym in this project."), True),
        Column("reply_to", "string", gl("The pseudonym of the post it answers."), True),
        Column("thread", "string", gl("The pseudonym of its thread."), True),
        Column("title", "string", gl("The title, redacted like the text."), True),
        Column(
            "text",
            "string",
            gl(
                "The text: addresses, e-mails, phone numbers and mentions are replaced by "
                "placeholders, as are the known names and handles of the project's activisms."
            ),
            True,
        ),
        Column(
            "tags", "string", gl("Hashtags (space-separated); the activisms' own handles removed.")
        ),
        Column(
            "counts", "json", gl("Reactions, replies and shares as the platform reported them.")
        ),
    ],
}


def dictionary(dataset: str) -> list[dict[str, Any]]:
    return [f.as_dict() for f in DICTIONARY[dataset]]


# --- rows ----------------------------------------------------------------------------------------


def _month(value: dt.datetime | dt.date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def activism_rows(project: ResearchProject) -> list[dict[str, Any]]:
    key = project_key(project)
    return [
        {
            "activism": pseudonym(key, "activism", a.pk),
            "kind": a.kind.slug,
            "domains": " ".join(sorted(d.slug for d in a.domains.all())),
            "areas": " ".join(sorted(area.key for area in a.areas.all())),
            "legal_form": a.legal_form,
            "status": a.status,
            "origin": a.origin,
            "channel_platforms": " ".join(sorted({c.platform for c in a.channels.all()})),
            "created_month": _month(a.created_at),
        }
        for a in scope_activisms(project)
    ]


def case_rows(project: ResearchProject) -> list[dict[str, Any]]:
    key = project_key(project)
    cases = scope_cases(project).select_related("unit", "ladder").prefetch_related("assessments")
    rows = []
    for case in cases:
        assessments = list(case.assessments.all())  # newest first (the model's ordering)
        latest = assessments[0] if assessments else None
        rows.append(
            {
                "case": pseudonym(key, "case", case.pk),
                "activism": pseudonym(key, "activism", case.activism_id),
                "unit": case.unit.slug,
                "ladder": case.ladder.slug,
                "current_level": latest.current_level if latest else None,
                "target_level": latest.target_level if latest else None,
                "assessments": len(assessments),
                "created_month": _month(case.created_at),
            }
        )
    return rows


def assessment_rows(project: ResearchProject) -> list[dict[str, Any]]:
    key = project_key(project)
    found = Assessment.objects.filter(case__research_projects=project).order_by("assessed_on", "pk")
    return [
        {
            "assessment": pseudonym(key, "assessment", a.pk),
            "case": pseudonym(key, "case", a.case_id),
            "perspective": a.perspective,
            "current_level": a.current_level,
            "target_level": a.target_level,
            "assessed_on": a.assessed_on.isoformat(),
        }
        for a in found
    ]


def post_rows(project: ResearchProject) -> list[dict[str, Any]]:
    key = project_key(project)
    activisms = list(scope_activisms(project))
    ids = [a.pk for a in activisms]
    posts = list(scope_posts(project, ids))
    redact = redactor_for(activisms, authors=[post.author_handle for post in posts])
    rows = []
    for post in posts:
        linked = (
            sorted(a.pk for a in post.source.activisms.all() if a.pk in ids) if post.source else []
        )

        def remote(value: str, platform: str = post.platform) -> str:
            return pseudonym(key, "remote", f"{platform}:{value}") if value else ""

        rows.append(
            {
                "post": pseudonym(key, "post", post.pk),
                "activisms": " ".join(pseudonym(key, "activism", pk) for pk in linked),
                "platform": post.platform,
                "created_at": post.created_at.astimezone(dt.UTC).isoformat(),
                "language": post.language,
                "author": pseudonym(key, "author", post.author_pseudonym),
                "reply_to": remote(post.reply_to),
                "thread": remote(post.thread),
                "title": redact(post.title),
                "text": redact(post.text),
                "tags": " ".join(
                    PLACEHOLDERS["handle"] if redact.is_handle(t) else redact(str(t))
                    for t in post.tags
                ),
                "counts": json.dumps(post.counts, sort_keys=True),
            }
        )
    return rows


ROWS: dict[str, Callable[[ResearchProject], list[dict[str, Any]]]] = {
    Dataset.ACTIVISMS: activism_rows,
    Dataset.CASES: case_rows,
    Dataset.ASSESSMENTS: assessment_rows,
    Dataset.POSTS: post_rows,
}


def export(project: ResearchProject, dataset: str, *, fmt: str, user: Any) -> list[dict[str, Any]]:
    """The dataset's rows for the project, logged as a download by ``user``. The caller has
    checked ``export_refusal``."""
    rows = ROWS[dataset](project)
    ExportLog.objects.create(
        project=project, dataset=dataset, format=fmt, user=user, rows=len(rows)
    )
    return rows


def json_document(
    project: ResearchProject, dataset: str, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "project": {
            "id": project.pk,
            "title": project.title,
            "intended_level": project.intended_level,
        },
        "dataset": dataset,
        "generated_at": timezone.now().isoformat(),
        "dictionary": dictionary(dataset),
        "rows": rows,
    }
