"""Signals other apps listen to, so listening needs to know nothing about them.

``posts_edited`` is sent inside the storing transaction with ``post_ids``: the posts whose text
or title changed (the planning app marks their analyses stale). Posts whose text was removed
(deleted upstream, retention) carry a timestamp on the row and need no signal.
"""

from django.dispatch import Signal

posts_edited = Signal()
