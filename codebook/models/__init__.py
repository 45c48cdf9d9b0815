"""What is made of the interviews, one module per capability; import models from here."""

from codebook.models.agreement import (
    SentenceCache,
    Settlement,
    SettlementChoice,
    SettlementCoding,
)
from codebook.models.coding import (
    MEMO_MAX_LENGTH,
    AnchorStatus,
    Code,
    CodeInUse,
    Coding,
    CodingAction,
    CodingQuerySet,
    Memo,
    Origin,
)
from codebook.models.suggestions import (
    LearnedModel,
    RunStatus,
    Suggester,
    Suggestion,
    SuggestionQuality,
    SuggestionRun,
    SuggestionStatus,
)
from codebook.models.versions import ChangeKind, CodebookChange, CodebookVersion

__all__ = [
    "MEMO_MAX_LENGTH",
    "AnchorStatus",
    "ChangeKind",
    "Code",
    "CodeInUse",
    "CodebookChange",
    "CodebookVersion",
    "Coding",
    "CodingAction",
    "CodingQuerySet",
    "LearnedModel",
    "Memo",
    "Origin",
    "RunStatus",
    "SentenceCache",
    "Settlement",
    "SettlementChoice",
    "SettlementCoding",
    "Suggester",
    "Suggestion",
    "SuggestionQuality",
    "SuggestionRun",
    "SuggestionStatus",
]
