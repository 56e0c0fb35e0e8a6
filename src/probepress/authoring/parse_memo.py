"""Each fence of a build parsed once, however many phases read it.

A build reads every fence up to five times: the site review plans the probes and checks
the claims, the claims page lists them, the media phase plans the encodes and the page
renders it (a post's fences again in the blog's index and archive pages). A parse
depends only on the fence's name, its body and the manifest, so one build keeps each
outcome, a fence or the error it raised, and hands it to every phase: the YAML and
the claim grammar run once per distinct fence instead of once per reading.
"""

from __future__ import annotations

from copy import copy

from probepress.authoring.parse import Parsed, parse_fence
from probepress.errors import FenceError
from probepress.measure.manifest import Manifest
from probepress.measure.results import LookupProblem

__all__ = ["FenceParses"]


class FenceParses:
    """The parses of one build against one manifest, keyed by fence name and body.

    Parameters
    ----------
    manifest : Manifest
        The build's manifest; a new manifest needs a new :class:`FenceParses`.
    """

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self._outcomes: dict[tuple[str, str], Parsed | FenceError | LookupProblem] = {}

    def parse(self, name: str, body: str) -> Parsed:
        """The fence ``name`` with ``body``, as :func:`parse_fence` gives it.

        Raises
        ------
        FenceError, LookupProblem
            As :func:`parse_fence` did the first time this fence was read: the same
            message and body line at every reading.
        """
        key = (name, body)
        outcome = self._outcomes.get(key)
        if outcome is None:
            try:
                outcome = parse_fence(name, body, self.manifest)
            except (FenceError, LookupProblem) as error:
                outcome = error
            self._outcomes[key] = outcome
        if isinstance(outcome, (FenceError, LookupProblem)):
            # A copy: the stored error would carry every earlier raise's traceback.
            raise copy(outcome)
        return outcome
