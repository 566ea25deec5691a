"""Keeping resolved secret values out of messages, error variables, incidents and logs.

Every value a secret provider hands out is remembered for the life of the process; `mask_text`
and `mask_value` replace any occurrence with `***`. `SecretMaskingFilter` does the same for log
records, so a connector that logs a request line cannot leak the token in it.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

MASK = "***"


class SecretRegistry:
    """The secret values resolved so far, and one compiled pattern that finds any of them."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, value: str) -> None:
        if not value or value in self._values:
            return
        with self._lock:
            self._values.add(value)
            # longest first, so a secret containing another is masked whole
            ordered = sorted(self._values, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._pattern = None

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def mask_text(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(MASK, text)

    def mask_value(self, value: Any) -> Any:
        """`value` with secrets masked in every string, dict key and list item."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self.mask_text(value)
        if isinstance(value, dict):
            return {
                (self.mask_text(k) if isinstance(k, str) else k): self.mask_value(v)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [self.mask_value(item) for item in value]
        return value


#: the process-wide registry every provider lookup feeds
KNOWN_SECRETS = SecretRegistry()


def remember_secret(value: str) -> None:
    KNOWN_SECRETS.add(value)


#: credentials shorter than this are not masked (masking "1" would mangle every message)
MIN_CREDENTIAL_LENGTH = 6


def remember_credential(value: str) -> None:
    """Mask a credential a connector derives or receives (an encoded Basic header, an OAuth
    access token, a key given as a plain variable), unless it is too short to be one."""
    if len(value) >= MIN_CREDENTIAL_LENGTH:
        KNOWN_SECRETS.add(value)


def mask_text(text: str) -> str:
    return KNOWN_SECRETS.mask_text(text)


def mask_value(value: Any) -> Any:
    return KNOWN_SECRETS.mask_value(value)


class SecretMaskingFilter(logging.Filter):
    """Rewrites a log record whose message (or exception text) contains a secret value."""

    def __init__(self, registry: SecretRegistry = KNOWN_SECRETS) -> None:
        super().__init__()
        self._registry = registry

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it for the handler to report
            return True
        masked = self._registry.mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._registry.mask_text(record.exc_text)
        return True


def install_log_masking(logger: logging.Logger | None = None) -> SecretMaskingFilter:
    """Attach the masking filter to every handler of `logger` (default: the root logger).

    Handler filters see every record that reaches the handler, whichever logger emitted it;
    call again after adding handlers (a handler never gets the filter twice).
    """
    target = logger or logging.getLogger()
    log_filter = SecretMaskingFilter()
    for handler in target.handlers:
        if _find_filter(handler.filters) is None:
            handler.addFilter(log_filter)
    return log_filter


def _find_filter(filters: list[Any]) -> SecretMaskingFilter | None:
    for item in filters:
        if isinstance(item, SecretMaskingFilter):
            return item
    return None
