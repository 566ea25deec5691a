"""Receive task: an activity that waits for a message, exactly like an intermediate message
catch event (input mappings first, then the subscription); boundary events may interrupt it."""

from __future__ import annotations

from flowwire.engine.behaviors.message_catch import MessageCatchBehavior


class ReceiveTaskBehavior(MessageCatchBehavior):
    """Waits for its message; completes with the message's variables."""
