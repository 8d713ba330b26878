"""drop_nan_guards: the exporter's Softmax → IsNaN → Where goes, nothing else does."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper  # noqa: E402

from accordingto.train.onnx_graph import drop_nan_guards  # noqa: E402


def _graph(guard_input: str, *, guard_is_output: bool = False):
    """x → Softmax → s; Where(IsNaN(guard_input), 0, s) → g; g · w → y."""
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    w = helper.make_tensor("w", TensorProto.FLOAT, [3, 2], [1, 2, 3, 4, 5, 6])
    nodes = [
        helper.make_node("Softmax", ["x"], ["s"], axis=-1),
        helper.make_node("IsNaN", [guard_input], ["nan"]),
        helper.make_node("Where", ["nan", "zero", "s"], ["g"]),
        helper.make_node("MatMul", ["g", "w"], ["y"]),
    ]
    outputs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 2])]
    if guard_is_output:
        outputs.append(helper.make_tensor_value_info("g", TensorProto.FLOAT, [None, 3]))
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 3])
    graph = helper.make_graph(nodes, "g", [x], outputs, initializer=[zero, w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _run(model, x):
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(["y"], {"x": x})[0]


@pytest.mark.parametrize(
    ("guard_input", "guard_is_output", "dropped"),
    [
        ("s", False, 1),  # the exporter's guard: removed
        ("x", False, 0),  # a test of another tensor is not a guard of s
        ("s", True, 0),  # a guard that is a graph output stays
    ],
)
def test_drop_nan_guards(guard_input, guard_is_output, dropped):
    model = _graph(guard_input, guard_is_output=guard_is_output)
    x = np.array([[0.1, 2.0, -1.0], [3.0, 3.0, 3.0]], dtype=np.float32)
    before = _run(model, x)
    assert drop_nan_guards(model) == dropped
    onnx.checker.check_model(model)
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Where") == 1 - dropped and ops.count("IsNaN") == 1 - dropped
    np.testing.assert_array_equal(_run(model, x), before)
