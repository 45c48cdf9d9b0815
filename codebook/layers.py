"""Whose codings the workbench shows: one layer per coder, plus the consensus layer."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from codebook.models import Coding, Origin
from interviews.models import Interview, Membership, Role, Study

CONSENSUS = "consensus"


@dataclass
class Layers:
    """The layers a member may switch between, and the ones switched on."""

    coders: list[tuple[int, str]] = field(default_factory=list)
    offers_consensus: bool = False
    shown_coders: set[int] = field(default_factory=set)
    shows_consensus: bool = False

    @property
    def switchable(self) -> bool:
        return len(self.coders) > 1 or self.offers_consensus

    def codings_filter(self, prefix: str = "") -> Q:
        """Return a Q selecting the shown codings (``prefix`` for lookups through a relation)."""
        shown = Q(**{f"{prefix}coder_id__in": self.shown_coders}) & ~Q(
            **{f"{prefix}origin": Origin.CONSENSUS}
        )
        if self.shows_consensus:
            shown |= Q(**{f"{prefix}origin": Origin.CONSENSUS})
        return shown

    def keys(self) -> list[str]:
        keys = [f"c{coder_id}" for coder_id, _ in self.coders if coder_id in self.shown_coders]
        return keys + ([CONSENSUS] if self.shows_consensus else [])


def coders_of(study: Study, interview: Interview | None = None) -> QuerySet:
    """The study's members who code, and everyone whose codings it holds (of ``interview``).

    A coder removed from the study, or made a viewer, keeps their codings: they stay in the
    layers, the agreement page and the filters, so their work can still be compared.
    """
    coding_roles = [r for r in Role if r.can_code()]
    members = Membership.objects.filter(study=study, role__in=coding_roles).values("user_id")
    if interview is not None:
        held = Coding.objects.filter(interview=interview)
    else:
        held = Coding.objects.filter(interview__in=study.interviews.values("pk"))
    # Who holds codings is read from the index of (interview, coder); whether one of them is
    # not the consensus layer's is asked of those few users alone. Asking it of every coding
    # read each coding's row: a tenth of a second in a study of 80,000 codings, on every page.
    own = held.filter(coder=OuterRef("pk")).exclude(origin=Origin.CONSENSUS)
    return (
        get_user_model()
        .objects.filter(Q(pk__in=members) | Q(Exists(own), pk__in=held.values("coder_id")))
        .order_by("username")
    )


def layers_for(
    study: Study, role: Role, user, requested: list[str], interview: Interview | None = None
) -> Layers:
    """Decide the layers offered to this member and the ones shown (one query).

    With blind coding a coder is offered only their own codings; supervisors and owners, and
    everyone once blind coding is off, may show any coders (of ``interview``, if given) and
    the consensus.
    """
    layers = Layers()
    if role.sees_other_coders(study):
        layers.coders = list(coders_of(study, interview).values_list("pk", "username"))
        layers.offers_consensus = True
    elif role.can_code():
        layers.coders = [(user.pk, user.get_username())]
    offered = {coder_id for coder_id, _ in layers.coders}
    wanted = {key for key in requested if key}
    if wanted:
        # Only ASCII digits: str.isdigit() also takes "²", which int() refuses.
        numbers = {int(key[1:]) for key in wanted if key[1:].isascii() and key[1:].isdigit()}
        layers.shown_coders = numbers & offered
        layers.shows_consensus = layers.offers_consensus and CONSENSUS in wanted
    elif user.pk in offered:
        layers.shown_coders = {user.pk}
    else:
        layers.shown_coders = offered
        layers.shows_consensus = layers.offers_consensus
    return layers
