"""Edits of an exported ONNX graph that make it cheaper to run and change no output.

torch's dynamo exporter writes each ``scaled_dot_product_attention`` as
``Softmax → IsNaN → Where(isnan, 0, softmax)``: a guard for a query row whose keys are all
masked, where the softmax of nothing but ``-inf`` is NaN.  The taggers here mask padding keys
only, and every input keeps at least its ``[CLS]``, so no row is ever all masked and the
guard never fires; yet it reads and writes the whole batch × heads × pieces × pieces
attention tensor twice per layer (about a fifth of the MiniLM tagger's time on long
windows).  :func:`drop_nan_guards` removes it.

Needs the ``onnx`` package (the ``train-accurate`` extra); the run time does not.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["drop_nan_guards"]


def drop_nan_guards(model: Any) -> int:
    """Remove every ``Where(IsNaN(x), c, x)`` of ``model`` (an ``onnx.ModelProto``) in place,
    feeding ``x`` to its readers; the number removed.

    Only the exact pattern goes: a ``Where`` whose condition is an ``IsNaN`` of its own
    third input.  A graph output is never renamed (a guard that is one is kept).
    """
    graph = model.graph
    made_by = {out: node for node in graph.node for out in node.output}
    outputs = {o.name for o in graph.output}
    uses = Counter(name for node in graph.node for name in node.input)
    replaced: dict[str, str] = {}
    dropped: list[Any] = []
    for node in graph.node:
        if node.op_type != "Where" or node.output[0] in outputs:
            continue
        test = made_by.get(node.input[0])
        if test is None or test.op_type != "IsNaN" or test.input[0] != node.input[2]:
            continue
        replaced[node.output[0]] = node.input[2]
        dropped.append(node)
        if uses[test.output[0]] == 1 and test.output[0] not in outputs:  # read by this guard only
            dropped.append(test)
    for node in dropped:
        graph.node.remove(node)
    for node in graph.node:
        for i, name in enumerate(node.input):
            if name in replaced:
                node.input[i] = replaced[name]
    return sum(1 for node in dropped if node.op_type == "Where")
