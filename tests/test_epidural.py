"""The epidural needle model: layers from the cited depths, measured pressures, the loss of resistance and its
false versions, the paramedian path, Boyle's law in the syringe, and the refusals."""

import numpy as np
import pytest

from painlab import epidural
from painlab.reference import epidural as ref


def test_layers_are_contiguous_and_centred_on_the_cited_depth():
    layers = epidural.midline_layers()
    assert [layer.name for layer in layers] == list(epidural.LAYER_NAMES)
    assert layers[0].start_mm == 0.0
    for before, after in zip(layers, layers[1:]):
        assert after.start_mm == pytest.approx(before.end_mm)
    space = next(layer for layer in layers if layer.name == "epidural space")
    depth, space_mm = ref.SKIN_TO_EPIDURAL_L34_MM.value, ref.POSTERIOR_EPIDURAL_SPACE_MM.value
    assert (space.start_mm + space.end_mm) / 2 == pytest.approx(depth)  # Lee & Kim: skin to the centre of the space
    assert space.thickness_mm == pytest.approx(space_mm)  # Bevacqua
    flavum = next(layer for layer in layers if layer.name == "ligamentum flavum")
    assert flavum.thickness_mm == pytest.approx(ref.LIGAMENTUM_FLAVUM_THICKNESS_MM["L3-L4"].value)
    assert epidural.loss_of_resistance_depth_mm(layers) == pytest.approx(depth - space_mm / 2)


def test_measured_pressures_are_ghelbers():
    layers = {layer.name: layer for layer in epidural.midline_layers()}
    for name in ("supraspinous ligament", "ligamentum flavum", "epidural space"):
        assert layers[name].pressure_mmhg == ref.INJECTION_PRESSURE_MMHG[name].mean_mmhg
    assert layers["ligamentum flavum"].pressure_mmhg > layers["supraspinous ligament"].pressure_mmhg > \
        5 * layers["epidural space"].pressure_mmhg
    assert [name for name, layer in layers.items() if layer.measured] == [
        "supraspinous ligament", "ligamentum flavum", "epidural space"]


def test_pressure_trace_and_layer_lookup_agree():
    layers = epidural.midline_layers(55.0)
    depths = np.linspace(0.0, 80.0, 321)
    trace = epidural.pressure_trace_mmhg(depths, layers)
    assert [epidural.syringe_pressure_mmhg(d, layers) for d in depths] == list(trace)
    lor = epidural.loss_of_resistance_depth_mm(layers)
    assert epidural.layer_at_depth(lor - 0.01, layers).name == "ligamentum flavum"
    assert epidural.layer_at_depth(lor, layers).name == "epidural space"  # a boundary belongs to the deeper layer


def test_the_same_depth_is_a_different_layer_in_another_patient():
    depths = ref.habitus_depths_mm()
    assert depths == {group: pytest.approx((low + high) / 2, abs=0.05)
                      for group, (low, high) in ref.SKIN_TO_EPIDURAL_L34_BY_HABITUS_MM.items()}
    names = [epidural.layer_at_depth(45.0, epidural.midline_layers(d)).name for d in depths.values()]
    assert names == ["CSF", "epidural space", "interspinous ligament"]


def test_false_loss_of_resistance_in_a_degenerate_ligament():
    normal = epidural.midline_layers()
    assert epidural.first_low_pressure_depth_mm(normal) == pytest.approx(epidural.loss_of_resistance_depth_mm(normal))
    degenerate = epidural.midline_layers(degenerate_interspinous=True)
    interspinous = next(layer for layer in degenerate if layer.name == "interspinous ligament")
    assert epidural.first_low_pressure_depth_mm(degenerate) == pytest.approx(interspinous.start_mm)
    assert not interspinous.measured


def test_paramedian_path_is_depth_over_cosine():
    assert epidural.path_length_mm(55.0, 15.0) == pytest.approx(56.94, abs=0.005)
    assert epidural.path_length_mm(50.0, 30.0) == pytest.approx(57.74, abs=0.005)
    assert epidural.straight_depth_mm(epidural.path_length_mm(48.0, 20.0), 20.0) == pytest.approx(48.0)
    assert epidural.path_length_mm(40.0, 0.0) == 40.0


def test_boyles_law_in_the_syringe():
    pressure_kpa = 92.0 * 0.133322  # 92 mmHg in kPa; one atmosphere is 101.325 kPa
    assert epidural.plunger_travel_ml(92.0, "air", 2.0) == pytest.approx(2.0 * pressure_kpa / (101.325 + pressure_kpa))
    assert epidural.plunger_travel_ml(8.0, "air", 2.0) < epidural.plunger_travel_ml(92.0, "air", 2.0) / 9
    assert epidural.plunger_travel_ml(92.0, "saline", 2.0) < 1e-4
    assert epidural.plunger_travel_ml(92.0, "Saline", 5.0) == pytest.approx(5.0 * 4.6e-10 * pressure_kpa * 1e3)


@pytest.mark.parametrize("call, message", [
    (lambda: epidural.midline_layers(15.0), "skin_to_epidural_mm"),
    (lambda: epidural.midline_layers(25.0, epidural_space_mm=24.0), "leaves"),
    (lambda: epidural.midline_layers(48.0, epidural_space_mm=0.0), "epidural_space_mm"),
    (lambda: epidural.layer_at_depth(-1.0), "depth_mm"),
    (lambda: epidural.pressure_trace_mmhg([10.0, 400.0]), "depths_mm"),
    (lambda: epidural.path_length_mm(50.0, 60.0), "angle_deg"),
    (lambda: epidural.plunger_travel_ml(92.0, "water", 2.0), "medium"),
    (lambda: epidural.plunger_travel_ml(92.0, "air", 0.0), "syringe_content_ml"),
])
def test_refusals(call, message):
    with pytest.raises(ValueError, match=message):
        call()

