"""The reader finds its bundled sample library, for a first run on an empty cache."""

from __future__ import annotations

from pozirk_reader.samples import bundled_samples
from tests.samples import SAMPLES


def test_bundled_samples_are_the_sample_library() -> None:
    folder = bundled_samples()
    assert folder is not None
    assert folder.resolve() == SAMPLES.resolve()
    assert len(list(folder.glob("*.txt"))) == 16
