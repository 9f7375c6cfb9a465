"""Helpers several test modules share (not a test module: pytest collects nothing here)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

# Text built from pieces that trigger rules (labels, dates, prompts, tags, banners) and invisible characters.
RULE_PIECES = st.sampled_from(
    [
        "Tags: a, b, c\n",
        "February 7th, 2025\n",
        "Leave a Reply\n",
        "Your email address will not be published. Required fields are marked *\n",
        "답글 남기기\n",
        "#one #two #three\n",
        "Disclaimer: reprinted from the internet; contact us to remove.\n",
        "Subscribe to our newsletter\n",
        "\n\n\n",
        "   \n",
        "\u200b\u202e\ufeff\r\n",
        "The body of an article about something that matters to its readers.\n",
    ]
)


def output_files(out: Path) -> dict[str, bytes]:
    """cleaned/ and reports/ by relative path: what a run promises to reproduce."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for folder in ("cleaned", "reports")
        for path in sorted((out / folder).rglob("*"))
        if path.is_file()
    }


class RecordingTexts(dict[str, str]):
    """Cleaned texts that note which documents were read: shows when a renderer quotes them."""

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__(texts)
        self.read: list[str] = []

    def __getitem__(self, doc_id: str) -> str:
        self.read.append(doc_id)
        return super().__getitem__(doc_id)
