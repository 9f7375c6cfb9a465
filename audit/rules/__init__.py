"""The ordered boilerplate rules. Earlier rules win where findings overlap.

Order: structural head rules (dateline, repeated title, glued label) first,
then the corpus rule (site templates: what the corpus shows beats what one
page suggests), then whole-tail rules (foreign footer, comment form, comment
section) that remove long runs, then the block rules that catch what is left:
notices, tags, share residue, then the rules added for issue 4 (related links,
banners, navigation, credits), last so that what the older rules removed keeps
its attribution.
"""

from __future__ import annotations

from audit.rules import (
    banner,
    category_label,
    comment_form,
    comment_section,
    credit_line,
    dateline,
    disclaimer,
    foreign_footer,
    navigation,
    related_links,
    repeated_title,
    share_residue,
    site_template,
    tag_line,
)
from audit.rules.base import DocView, Example, Rule

RULES: tuple[Rule, ...] = (
    dateline.RULE,
    repeated_title.RULE,
    category_label.RULE,
    site_template.RULE,
    foreign_footer.RULE,
    comment_form.RULE,
    comment_section.RULE,
    disclaimer.RULE,
    tag_line.RULE,
    share_residue.RULE,
    related_links.RULE,
    banner.RULE,
    navigation.RULE,
    credit_line.RULE,
)

__all__ = ["RULES", "DocView", "Example", "Rule"]
