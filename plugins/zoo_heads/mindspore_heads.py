"""The MLP classification head as a MindSpore cell, with the names of :mod:`zoo_heads.shapes`."""

from __future__ import annotations

from collections.abc import Sequence

from mindspore import Tensor, nn
from mindspore.common.initializer import HeNormal

from zoo_core.errors import InvalidValue


class MLPHead(nn.Cell):
    """``hidden.{i}`` Linear → ReLU (→ Dropout) per hidden width, then the ``out`` Linear; the
    hidden layers start He-initialised with zero bias, as in ``zoo_heads.torch_heads``."""

    def __init__(
        self, in_features: int, num_classes: int, hidden: Sequence[int], dropout: float
    ) -> None:
        super().__init__()
        widths = [in_features, *hidden]
        self.hidden = nn.CellList(
            [
                nn.Dense(width, size, weight_init=HeNormal(nonlinearity="relu"), bias_init="zeros")
                for width, size in zip(widths[:-1], hidden, strict=True)
            ]
        )
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p=dropout) if dropout > 0 else None
        self.out = nn.Dense(widths[-1], num_classes)

    def construct(self, x: Tensor) -> Tensor:
        for layer in self.hidden:
            x = self.relu(layer(x))
            if self.dropout is not None:
                x = self.dropout(x)
        return self.out(x)


def mlp(
    in_features: int, num_classes: int, hidden: Sequence[int] = (), dropout: float = 0.0
) -> nn.Cell:
    """A plain ``Dense`` (``weight``/``bias``) without hidden widths, else :class:`MLPHead`."""
    if not 0 <= dropout < 1:
        raise InvalidValue(f"head dropout {dropout}: must be in [0, 1)")
    if not hidden:
        return nn.Dense(in_features, num_classes)
    return MLPHead(in_features, num_classes, tuple(hidden), dropout)
