"""Text in an edit proposal is data, never markup: the checks every proposed value (and every reviewer's comment)
passes before it is stored. Control characters are dropped; markup, script URLs and bidirectional controls are
refused with a message that names the field; lengths and nesting are bounded.

>>> clean_text("  Credential Engine\\x07 ", "name", 300)
'Credential Engine'
>>> clean_text("<script>alert(1)</script>", "name", 300)
Traceback (most recent call last):
...
lermap.errors.ValidationFailed: name: markup or script is not accepted; send plain text
"""

from __future__ import annotations

import re
from typing import Any

from lermap.errors import ValidationFailed

MAX_TEXT = {"description": 2000, "note": 1000, "value": 2000, "reason": 1000}
MAX_SHORT_TEXT = 300
MAX_LIST = 50
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|javascript\s*:|data\s*:\s*text/html|\bon[a-z]+\s*=", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# bidirectional controls (LRE..RLO, LRI..PDI, LRM, RLM, ALM) reorder how text is displayed: U+202E then "gpj.exe" shows as
# "exe.jpg". Refused rather than stripped, so that what a reviewer approves is exactly what was sent.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean(value: Any, where: str, depth: int = 0) -> Any:
    """Text as data: control characters dropped, markup and script URLs refused, lengths and nesting bounded."""
    if depth > 4:
        raise ValidationFailed(f"{where}: nested too deeply")
    if isinstance(value, dict):
        if len(value) > MAX_LIST:
            raise ValidationFailed(f"{where}: too many fields")
        return {clean_short(str(k), f"{where} key"): clean(v, f"{where}.{k}", depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        if len(value) > MAX_LIST:
            raise ValidationFailed(f"{where}: more than {MAX_LIST} items")
        return [clean(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
    if isinstance(value, str):
        key = where.rsplit(".", 1)[-1]
        return clean_text(value, where, MAX_TEXT.get(key, MAX_SHORT_TEXT))
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise ValidationFailed(f"{where}: unsupported value")


def clean_text(value: str, where: str, limit: int) -> str:
    """``value`` with control characters dropped and ends trimmed; refuses bidi controls, markup and overlong text."""
    bidi = BIDI.search(value)
    if bidi:
        raise ValidationFailed(f"{where}: the bidirectional control character U+{ord(bidi.group()):04X} is not accepted "
                               "(it makes text display in another order than it reads); send plain text")
    text = _CONTROL.sub("", value).strip()
    if len(text) > limit:
        raise ValidationFailed(f"{where}: {len(text)} characters; the limit is {limit}")
    if MARKUP.search(text):
        raise ValidationFailed(f"{where}: markup or script is not accepted; send plain text")
    return text


def clean_short(value: str | None, where: str) -> str:
    """A required short text (a name, a reviewer): refused when empty."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationFailed(f"{where}: required")
    return clean_text(value, where, MAX_SHORT_TEXT)
