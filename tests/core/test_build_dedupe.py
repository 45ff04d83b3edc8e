"""De-duplication merges the same fact said twice, never two facts that differ in a term."""

from __future__ import annotations

import pytest

from trainer.core.build import SourceDoc, build_drafts


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Afferent neurons are nerve cells that carry signals towards the central nervous system.",
         "Efferent neurons are nerve cells that carry signals away from the central nervous system."),
        ("Hypokalemia is a low level of potassium in the blood.",
         "Hyperkalemia is a high level of potassium in the blood."),
        ("A hypotonic solution is a solution with a lower solute concentration than the cell.",
         "A hypertonic solution is a solution with a higher solute concentration than the cell."),
        ("A presynaptic neuron is a neuron that releases the neurotransmitter into the cleft.",
         "A postsynaptic neuron is a neuron that receives the neurotransmitter from the cleft."),
        ("Les fibres afférentes sont des fibres qui conduisent l'influx vers le cerveau.",
         "Les fibres efférentes sont des fibres qui conduisent l'influx depuis le cerveau."),
    ],
)  # fmt: skip
def test_contrasting_terms_are_never_merged(one: str, other: str) -> None:
    result = build_drafts([SourceDoc("pair.txt", f"{one}\n\n{other}\n")])
    assert len(result.cards) == 2, [c.fields for c in result.cards]
    assert not [s for s in result.skipped if s.reason.startswith("duplicate")]


def test_the_same_fact_twice_is_still_merged() -> None:
    text = (
        "Osmosis is the diffusion of water across a selectively permeable membrane.\n\n"
        "Osmosis is the diffusion of water across a selectively permeable membrane!\n"
    )
    result = build_drafts([SourceDoc("twice.txt", text)])
    assert len(result.cards) == 1
