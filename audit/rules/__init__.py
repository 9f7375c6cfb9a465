"""The ordered boilerplate rules. Earlier rules win where findings overlap.

Order: structural head rules (dateline, repeated title, glued label) first, then
whole-tail rules (foreign footer, comment form) that remove long runs, then the
block rules that catch what is left.
"""

from __future__ import annotations

from audit.rules import (
    category_label,
    comment_form,
    dateline,
    disclaimer,
    foreign_footer,
    repeated_title,
    share_residue,
    tag_line,
)
from audit.rules.base import DocView, Example, Rule

RULES: tuple[Rule, ...] = (
    dateline.RULE,
    repeated_title.RULE,
    category_label.RULE,
    foreign_footer.RULE,
    comment_form.RULE,
    disclaimer.RULE,
    tag_line.RULE,
    share_residue.RULE,
)

__all__ = ["RULES", "DocView", "Example", "Rule"]
